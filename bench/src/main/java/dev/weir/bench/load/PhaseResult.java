package dev.weir.bench.load;

import java.util.List;
import java.util.Map;

/**
 * What one phase measured. {@code latency} is from the intended send time in an open-loop
 * phase (coordinated omission corrected) and from the actual send in a closed-loop one;
 * {@code serviceTime} is always from the actual send. {@code machineCpu} is every CPU's busy and
 * steal share over the interval (busy beyond the measured processes is other load). {@code histogram} is the whole
 * latency histogram (nanoseconds), HdrHistogram's compressed encoding in base64, for reports
 * that draw distributions. {@code bytesSent} and {@code bytesReceived} are the client's request and
 * response bytes on the wire (HTTP heads and bodies) within the measured window.
 * {@code heapBytesPerRequest} is what a weir's threads allocated on the heap per completed request
 * in the window ({@link HeapAllocation}), or {@link #NOT_MEASURED} for a phase that did not read it.
 */
public record PhaseResult(
        String endpoint,
        String mode,
        int connections,
        double offeredRate,
        double seconds,
        double throughput,
        long requests,
        long errors,
        List<String> errorSamples,
        String failure,
        Latency latency,
        Latency serviceTime,
        Map<String, Latency> byOperation,
        Map<String, CpuUse> serverCpu,
        CpuUse clientCpu,
        Map<String, CpuStat.Use> machineCpu,
        String measureStart,
        String measureEnd,
        String histogram,
        long bytesSent,
        long bytesReceived,
        double heapBytesPerRequest) {

    /** {@code heapBytesPerRequest} of a phase that did not read it (not a weir, not at saturation, or the reading failed). */
    public static final double NOT_MEASURED = -1;

    /** Whether the phase read its server's heap allocation ({@code heapBytesPerRequest}). */
    public boolean heapMeasured() {
        return heapBytesPerRequest != NOT_MEASURED;
    }

    /** False when the phase cannot be trusted: a connection failed, or requests got errors. */
    public boolean clean() {
        return failure == null && errors == 0;
    }
}
