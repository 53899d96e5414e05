package dev.weir.bench.load;

/**
 * CPU a process spent over a measured interval (user + system, from {@code /proc}): as cores
 * busy on average, as microseconds per request answered in the interval, and the part of it
 * spent in the kernel (system time: syscalls, network stack, context switches, fsync).
 */
public record CpuUse(double cores, double microsPerRequest, double systemShare) {
    static CpuUse of(CpuTime used, double seconds, long requests) {
        long micros = used.totalMicros();
        double cores = seconds > 0 ? micros / (seconds * 1e6) : 0;
        double perRequest = requests > 0 ? (double) micros / requests : 0;
        double system = micros > 0 ? (double) used.systemMicros() / micros : 0;
        return new CpuUse(Math.round(cores * 1000) / 1000.0, Math.round(perRequest * 10) / 10.0,
                Math.round(system * 1000) / 1000.0);
    }
}
