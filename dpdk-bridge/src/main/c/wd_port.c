/* The DPDK half of the shim: see wd_port.h. */
#include "wd_port.h"

#include <stdio.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

static struct rte_mempool *pool;
static uint16_t port_id;

static int parse_mac(const char *s, struct rte_ether_addr *out) {
    unsigned b[6];
    char tail;
    if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &tail) != 6) return -1;
    for (int i = 0; i < 6; i++) { if (b[i] > 255) return -1; out->addr_bytes[i] = (uint8_t) b[i]; }
    return 0;
}

#define FAIL(...) do { snprintf(err, errlen, __VA_ARGS__); return -1; } while (0)

int wd_port_init(int argc, char **argv, const char *mac, uint8_t hw[6], char *err, size_t errlen) {
    struct rte_ether_addr want;
    if (mac && *mac && parse_mac(mac, &want)) FAIL("not a MAC address: '%s'", mac);
    if (rte_eal_init(argc, argv) < 0)
        FAIL("DPDK's EAL did not start: %s (its own log lines above say more)", rte_strerror(rte_errno));
    if (rte_eth_dev_count_avail() < 1)
        FAIL("DPDK found no ethernet port: name one in the EAL arguments with --vdev (e.g. net_af_packet0,iface=eth1)");
    RTE_ETH_FOREACH_DEV(port_id) break;
    pool = rte_pktmbuf_pool_create("weir_mbufs", 8191, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE, (int) rte_socket_id());
    if (!pool) FAIL("cannot create the packet buffer pool: %s", rte_strerror(rte_errno));
    struct rte_eth_conf conf;
    memset(&conf, 0, sizeof conf);
    int rc;
    if ((rc = rte_eth_dev_configure(port_id, 1, 1, &conf)) < 0) FAIL("cannot configure port %u: %s", port_id, rte_strerror(-rc));
    uint16_t nrx = 1024, ntx = 1024;
    rte_eth_dev_adjust_nb_rx_tx_desc(port_id, &nrx, &ntx);
    int socket = rte_eth_dev_socket_id(port_id);
    if (socket < 0) socket = 0;
    if ((rc = rte_eth_rx_queue_setup(port_id, 0, nrx, (unsigned) socket, NULL, pool)) < 0)
        FAIL("cannot set up the receive queue: %s", rte_strerror(-rc));
    if ((rc = rte_eth_tx_queue_setup(port_id, 0, ntx, (unsigned) socket, NULL)) < 0)
        FAIL("cannot set up the transmit queue: %s", rte_strerror(-rc));
    if (mac && *mac && (rc = rte_eth_dev_default_mac_addr_set(port_id, &want)) < 0)
        FAIL("cannot set the port's MAC address: %s", rte_strerror(-rc));
    if ((rc = rte_eth_dev_start(port_id)) < 0) FAIL("cannot start port %u: %s", port_id, rte_strerror(-rc));
    rte_eth_promiscuous_enable(port_id);
    struct rte_ether_addr addr;
    rte_eth_macaddr_get(port_id, &addr);
    memcpy(hw, addr.addr_bytes, 6);
    return 0;
}

int wd_port_rx(void **frames, int max) {
    return rte_eth_rx_burst(port_id, 0, (struct rte_mbuf **) frames, (uint16_t) max);
}

uint32_t wd_port_len(void *frame) { return rte_pktmbuf_pkt_len((struct rte_mbuf *) frame); }

uint32_t wd_port_copy(void *frame, uint8_t *dst) {
    uint32_t off = 0;
    for (struct rte_mbuf *s = frame; s; s = s->next) {
        memcpy(dst + off, rte_pktmbuf_mtod(s, void *), s->data_len);
        off += s->data_len;
    }
    return off;
}

void wd_port_free(void *frame) { rte_pktmbuf_free((struct rte_mbuf *) frame); }

void *wd_port_tx_begin(uint32_t len, uint8_t **data) {
    struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
    if (!m) return NULL;
    char *d = rte_pktmbuf_append(m, (uint16_t) len);
    if (!d) { rte_pktmbuf_free(m); return NULL; }
    *data = (uint8_t *) d;
    return m;
}

int wd_port_tx_commit(void *frame) {
    struct rte_mbuf *m = frame;
    if (rte_eth_tx_burst(port_id, 0, &m, 1) == 1) return 1;
    rte_pktmbuf_free(m);
    return 0;
}

void wd_port_stats(uint64_t *rx_missed, uint64_t *tx_errors) {
    struct rte_eth_stats st;
    if (rte_eth_stats_get(port_id, &st) != 0) return;
    *rx_missed = st.imissed + st.ierrors + st.rx_nombuf;
    *tx_errors = st.oerrors;
}
