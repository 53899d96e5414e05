package dev.weir.dpdk;

/**
 * The shim's counters since the bridge started. Frames lwIP sent are {@code txPackets}; those
 * the device had no room for are {@code txDropped} (TCP sends them again). Frames the device
 * delivered are {@code rxPackets}; {@code rxDropped} are frames the shim could not take (no
 * memory, too long) and {@code deviceRxMissed} / {@code deviceTxErrors} the device's own counts
 * of frames lost before the shim saw them or that it failed to send. Any of the last four
 * growing under load means retransmissions: the numbers to look at when throughput drops.
 */
public record BridgeStats(long rxPackets, long txPackets, long txDropped, long rxBytes, long txBytes, long accepted,
                          long open, long rxDropped, long deviceRxMissed, long deviceTxErrors) {
    /** From the shim's {@code wd_stats}, in its field order. */
    static BridgeStats of(long[] s) {
        return new BridgeStats(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9]);
    }
}
