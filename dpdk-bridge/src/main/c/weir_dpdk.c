/* The dpdk-bridge shim: see weir_dpdk.h. */
#define _GNU_SOURCE /* pthread_setname_np */
#include "weir_dpdk.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wd_port.h"

#include <lwip/init.h>
#include <lwip/tcpip.h>
#include <lwip/tcp.h>
#include <lwip/netif.h>
#include <lwip/etharp.h>
#include <lwip/ip4_addr.h>
#include <lwip/pbuf.h>
#include <netif/ethernet.h>

/* lwIP's TCP fast timer (delayed ACKs, refused data), from lwip/priv/tcp_priv.h. */
void tcp_fasttmr(void);

#define WD_MAX_CONNS 65536
#define WD_MAX_LISTENERS 16
#define RX_BURST 32
#define RING_SIZE 1024
/*
 * How long an ACK lwIP delays may wait. Debian's lwIP sends delayed ACKs only from its fast
 * timer, every TCP_TMR_INTERVAL (250 ms): longer than Linux's minimum retransmission timeout
 * (200 ms), so a Linux peer waiting on the ACK of a lone segment (the last of a burst, or a
 * Nagle-held write) times out and sends it again although nothing was lost. The poller runs the
 * fast timer itself this often, which bounds the delay well under any peer's timeout (Linux
 * itself delays at most 40 ms in quick mode).
 */
#define ACK_DELAY_NS (20 * 1000 * 1000L)

typedef struct conn {
    int used;
    int dead;            /* lwIP freed the pcb (reset/abort): only wd_close may touch this slot */
    struct tcp_pcb *pcb;
    struct pbuf *rx;     /* received, not yet read */
    uint16_t rx_off;     /* bytes of rx's first pbuf already read */
    int eof;             /* the peer sent FIN */
} conn;

static conn *conns;
static int free_hint;
static struct tcp_pcb *listeners[WD_MAX_LISTENERS];
static uint16_t listener_ports[WD_MAX_LISTENERS];

static wd_event *evq;    /* pending events, guarded by lwIP's core lock */
static int evq_len, evq_cap;

static struct netif nif;
static uint8_t hwaddr[6];
static int started;
static wd_stats stats;
static char last_error[512];
static int64_t last_fast_timer;

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t) t.tv_sec * 1000000000L + t.tv_nsec;
}

static int fail(int code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, ap);
    va_end(ap);
    return code;
}

const char *wd_last_error(void) { return last_error; }

static void push_event(int kind, int id, uint32_t addr, uint16_t port, uint16_t local_port) {
    if (evq_len == evq_cap) {
        int cap = evq_cap ? evq_cap * 2 : 256;
        wd_event *grown = realloc(evq, (size_t) cap * sizeof *evq);
        if (!grown) return; /* out of memory: the event is lost; the connection will time out */
        evq = grown;
        evq_cap = cap;
    }
    evq[evq_len++] = (wd_event){kind, id, addr, port, local_port};
}

/* ---- the device under lwIP ---- */

static err_t link_output(struct netif *n, struct pbuf *p) {
    (void) n;
    uint8_t *data;
    void *frame = wd_port_tx_begin(p->tot_len, &data);
    if (!frame) { stats.tx_dropped++; return ERR_MEM; }
    pbuf_copy_partial(p, data, p->tot_len, 0);
    if (!wd_port_tx_commit(frame)) { stats.tx_dropped++; return ERR_OK; } /* TCP sends it again */
    stats.tx_packets++;
    stats.tx_bytes += p->tot_len;
    return ERR_OK;
}

static err_t netif_setup(struct netif *n) {
    n->hwaddr_len = ETH_HWADDR_LEN;
    memcpy(n->hwaddr, hwaddr, ETH_HWADDR_LEN);
    n->mtu = 1500;
    n->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET | NETIF_FLAG_LINK_UP;
    n->name[0] = 'd';
    n->name[1] = 'k';
    n->output = etharp_output;
    n->linkoutput = link_output;
    return ERR_OK;
}

