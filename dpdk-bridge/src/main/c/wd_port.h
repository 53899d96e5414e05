/* The DPDK half of the shim, apart from lwIP because their headers clash (both define the IP
 * header structs): one ethernet port, raw frames in and out. Internal to libweirdpdk. */
#ifndef WD_PORT_H
#define WD_PORT_H
#include <stddef.h>
#include <stdint.h>

/* EAL init, the first port configured with one queue each way and started. mac: NULL or "" to
 * keep the device's. Writes the port's address to hw. 0 or a negative code, with err filled. */
int wd_port_init(int argc, char **argv, const char *mac, uint8_t hw[6], char *err, size_t errlen);
/* Up to max received frames (opaque handles). */
int wd_port_rx(void **frames, int max);
uint32_t wd_port_len(void *frame);
/* Copies the whole frame (all segments) to dst; returns its length. */
uint32_t wd_port_copy(void *frame, uint8_t *dst);
void wd_port_free(void *frame);
/* A frame of len bytes to fill: its data in *data; NULL when no buffer is free. */
void *wd_port_tx_begin(uint32_t len, uint8_t **data);
/* Sends (and then owns) a frame from wd_port_tx_begin; 1 when sent, 0 when the queue was full. */
int wd_port_tx_commit(void *frame);
/* The device's counts of frames lost on receive (missed, errors, no buffer) and failed sends. */
void wd_port_stats(uint64_t *rx_missed, uint64_t *tx_errors);
#endif
