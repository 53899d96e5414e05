package dev.weir.bench.load;

import java.util.List;
import java.util.Map;

/**
 * What {@code ./weir bench dpdk} hands to its load client in the client namespace, and what the
 * client hands back (both as JSON files: the client is another process, in another network
 * namespace, and cannot share objects with the orchestrator).
 */
public final class DpdkBenchPlan {
    private DpdkBenchPlan() {}

    /** The weir under load: where the client reaches it, and its process (for CPU), in the root namespace. */
    public record Target(String scenario, String host, int port, long pid, boolean bridged) {}

    /**
     * One phase: {@code workload} "mix" (GetItem 60 / PutItem 30 / Query 10) or "scan" (Scan pages
     * as large as the store makes, up to 1 MB); {@code rate} 0 for saturation (closed loop), else
     * the offered rate (open loop). Unrecorded phases warm the JIT up.
     */
    public record Step(int round, String scenario, String workload, double rate, int connections, int warmupSeconds,
                       int measureSeconds, long seed, boolean recorded) {}

    /** {@code others}: processes whose CPU is also read during each phase (the idle weir, say), by scenario. */
    public record Plan(int items, List<Target> targets, List<Step> steps) {}

    /**
     * A phase's figures. {@code weir}: the loaded weir's whole process; {@code poller} and
     * {@code lwip}: its bridge threads ({@code weir-dpdk}, {@code weir-lwip}; zero on epoll);
     * {@code idleBridgePoller}: the poller of a dpdk weir that is not under load in this phase
     * (what parking costs when idle); {@code clientRetransmits} and {@code clientTimeouts}: the
     * client namespace's TCP counters over the phase.
     */
    public record Outcome(Step step, double throughput, long errors, String failure, double p50Micros, double p99Micros,
                          CpuUse weir, CpuUse poller, CpuUse lwip, CpuUse idleBridgePoller, long bytesSent, long bytesReceived,
                          long clientRetransmits, long clientTimeouts) {
        /** Bytes of answers the client received per second of the loaded weir's CPU. */
        public double responseBytesPerCpuSecond() {
            double cpuSeconds = weir.cores() * step.measureSeconds();
            return cpuSeconds > 0 ? bytesReceived / cpuSeconds : 0;
        }
    }

    public record Outcomes(List<Outcome> outcomes, Map<String, String> notes) {}
}
