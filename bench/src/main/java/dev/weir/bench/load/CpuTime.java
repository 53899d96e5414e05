package dev.weir.bench.load;

/** User and system CPU time of a process, in microseconds. */
public record CpuTime(long userMicros, long systemMicros) {
    public static final CpuTime ZERO = new CpuTime(0, 0);

    public long totalMicros() {
        return userMicros + systemMicros;
    }

    public CpuTime plus(CpuTime o) {
        return new CpuTime(userMicros + o.userMicros, systemMicros + o.systemMicros);
    }

    public CpuTime minus(CpuTime o) {
        return new CpuTime(userMicros - o.userMicros, systemMicros - o.systemMicros);
    }
}
