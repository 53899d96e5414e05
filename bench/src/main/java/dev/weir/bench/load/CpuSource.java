package dev.weir.bench.load;

/** A process whose CPU time a phase measures. */
public interface CpuSource {
    String name();

    /** User and system CPU time so far. */
    CpuTime cpuTime();
}