/* ---- TCP callbacks (run with the core lock held, on the poller or on lwIP's timer thread) ---- */

static err_t on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err) {
    int id = (int) (intptr_t) arg;
    (void) pcb;
    (void) err;
    conn *c = &conns[id];
    if (!c->used || c->dead) { if (p) pbuf_free(p); return ERR_OK; }
    if (p == NULL) c->eof = 1;
    else if (c->rx == NULL) { c->rx = p; c->rx_off = 0; }
    else pbuf_cat(c->rx, p);
    push_event(WD_EVENT_READABLE, id, 0, 0, 0);
    return ERR_OK;
}

static err_t on_sent(void *arg, struct tcp_pcb *pcb, u16_t len) {
    (void) pcb;
    (void) len;
    push_event(WD_EVENT_WRITABLE, (int) (intptr_t) arg, 0, 0, 0);
    return ERR_OK;
}

static void on_err(void *arg, err_t err) {
    (void) err;
    int id = (int) (intptr_t) arg;
    conn *c = &conns[id];
    if (!c->used) return;
    c->dead = 1;
    c->pcb = NULL; /* lwIP has freed it */
    push_event(WD_EVENT_ERROR, id, 0, 0, 0);
}

static int take_slot(void) {
    for (int i = 0; i < WD_MAX_CONNS; i++) {
        int id = (free_hint + i) % WD_MAX_CONNS;
        if (!conns[id].used) { free_hint = (id + 1) % WD_MAX_CONNS; return id; }
    }
    return -1;
}

static err_t on_accept(void *arg, struct tcp_pcb *pcb, err_t err) {
    uint16_t local_port = (uint16_t) (uintptr_t) arg;
    if (err != ERR_OK || pcb == NULL) return ERR_VAL;
    int id = take_slot();
    if (id < 0) { tcp_abort(pcb); return ERR_ABRT; }
    conns[id] = (conn){.used = 1, .pcb = pcb};
    tcp_arg(pcb, (void *) (intptr_t) id);
    tcp_recv(pcb, on_recv);
    tcp_sent(pcb, on_sent);
    tcp_err(pcb, on_err);
    tcp_nagle_disable(pcb);
    stats.accepted++;
    stats.open++;
    push_event(WD_EVENT_ACCEPT, id, ip4_addr_get_u32(ip_2_ip4(&pcb->remote_ip)), pcb->remote_port, local_port);
    return ERR_OK;
}

/* Runs on lwIP's timer thread as it starts: its own name, apart from the poller's it inherited. */
static void name_timer_thread(void *arg) {
    (void) arg;
    pthread_setname_np(pthread_self(), "weir-lwip");
}

/* ---- the API ---- */

int wd_init(int argc, char **argv, const char *ip, const char *netmask, const char *gateway, const char *mac) {
    if (started) return fail(WD_EINIT, "DPDK is already started in this process (it cannot start twice)");
    ip4_addr_t a, m, g;
    if (!ip4addr_aton(ip, &a)) return fail(WD_EINVAL, "not an IPv4 address: '%s'", ip);
    if (!ip4addr_aton(netmask, &m)) return fail(WD_EINVAL, "not an IPv4 netmask: '%s'", netmask);
    if (!ip4addr_aton(gateway, &g)) return fail(WD_EINVAL, "not an IPv4 gateway: '%s'", gateway);
    if (wd_port_init(argc, argv, mac, hwaddr, last_error, sizeof last_error) < 0) { started = 1; return WD_EINIT; }
    started = 1;

    conns = calloc(WD_MAX_CONNS, sizeof *conns);
    if (!conns) return fail(WD_ENOMEM, "out of memory for the connection table");
    tcpip_init(name_timer_thread, NULL); /* lwIP's timer thread */
    LOCK_TCPIP_CORE();
    struct netif *added = netif_add(&nif, &a, &m, &g, NULL, netif_setup, ethernet_input);
    if (added) {
        netif_set_default(&nif);
        netif_set_up(&nif);
        netif_set_link_up(&nif);
    }
    UNLOCK_TCPIP_CORE();
    if (!added) return fail(WD_EINIT, "lwIP refused the network interface");
    return 0;
}

