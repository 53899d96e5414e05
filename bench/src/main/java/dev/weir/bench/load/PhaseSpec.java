package dev.weir.bench.load;

import java.time.Duration;

/**
 * One measured phase: open loop at a fixed offered rate (latency from each request's intended
 * send time, so a stalled server is charged for the requests it delayed, as wrk2 does), or
 * closed loop (each connection sends its next request as soon as the last is answered) to
 * find the saturation throughput. Requests answered during the warm-up are not counted.
 */
public record PhaseSpec(Mode mode, int connections, double rate, Duration warmup, Duration measure, long seed) {
    public enum Mode { OPEN_LOOP, CLOSED_LOOP }

    public PhaseSpec {
        if (connections < 1) throw new IllegalArgumentException("connections must be at least 1");
        if (mode == Mode.OPEN_LOOP && !(rate > 0)) throw new IllegalArgumentException("an open-loop phase needs a rate");
    }

    public static PhaseSpec saturation(int connections, Duration warmup, Duration measure, long seed) {
        return new PhaseSpec(Mode.CLOSED_LOOP, connections, 0, warmup, measure, seed);
    }

    public static PhaseSpec fixedRate(double rate, int connections, Duration warmup, Duration measure, long seed) {
        return new PhaseSpec(Mode.OPEN_LOOP, connections, rate, warmup, measure, seed);
    }

    public boolean openLoop() {
        return mode == Mode.OPEN_LOOP;
    }
}
