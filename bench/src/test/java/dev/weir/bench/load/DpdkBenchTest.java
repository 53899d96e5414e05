package dev.weir.bench.load;

import dev.weir.bench.load.DpdkBenchPlan.Outcome;
import dev.weir.bench.load.DpdkBenchPlan.Step;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The parts of {@code ./weir bench dpdk} that do not need root or DPDK: its plan alternates the
 * transports and records no warm-up, its report takes medians and ranges, the CPU of named
 * threads and the namespace's TCP counters are read from /proc, a server is ready when its log
 * says so, and a phase's requests can be freed. The run itself needs root and DPDK (docs/benchmarks.md).
 */
class DpdkBenchTest {
    @Test
    void theRoundsAlternateTheOrderAndOnlyTheWarmUpIsUnrecorded() {
        DpdkBench.Options o = DpdkBench.Options.parse(List.of("--rounds", "3", "--rate", "50"));
        List<Step> steps = DpdkBench.steps(o, List.of("epoll", "dpdk"));
        List<Step> warm = steps.stream().filter(s -> !s.recorded()).toList();
        assertEquals(4, warm.size(), "a mix and a scan warm-up for each transport");
        assertTrue(warm.stream().allMatch(s -> s.round() == 0));
        List<Step> measured = steps.stream().filter(Step::recorded).toList();
        assertEquals(3 * 2 * 3, measured.size(), "three phases per transport per round");
        assertEquals("epoll", measured.get(0).scenario(), "round 1 starts with epoll");
        assertEquals("dpdk", measured.get(6).scenario(), "round 2 starts with dpdk");
        assertEquals("epoll", measured.get(12).scenario(), "round 3 starts with epoll again");
        assertEquals(3, measured.stream().filter(s -> s.scenario().equals("dpdk") && s.rate() == 50).count());
        assertEquals(steps.size(), steps.stream().map(Step::seed).distinct().count(), "every phase has its own seed");
    }