int wd_mac(char *out, int len) {
    if (!conns || len < 18) return fail(WD_EINVAL, "not started, or a buffer under 18 bytes");
    snprintf(out, (size_t) len, "%02x:%02x:%02x:%02x:%02x:%02x", hwaddr[0], hwaddr[1], hwaddr[2], hwaddr[3], hwaddr[4], hwaddr[5]);
    return 0;
}

int wd_listen(uint16_t port) {
    if (!conns) return fail(WD_EINIT, "the bridge is not started");
    int slot = -1;
    for (int i = 0; i < WD_MAX_LISTENERS; i++) {
        if (listeners[i] && listener_ports[i] == port) return fail(WD_EINVAL, "port %u is already listening", port);
        if (!listeners[i] && slot < 0) slot = i;
    }
    if (slot < 0) return fail(WD_ENOMEM, "too many listeners");
    LOCK_TCPIP_CORE();
    int result = 0;
    struct tcp_pcb *pcb = tcp_new_ip_type(IPADDR_TYPE_V4);
    if (!pcb) result = fail(WD_ENOMEM, "no memory for a listener");
    else if (tcp_bind(pcb, IP4_ADDR_ANY, port) != ERR_OK) {
        tcp_close(pcb);
        result = fail(WD_EINVAL, "cannot bind port %u", port);
    } else {
        struct tcp_pcb *l = tcp_listen_with_backlog(pcb, 255);
        if (!l) { tcp_close(pcb); result = fail(WD_ENOMEM, "cannot listen on port %u", port); }
        else {
            tcp_arg(l, (void *) (uintptr_t) port);
            tcp_accept(l, on_accept);
            listeners[slot] = l;
            listener_ports[slot] = port;
        }
    }
    UNLOCK_TCPIP_CORE();
    return result;
}

int wd_unlisten(uint16_t port) {
    for (int i = 0; i < WD_MAX_LISTENERS; i++) {
        if (listeners[i] && listener_ports[i] == port) {
            LOCK_TCPIP_CORE();
            tcp_close(listeners[i]);
            UNLOCK_TCPIP_CORE();
            listeners[i] = NULL;
            return 0;
        }
    }
    return fail(WD_EINVAL, "port %u is not listening", port);
}

int wd_poll(wd_event *events, int max) {
    if (!conns) return fail(WD_EINIT, "the bridge is not started");
    void *burst[RX_BURST];
    LOCK_TCPIP_CORE();
    for (int round = 0; round < 8; round++) {
        int n = wd_port_rx(burst, RX_BURST);
        for (int i = 0; i < n; i++) {
            uint32_t len = wd_port_len(burst[i]);
            struct pbuf *p = len <= 0xFFFF ? pbuf_alloc(PBUF_RAW, (u16_t) len, PBUF_RAM) : NULL;
            if (p) {
                wd_port_copy(burst[i], p->payload); /* PBUF_RAM: one contiguous buffer */
                stats.rx_packets++;
                stats.rx_bytes += len;
                if (nif.input(p, &nif) != ERR_OK) pbuf_free(p);
            } else {
                stats.rx_dropped++;
            }
            wd_port_free(burst[i]);
        }
        if (n < RX_BURST) break;
    }
    int64_t now = now_ns();
    if (now - last_fast_timer >= ACK_DELAY_NS) {
        last_fast_timer = now;
        tcp_fasttmr();
    }
    int out = evq_len < max ? evq_len : max;
    memcpy(events, evq, (size_t) out * sizeof *evq);
    memmove(evq, evq + out, (size_t) (evq_len - out) * sizeof *evq);
    evq_len -= out;
    UNLOCK_TCPIP_CORE();
    return out;
}

static conn *lookup(int id) {
    if (!conns || id < 0 || id >= WD_MAX_CONNS || !conns[id].used) return NULL;
    return &conns[id];
}

