/*
 * weir_dpdk: the dpdk-bridge shim. One DPDK port (a virtual or real device named by the EAL
 * arguments) carries an lwIP TCP/IP stack; TCP connections accepted on it are exposed as
 * small integer ids with listen/accept/recv/send/close, all called from ONE thread (the
 * bridge's poller). lwIP's own timer thread shares the stack through lwIP's core lock.
 *
 * Every function returns >= 0 on success and a negative WD_E* code on failure;
 * wd_last_error() describes the last failure in words.
 */
#ifndef WEIR_DPDK_H
#define WEIR_DPDK_H
#include <stdint.h>

#define WD_EVENT_ACCEPT   1 /* conn: new id; addr/port: the peer; local_port: the listener's */
#define WD_EVENT_READABLE 2 /* conn has bytes to wd_recv, or its peer's FIN */
#define WD_EVENT_WRITABLE 3 /* the peer acknowledged data: conn has room in its send buffer again */
#define WD_EVENT_ERROR    4 /* conn was reset or aborted; lwIP has freed it: call wd_close(conn) */

#define WD_EINVAL   -1
#define WD_EINIT    -2
#define WD_ENOMEM   -3
#define WD_ECONN    -4
#define WD_EAGAIN   -5

typedef struct wd_event {
    int32_t kind;
    int32_t conn;
    uint32_t addr;       /* IPv4 peer address, network byte order (ACCEPT) */
    uint16_t port;       /* peer port, host order (ACCEPT) */
    uint16_t local_port; /* listener port, host order (ACCEPT) */
} wd_event;

/* rx_dropped: frames the shim could not take (no memory, too long); dev_rx_missed and
 * dev_tx_errors: the device's own counts (rte_eth_stats imissed + ierrors + rx_nombuf, and
 * oerrors) of frames it lost before the shim saw them or could not send. */
typedef struct wd_stats {
    uint64_t rx_packets, tx_packets, tx_dropped, rx_bytes, tx_bytes, accepted, open;
    uint64_t rx_dropped, dev_rx_missed, dev_tx_errors;
} wd_stats;

/* Starts DPDK's EAL with argv (argv[0] is a program name), opens the first ethernet port,
 * and brings up lwIP on it with this IPv4 address, netmask and gateway (dotted quads;
 * gateway may be "0.0.0.0"); mac: "aa:bb:cc:dd:ee:ff" to set the port's address, or NULL/""
 * to keep the device's. Once per process: DPDK cannot start twice. */
int wd_init(int argc, char **argv, const char *ip, const char *netmask, const char *gateway, const char *mac);
/* The port's MAC address as text (18 bytes with the NUL). */
int wd_mac(char *out, int len);
int wd_listen(uint16_t port);
/* Receives packets into the stack and copies up to max events out; returns their number. */
int wd_poll(wd_event *events, int max);
/* Copies up to len received bytes of conn into buf and opens the window by as much.
 * Returns the number copied, 0 when none are waiting, -1 when the peer has closed and all
 * was read, or a negative code below -1 for an error. */
int wd_recv(int conn, uint8_t *buf, int len);
/* Queues up to len bytes of buf to send on conn (copied); returns how many fit (0: the send
 * buffer is full, wait for WD_EVENT_WRITABLE). */
int wd_send(int conn, const uint8_t *buf, int len);
/* Closes conn (a FIN after the queued bytes) and frees its id; the id must not be used again. */
int wd_close(int conn);
/* Resets conn and frees its id. */
int wd_abort(int conn);
/* Stops accepting on port. */
int wd_unlisten(uint16_t port);
int wd_set_nodelay(int conn, int on);
int wd_get_stats(wd_stats *out);
const char *wd_last_error(void);
#endif