    @Test
    void badOptionsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> DpdkBench.Options.parse(List.of("--rounds", "0")));
        assertThrows(IllegalArgumentException.class, () -> DpdkBench.Options.parse(List.of("--fast")));
        assertTrue(DpdkBench.Options.parse(List.of("--quick", "--spin")).spin());
    }

    @Test
    void theReportGivesMediansRangesAndRatiosOverRounds() {
        List<Outcome> all = new ArrayList<>();
        for (int r = 1; r <= 3; r++) {
            all.add(outcome(r, "epoll", "mix", 0, 1000 + r, 400, 0));
            all.add(outcome(r, "dpdk", "mix", 0, 900 + r, 500, 0.2));
            all.add(outcome(r, "epoll", "mix", 100, 100, 600, 0));
            all.add(outcome(r, "dpdk", "mix", 100, 100, 900, 0.3));
            all.add(outcome(r, "epoll", "scan", 0, 10, 50_000, 0));
            all.add(outcome(r, "dpdk", "scan", 0, 10, 40_000, 0.1));
        }
        String table = DpdkBench.table(DpdkBench.Options.parse(List.of("--rounds", "3")), all);
        assertTrue(table.contains("1002 (1001–1003)"), table);
        assertTrue(table.contains("902 (901–903)"), table);
        assertTrue(table.contains("mix µs/req 1.25x (saturated), 1.50x (at 100/s)"), table);
        assertTrue(table.contains("scan bytes per CPU second 1.25x"), table);
        assertFalse(table.contains("NOTE"), table);
        all.add(new Outcome(all.getFirst().step(), 1, 3, null, 0, 0, cpu(1, 1), cpu(0, 0), cpu(0, 0), cpu(0, 0), 0, 0, 0, 0));
        assertTrue(DpdkBench.table(DpdkBench.Options.parse(List.of("--rounds", "3")), all).contains("NOTE"));
    }

    private static Outcome outcome(int round, String scenario, String workload, double rate, double ops, double micros, double poller) {
        Step step = new Step(round, scenario, workload, rate, 16, 2, 10, round, true);
        double cores = ops * micros / 1e6;
        // Scan: answers of 1 MB each; the bytes per CPU second then scale as 1 / micros.
        long received = workload.equals("scan") ? Math.round(ops * 10 * 1_000_000) : 0;
        return new Outcome(step, ops, 0, null, 100, 200, cpu(cores, micros), cpu(poller, 0), cpu(0, 0), cpu(0.05, 0), 0, received, 0, 0);
    }

    private static CpuUse cpu(double cores, double micros) {
        return new CpuUse(cores, micros, 0);
    }

    @Test
    void aNamedThreadsCpuIsItsOwn() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        Thread spinner = Thread.ofPlatform().name("b17-spinner").start(() -> {
            long x = 0;
            while (!stop.get()) x += System.nanoTime() & 1;
            if (x == 42) System.out.print("");
        });
        try {
            long pid = ProcessHandle.current().pid();
            ThreadCpu t = new ThreadCpu("spinner", pid, "b17-spinner");
            long before = t.cpuTime().totalMicros();
            Thread.sleep(300);
            long used = t.cpuTime().totalMicros() - before;
            assertTrue(used > 0, "the spinning thread used CPU: " + used);
            assertEquals(0, new ThreadCpu("none", pid, "b17-no-such").cpuTime().totalMicros());
            assertEquals(0, new ThreadCpu("gone", -1, "b17-spinner").cpuTime().totalMicros());
        } finally {
            stop.set(true);
            spinner.join();
        }
    }

    @Test
    void theNamespacesTcpCountersAreRead() throws Exception {
        Map<String, Long> c = DpdkBenchClient.tcpCounters();
        assertTrue(c.containsKey("TcpRetransSegs"), c.keySet().toString());
        assertTrue(c.containsKey("TcpExtTCPTimeouts"), c.keySet().toString());
        assertTrue(c.get("TcpActiveOpens") >= 0);
    }

    @Test
    void aServerIsReadyWhenItsLogSaysSo(@TempDir Path dir) {
        try (ServerProcess s = ServerProcess.startUntilLogged("ready", List.of("sh", "-c", "sleep 0.3; echo 'weir ready: here'; sleep 30"),
                dir.resolve("ready.log"), "weir ready: ", Duration.ofSeconds(20))) {
            assertTrue(s.logTail().contains("weir ready: here"));
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ServerProcess.startUntilLogged("dies",
                List.of("sh", "-c", "echo 'no device'; exit 3"), dir.resolve("dies.log"), "weir ready: ", Duration.ofSeconds(20)));
        assertTrue(e.getMessage().contains("exited with 3") && e.getMessage().contains("no device"), e.getMessage());
    }

    @Test
    void theBridgesCountersComeFromItsLog(@TempDir Path dir) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("dpdk.log"), """
                weir ready: dpdk
                [weir-dpdk-counters] INFO dev.weir.dpdk.Bridge - dpdk-bridge: counters at exit: BridgeStats[rxPackets=5, txDropped=2]
                """);
        assertEquals("dpdk bridge: BridgeStats[rxPackets=5, txDropped=2]\n", DpdkBench.bridgeCounters(dir));
        assertEquals("", DpdkBench.bridgeCounters(dir.resolve("none")));
    }

    @Test
    void aPhasesRequestsCanBeFreed() {
        Endpoint e = new Endpoint("x", "127.0.0.1", 1, StoreVsDynalite.CREDENTIALS);
        RequestMix mix = new PeopleWorkload(new com.fasterxml.jackson.databind.ObjectMapper(), 200)
                .mix(new RequestSigner(e, java.time.Instant.now()), PeopleWorkload.DEFAULT_MIX);
        io.netty.buffer.ByteBuf b = mix.entries().getFirst().pool().getFirst().bytes();
        io.netty.buffer.ByteBuf inner = b;
        while (inner.unwrap() != null) inner = inner.unwrap();
        assertEquals(1, inner.refCnt());
        b.release();
        assertEquals(1, inner.refCnt(), "unreleasable while in use");
        mix.free();
        assertEquals(0, inner.refCnt(), "the direct buffer itself is freed");
    }
}