int wd_recv(int id, uint8_t *buf, int len) {
    conn *c = lookup(id);
    if (!c) return fail(WD_EINVAL, "no connection %d", id);
    if (len <= 0) return 0;
    LOCK_TCPIP_CORE();
    int copied = 0;
    while (c->rx && copied < len) {
        struct pbuf *head = c->rx;
        int avail = head->len - c->rx_off;
        int n = avail < len - copied ? avail : len - copied;
        memcpy(buf + copied, (uint8_t *) head->payload + c->rx_off, (size_t) n);
        copied += n;
        c->rx_off = (uint16_t) (c->rx_off + n);
        if (c->rx_off == head->len) {
            c->rx = head->next;
            if (c->rx) pbuf_ref(c->rx);
            pbuf_free(head); /* frees head only: the rest now holds its own reference */
            c->rx_off = 0;
        }
    }
    if (copied > 0 && c->pcb && !c->dead) {
        for (int left = copied; left > 0; left -= 0xFFFF) tcp_recved(c->pcb, (u16_t) (left > 0xFFFF ? 0xFFFF : left));
    }
    int result = copied > 0 ? copied : (c->eof || c->dead) ? -1 : 0;
    UNLOCK_TCPIP_CORE();
    return result;
}

int wd_send(int id, const uint8_t *buf, int len) {
    conn *c = lookup(id);
    if (!c) return fail(WD_EINVAL, "no connection %d", id);
    if (c->dead || !c->pcb) return fail(WD_ECONN, "connection %d was reset", id);
    LOCK_TCPIP_CORE();
    int room = tcp_sndbuf(c->pcb);
    int queued = tcp_sndqueuelen(c->pcb);
    int n = len < room ? len : room;
    if (n > 0xFFFF) n = 0xFFFF;
    int result = 0;
    if (n > 0 && queued < TCP_SND_QUEUELEN - 4) {
        err_t e = tcp_write(c->pcb, buf, (u16_t) n, TCP_WRITE_FLAG_COPY | (n < len ? TCP_WRITE_FLAG_MORE : 0));
        if (e == ERR_OK) result = n;
        else if (e != ERR_MEM) result = fail(WD_ECONN, "tcp_write failed on %d: %d", id, (int) e);
    }
    if (c->pcb) tcp_output(c->pcb);
    UNLOCK_TCPIP_CORE();
    return result;
}

static void release(int id, int do_abort) {
    conn *c = &conns[id];
    LOCK_TCPIP_CORE();
    if (c->pcb && !c->dead) {
        tcp_arg(c->pcb, NULL);
        tcp_recv(c->pcb, NULL);
        tcp_sent(c->pcb, NULL);
        tcp_err(c->pcb, NULL);
        if (do_abort || tcp_close(c->pcb) != ERR_OK) tcp_abort(c->pcb);
    }
    if (c->rx) pbuf_free(c->rx);
    /* events already queued for this id refer to the old connection: drop them */
    int w = 0;
    for (int r = 0; r < evq_len; r++) if (evq[r].conn != id) evq[w++] = evq[r];
    evq_len = w;
    *c = (conn){0};
    stats.open--;
    UNLOCK_TCPIP_CORE();
}

int wd_close(int id) {
    if (!lookup(id)) return fail(WD_EINVAL, "no connection %d", id);
    release(id, 0);
    return 0;
}

int wd_abort(int id) {
    if (!lookup(id)) return fail(WD_EINVAL, "no connection %d", id);
    release(id, 1);
    return 0;
}

int wd_set_nodelay(int id, int on) {
    conn *c = lookup(id);
    if (!c || !c->pcb) return fail(WD_EINVAL, "no connection %d", id);
    LOCK_TCPIP_CORE();
    if (on) tcp_nagle_disable(c->pcb); else tcp_nagle_enable(c->pcb);
    UNLOCK_TCPIP_CORE();
    return 0;
}

int wd_get_stats(wd_stats *out) {
    LOCK_TCPIP_CORE();
    *out = stats;
    UNLOCK_TCPIP_CORE();
    if (conns) wd_port_stats(&out->dev_rx_missed, &out->dev_tx_errors);
    return 0;
}
