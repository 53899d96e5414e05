package dev.weir.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.weir.bench.load.DpdkBenchPlan.Outcome;
import dev.weir.bench.load.DpdkBenchPlan.Outcomes;
import dev.weir.bench.load.DpdkBenchPlan.Plan;
import dev.weir.bench.load.DpdkBenchPlan.Step;
import dev.weir.bench.load.DpdkBenchPlan.Target;
import dev.weir.dpdk.lab.LabNetwork;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The load side of {@code ./weir bench dpdk}, run by it inside the client network namespace
 * ({@code ip netns exec}): runs a {@link Plan}'s phases in order with the bench's own load
 * generator and writes their {@link Outcome}s. /proc is shared across network namespaces, so
 * it reads the weir processes' CPU itself, for exactly each phase's measured window.
 *
 * <pre>DpdkBenchClient PLAN.json OUTCOMES.json</pre>
 */
public final class DpdkBenchClient {
    private DpdkBenchClient() {}

    public static void main(String[] args) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Plan plan = json.readValue(Path.of(args[0]).toFile(), Plan.class);
        Map<String, Target> targets = new LinkedHashMap<>();
        for (Target t : plan.targets()) targets.put(t.scenario(), t);
        PeopleWorkload workload = new PeopleWorkload(json, plan.items());
        List<Outcome> outcomes = new ArrayList<>();
        try (LoadGenerator generator = new LoadGenerator(1)) {
            for (Step step : plan.steps()) {
                Target t = targets.get(step.scenario());
                Endpoint endpoint = new Endpoint(t.scenario(), t.host(), t.port(), StoreVsDynalite.CREDENTIALS);
                Map<String, Double> weights = step.workload().equals("scan") ? Map.of("ScanPage", 1.0) : PeopleWorkload.DEFAULT_MIX;
                RequestMix mix = workload.mix(new RequestSigner(endpoint, Instant.now()), weights);
                Target idle = plan.targets().stream().filter(o -> o.bridged() && o != t).findFirst().orElse(null);
                List<CpuSource> cpu = List.of(
                        new ProcessCpu("weir", t.pid()),
                        new ThreadCpu("poller", t.pid(), "weir-dpdk"),
                        new ThreadCpu("lwip", t.pid(), "weir-lwip"),
                        new ThreadCpu("idle-poller", idle == null ? -1 : idle.pid(), "weir-dpdk"));
                PhaseSpec spec = step.rate() > 0
                        ? PhaseSpec.fixedRate(step.rate(), step.connections(), Duration.ofSeconds(step.warmupSeconds()),
                        Duration.ofSeconds(step.measureSeconds()), step.seed())
                        : PhaseSpec.saturation(step.connections(), Duration.ofSeconds(step.warmupSeconds()),
                        Duration.ofSeconds(step.measureSeconds()), step.seed());
                Map<String, Long> before = tcpCounters();
                PhaseResult r;
                try {
                    r = generator.run(endpoint, mix, spec, cpu);
                } finally {
                    mix.free();
                }
                Map<String, Long> after = tcpCounters();
                Outcome o = new Outcome(step, r.throughput(), r.errors(), r.failure(), r.latency().p50(), r.latency().p99(),
                        r.serverCpu().get("weir"), r.serverCpu().get("poller"), r.serverCpu().get("lwip"),
                        r.serverCpu().get("idle-poller"), r.bytesSent(), r.bytesReceived(),
                        delta(before, after, "TcpRetransSegs"), delta(before, after, "TcpExtTCPTimeouts"));
                if (step.recorded()) outcomes.add(o);
                System.out.printf("  %s round %d %-10s %-4s %-10s %,9.1f ops/s, weir %6.1f µs/req (%.2f cores, poller %.2f)%s%n",
                        step.recorded() ? "measured" : "warm-up ", step.round(), step.scenario(), step.workload(),
                        step.rate() > 0 ? String.format("@%.0f/s", step.rate()) : "saturated", r.throughput(),
                        o.weir().microsPerRequest(), o.weir().cores(), o.poller().cores(),
                        r.clean() ? "" : ", errors " + r.errors() + " " + (r.failure() == null ? r.errorSamples() : r.failure()));
                System.out.flush();
            }
        }
        Files.writeString(Path.of(args[1]), json.enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(new Outcomes(outcomes, Map.of())));
        System.exit(0);
    }

    private static long delta(Map<String, Long> before, Map<String, Long> after, String name) {
        return after.getOrDefault(name, 0L) - before.getOrDefault(name, 0L);
    }

    /** This namespace's TCP counters, as nstat names them ({@code TcpRetransSegs}, {@code TcpExtTCPTimeouts}). */
    static Map<String, Long> tcpCounters() throws IOException {
        Map<String, Long> counters = new TreeMap<>();
        for (String file : List.of("/proc/net/snmp", "/proc/net/netstat")) {
            LabNetwork.addCounters(Files.readAllLines(Path.of(file)), counters);
        }
        return counters;
    }

    /** A whole process's CPU (not its children). */
    record ProcessCpu(String name, long pid) implements CpuSource {
        @Override
        public CpuTime cpuTime() {
            return ProcCpu.of(pid, false);
        }
    }
}
