/* A tiny echo server over the shim, for checking a device by hand:
 *   wd_echo IP PORT EAL-ARGS...   (e.g. wd_echo 10.0.0.2 7 -l 0 --no-pci --in-memory --vdev net_af_packet0,iface=veth0) */
#include "weir_dpdk.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage: wd_echo IP PORT EAL-ARGS...\n"); return 2; }
    char *eal[64];
    int n = 0;
    eal[n++] = "wd_echo";
    for (int i = 3; i < argc && n < 63; i++) eal[n++] = argv[i];
    if (wd_init(n, eal, argv[1], "255.255.255.0", "0.0.0.0", NULL) < 0) { fprintf(stderr, "%s\n", wd_last_error()); return 1; }
    if (wd_listen((uint16_t) atoi(argv[2])) < 0) { fprintf(stderr, "%s\n", wd_last_error()); return 1; }
    char mac[18];
    wd_mac(mac, sizeof mac);
    printf("listening on %s:%s (%s)\n", argv[1], argv[2], mac);
    fflush(stdout);
    static uint8_t buf[65536];
    wd_event ev[256];
    time_t last = time(NULL);
    for (;;) {
        if (time(NULL) != last) {
            last = time(NULL);
            wd_stats st;
            wd_get_stats(&st);
            fprintf(stderr, "rx %lu tx %lu tx-dropped %lu rx-dropped %lu dev-rx-missed %lu dev-tx-errors %lu accepted %lu open %lu\n",
                    (unsigned long) st.rx_packets, (unsigned long) st.tx_packets, (unsigned long) st.tx_dropped,
                    (unsigned long) st.rx_dropped, (unsigned long) st.dev_rx_missed, (unsigned long) st.dev_tx_errors,
                    (unsigned long) st.accepted, (unsigned long) st.open);
        }
        int k = wd_poll(ev, 256);
        for (int i = 0; i < k; i++) {
            if (ev[i].kind == WD_EVENT_ERROR) { wd_close(ev[i].conn); continue; }
            if (ev[i].kind != WD_EVENT_READABLE) continue;
            int r;
            while ((r = wd_recv(ev[i].conn, buf, sizeof buf)) > 0) {
                for (int off = 0; off < r;) { int s = wd_send(ev[i].conn, buf + off, r - off); if (s < 0) break; off += s; if (s == 0) wd_poll(ev + k, 0); }
            }
            if (r == -1) wd_close(ev[i].conn);
        }
    }
}
