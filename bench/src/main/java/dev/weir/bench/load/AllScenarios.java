package dev.weir.bench.load;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.weir.bench.report.AddedLatency;
import dev.weir.bench.report.BenchReport;
import dev.weir.bench.report.FlameGraph;
import dev.weir.bench.report.HtmlReport;
import dev.weir.bench.report.Profile;
import dev.weir.bench.report.LineRate;
import dev.weir.bench.report.Percentiles;
import dev.weir.bench.report.Ratio;
import dev.weir.bench.report.Ratios;
import dev.weir.bench.report.ScenarioFigures;
import dev.weir.bench.report.StreamFigures;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code ./weir bench [--quick]}: every scenario of issue 7 in one run, on the same data and
 * request mix, with the same load generator: the bundled store direct; weir in front of it
 * with an allow-all policy; weir with the demo-like policy and audit off, async and sync;
 * HAProxy in front of the store; dynalite direct. For each: saturation throughput (closed
 * loop), latency at one fixed offered rate (open loop, coordinated omission corrected), and
 * CPU per request of each server process. Then weir's bytes per CPU second on Scan pages (the
 * line-rate statement), the ratios, and results.json, table.txt and report.html under
 * bench/results/&lt;timestamp&gt;/. See docs/benchmarks.md.
 */
public final class AllScenarios {
    private static final List<String> JVM_FLAGS = List.of("--enable-native-access=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    /** The stream scenario: the whole stream of a table read through weir and from the store direct (docs/benchmarks.md). */
    static final String STREAM = "stream-read";
    static final List<String> ALL = List.of(Ratios.STORE, Ratios.ALLOW_ALL, Ratios.DEMO_OFF, Ratios.DEMO_ASYNC,
            Ratios.DEMO_SYNC, Ratios.HAPROXY, Ratios.DYNALITE, STREAM);
    /**
     * The allow-all weir on {@code proxy.transport: io_uring} instead of weir's default (epoll): run only when named in
     * {@code --only}, to compare the two transports in one run (docs/benchmarks.md, "io_uring against epoll").
     */
    static final String ALLOW_ALL_IO_URING = "weir-allow-all-io_uring";
    /**
     * The allow-all weir with the JVM options {@code --alt-jvm} names added to its command line: run only when named in
     * {@code --only}, beside {@link Ratios#ALLOW_ALL}, to compare JVM options (a collector, object headers, huge pages)
     * against a baseline in the same run (docs/benchmarks.md, "JVM options").
     */
    static final String ALLOW_ALL_ALT = "weir-allow-all-alt";
    /** Scenarios that {@code --only} may name besides {@link #ALL}; never run by default. */
    static final List<String> EXTRA = List.of(ALLOW_ALL_IO_URING, ALLOW_ALL_ALT);
    /** The weir servers the stream scenario reads through (with the store direct), started for it when not chosen themselves. */
    private static final List<String> STREAM_WEIRS = List.of(Ratios.ALLOW_ALL, Ratios.DEMO_OFF);
    private static final Map<String, String> TITLES = Map.of(
            Ratios.STORE, "bundled store, direct",
            Ratios.ALLOW_ALL, "weir, allow-all policy → store",
            ALLOW_ALL_IO_URING, "weir on io_uring, allow-all policy → store",
            ALLOW_ALL_ALT, "weir with --alt-jvm options, allow-all policy → store",
            Ratios.DEMO_OFF, "weir, demo policy, audit off → store",
            Ratios.DEMO_ASYNC, "weir, demo policy, audit async → store",
            Ratios.DEMO_SYNC, "weir, demo policy, audit sync → store",
            Ratios.HAPROXY, "HAProxy (HTTP mode) → store",
            Ratios.DYNALITE, "dynalite, direct");
    /** The audit mode each weir scenario runs with; null: the config names none (weir's default). */
    private static final Map<String, String> AUDIT_MODE = new LinkedHashMap<>();

    static {
        AUDIT_MODE.put(Ratios.ALLOW_ALL, null);
        AUDIT_MODE.put(ALLOW_ALL_IO_URING, null);
        AUDIT_MODE.put(ALLOW_ALL_ALT, null);
        AUDIT_MODE.put(Ratios.DEMO_OFF, "off");
        AUDIT_MODE.put(Ratios.DEMO_ASYNC, "async");
        AUDIT_MODE.put(Ratios.DEMO_SYNC, "sync");
    }

    /** The scenarios measured at one connection (the first is the baseline), and their rate (at most the fixed rate). */
    private static final List<String> ONE_CONNECTION = List.of(Ratios.STORE, Ratios.ALLOW_ALL, Ratios.DEMO_ASYNC, Ratios.HAPROXY);
    private static final double ONE_CONNECTION_RATE = 200;
    /** Other servers busy beyond this (cores, on average over a phase) get a note. */
    private static final double OTHERS_NOTE_CORES = 0.1;

    public static final String ALLOW_ALL_POLICY = """
            role bench
            @id("all")
            allow bench on table * op *
            """;

    /**
     * The demo policy (conf/policies/people.weir) for one principal who is both its analyst (of
     * region eu) and its writer. Differences, each because the benchmark could not otherwise
     * run it: the bulk-read deny keeps its network condition but not its time window (results
     * must not depend on the hour); there is no Scan-needs-the-batch-certificate deny (the load
     * generator does not do TLS); the write rule has no {@code require} (weir refuses UpdateItem
     * under a write requirement until it generates a stored-item condition) and allows salary
     * (the workload's writers set every attribute); both rules also name {@code prefs}, the
     * benchmark's own map, which the analyst reads whole so that the workload's UpdateItem may
     * write into it (a write into {@code address.city} reads {@code address}, whose street the
     * analyst may not see, and is refused). The rule {@code people-stream-read} is the benchmark's
     * own: the read rule's view on the stream scenario's table ({@link StreamTable}).
     */
    public static final String DEMO_POLICY = """
            # Generated by ./weir bench from conf/policies/people.weir; see docs/benchmarks.md.
            role bench
            network office = [10.0.0.0/8, 127.0.0.0/8]

            @id("people-read")
            allow bench on table people op [GetItem, Query, Scan, BatchGetItem]
              rows where item.region == principal.region
              fields [id, name, region, email, ssn, address.*, prefs]
              mask ssn show_last(4)
              mask email hash
              remove address.street

            @id("people-bulk-from-office")
            deny bench on table people op [Query, Scan, BatchGetItem]
              when not (ctx.source in office)
              reason "bulk reads only from the office network"

            @id("people-write")
            allow bench on table people op [PutItem, UpdateItem]
              fields [id, name, email, ssn, salary, region, address.*, prefs, tags, notes]

            @id("people-stream-read")
            allow bench on table people_stream op [DescribeStream, GetShardIterator, GetRecords]
              rows where item.region == principal.region
              fields [id, name, region, email, ssn, address.*, prefs]
              mask ssn show_last(4)
              mask email hash
              remove address.street

            @id("people-admin")
            allow bench on table people op [CreateTable, DescribeTable]

            @id("people-never-dropped")
            deny * on table people op [DeleteTable]
              reason "the people table is never dropped through weir"
            """;

    /** The command line. */
    record Options(boolean quick, int items, int connections, Double rate, double rateFraction, Duration warmupPass,
                   Duration saturationWarmup,
                   Duration saturationMeasure, Duration fixedWarmup, Duration fixedMeasure, int repeat, boolean pin,
                   boolean jfr, boolean lineRate, Set<String> scenarios, Map<String, Double> mix, Path out, int streamWrites,
                   Duration streamWarmupMin, Duration streamWarmupMax, Duration streamMeasure, List<String> weirJvm,
                   List<String> altJvm) {

        static Options parse(List<String> args, Path root) {
            boolean quick = args.contains("--quick");
            int items = quick ? 4_000 : 10_000;
            int streamWrites = quick ? 10_000 : 40_000;
            int connections = 32;
            Double rate = null;
            double fraction = 0.6;
            int repeat = quick ? 1 : 3;
            boolean pin = true;
            boolean jfr = false;
            boolean lineRate = true;
            Set<String> scenarios = new LinkedHashSet<>(ALL);
            Map<String, Double> mix = PeopleWorkload.FULL_MIX;
            Path out = null;
            List<String> weirJvm = new ArrayList<>();
            List<String> altJvm = new ArrayList<>();
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                switch (a) {
                    case "--quick" -> { }
                    case "--items" -> items = positive(a, value(args, ++i, a));
                    case "--connections" -> connections = positive(a, value(args, ++i, a));
                    case "--rate" -> rate = (double) positive(a, value(args, ++i, a));
                    case "--rate-fraction" -> {
                        fraction = Double.parseDouble(value(args, ++i, a));
                        if (!(fraction > 0 && fraction <= 1)) throw new IllegalArgumentException("--rate-fraction must be in (0, 1]");
                    }
                    case "--repeat" -> repeat = positive(a, value(args, ++i, a));
                    case "--no-pin" -> pin = false;
                    case "--jfr" -> jfr = true;
                    case "--no-line-rate" -> lineRate = false;
                    case "--only" -> scenarios = names(value(args, ++i, a));
                    case "--skip" -> scenarios.removeAll(names(value(args, ++i, a)));
                    case "--mix" -> mix = PeopleWorkload.mixOf(value(args, ++i, a));
                    case "--out" -> out = Path.of(value(args, ++i, a));
                    case "--weir-jvm" -> weirJvm.add(value(args, ++i, a));
                    case "--alt-jvm" -> altJvm.add(value(args, ++i, a));
                    case "--stream-writes" -> {
                        streamWrites = positive(a, value(args, ++i, a));
                        if (streamWrites < 100) throw new IllegalArgumentException("--stream-writes must be at least 100");
                    }
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (scenarios.isEmpty()) throw new IllegalArgumentException("no scenario left to run");
            if (!altJvm.isEmpty() && !scenarios.contains(ALLOW_ALL_ALT)) {
                throw new IllegalArgumentException("--alt-jvm is for " + ALLOW_ALL_ALT + ", which --only does not name");
            }
            if (out == null) {
                out = root.resolve("bench/results")
                        .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            }
            // Each scenario is warmed up first (until its CPU per request is steady, at most warmupPass),
            // so the phases' own warm-ups only need to let the connections and the server settle.
            // --quick shortens the measured phases, never the warm-up: on the 2-core machine weir's JIT
            // compiler settles after 55-80 s of load, and a quick run capped at 30 s measured the
            // compiler (two such runs disagreed by 30% on weir's CPU per request).
            Duration warmupPass = Duration.ofSeconds(90);
            Duration satWarm = Duration.ofSeconds(quick ? 2 : 5), satMeasure = Duration.ofSeconds(quick ? 4 : 15);
            Duration fixWarm = Duration.ofSeconds(quick ? 1 : 5), fixMeasure = Duration.ofSeconds(quick ? 4 : 20);
            Duration streamWarmMin = Duration.ofSeconds(quick ? 4 : 10), streamWarmMax = Duration.ofSeconds(quick ? 20 : 60);
            Duration streamMeasure = Duration.ofSeconds(quick ? 5 : 15);
            return new Options(quick, items, connections, rate, fraction, warmupPass, satWarm, satMeasure, fixWarm, fixMeasure, repeat, pin,
                    jfr, lineRate, scenarios, mix, out, streamWrites, streamWarmMin, streamWarmMax, streamMeasure, List.copyOf(weirJvm), List.copyOf(altJvm));
        }

        private static Set<String> names(String list) {
            Set<String> names = new LinkedHashSet<>();
            for (String n : list.split(",")) {
                if (!ALL.contains(n.trim()) && !EXTRA.contains(n.trim())) {
                    throw new IllegalArgumentException("unknown scenario " + n.trim() + " (scenarios: " + String.join(", ", ALL)
                            + "; on request: " + String.join(", ", EXTRA) + ")");
                }
                names.add(n.trim());
            }
            return names;
        }

        private static int positive(String option, String text) {
            try {
                int v = Integer.parseInt(text);
                if (v > 0) return v;
            } catch (NumberFormatException ignored) {
                // below
            }
            throw new IllegalArgumentException(option + " needs a positive whole number, got " + text);
        }

        private static String value(List<String> args, int i, String option) {
            if (i >= args.size()) throw new IllegalArgumentException(option + " needs a value");
            return args.get(i);
        }
    }

    /**
     * One measured phase of one scenario, and the cores the benchmark's other servers used
     * meanwhile (they share the server CPUs: an idle-looking server still busy with background
     * work, such as shipping audit events, slows the one under test).
     */
    record Measured(String scenario, String kind, int run, PhaseResult result, Map<String, Double> otherServersCores,
                    Map<String, Double> proxyThreads) {
        Measured(String scenario, String kind, int run, PhaseResult result, Map<String, Double> otherServersCores) {
            this(scenario, kind, run, result, otherServersCores, Map.of());
        }
    }

    /** A scenario that started: where to send load, and which processes' CPU is its cost. */
    /** A started scenario and its prepared, signed requests ({@code signedAt}: when they were signed). */
    private record Running(String name, Endpoint endpoint, List<ServerProcess> cpu, RequestMix mix, Instant signedAt) {}

    /**
     * Prepared requests carry their signature's time, and SigV4 refuses a signature more than
     * 15 minutes old, so a full run (about half an hour) signs each scenario's requests again
     * when they are older than {@link #RESIGN_AFTER}.
     */
    private static final Duration RESIGN_AFTER = Duration.ofMinutes(5);

    private static Running fresh(Map<String, Running> running, Running s, PeopleWorkload workload, Options o) {
        if (Duration.between(s.signedAt(), Instant.now()).compareTo(RESIGN_AFTER) < 0) return s;
        Running next = running(s.endpoint(), s.cpu(), workload, o);
        running.put(s.name(), next);
        return next;
    }

    private AllScenarios() {}

    public static int run(List<String> args) throws Exception {
        Path root = Path.of(System.getProperty("weir.root",
                System.getenv().getOrDefault("WEIR_ROOT", System.getProperty("user.dir")))).toAbsolutePath();
        Options o = Options.parse(args, root);
        long t0 = System.nanoTime();
        Instant startedAt = Instant.now();
        Machine machine = Machine.describe();
        Pinning pinning = Pinning.apply(o.pin());
        Files.createDirectories(o.out());
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        PeopleWorkload workload = new PeopleWorkload(new ObjectMapper(), o.items());
        say("weir bench: all scenarios%s", o.quick() ? " (quick)" : "");
        say("machine:  %s; load average at start %s", machine.oneLine(), machine.loadAverageAtStart());
        say("pinning:  %s", pinning.note());
        say("results:  %s", o.out());

        Path work = Files.createTempDirectory("weir-bench-all-");
        Map<String, ScenarioFigures> unavailable = new LinkedHashMap<>();
        Map<String, Running> running = new LinkedHashMap<>();
        List<Measured> measured = new ArrayList<>();
        List<LineRate> lineRates = new ArrayList<>();
        List<AddedLatency> added = new ArrayList<>();
        Map<String, StreamScenario.Target> streamTargets = new LinkedHashMap<>();
        List<StreamFigures> streams = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Map<String, Object> setup = new LinkedHashMap<>();
        List<ServerProcess> started = new ArrayList<>();
        Thread cleanup = new Thread(() -> closeAll(started), "weir-bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        double rate = 0;
        String rateChosenBy;
        try (LoadGenerator generator = new LoadGenerator(1)) {
            setup.put("loadGenerator", "Java/Netty HTTP/1.1 (" + generator.transport() + "), 1 I/O thread, keep-alive, one request "
                    + "in flight per connection, SigV4 signed before the run");
            startServers(o, root, work, pinning, workload, started, running, unavailable, setup, streamTargets);
            say("workload: %s; mix %s", workload.describe(),
                    running.values().stream().findFirst().map(r -> r.mix().describe()).orElse("-"));
            say("servers started in %.0f s", (System.nanoTime() - t0) / 1e9);

            long seed = 1;
            // Every server runs the mix before anything is measured, until its CPU per request is steady:
            // a cold JVM (store or weir) spends several times its warm CPU per request compiling (JIT).
            Map<String, Object> warmups = new LinkedHashMap<>();
            for (Running s : running.values()) {
                Warmup w = warmUp(generator, s, o, seed);
                seed += 100;
                warmups.put(s.name(), w);
                say("  warm-up    %-22s %4.0f s, CPU µs/req by step %s, JIT share %s%s", s.name(), w.seconds(), w.cpuPerRequest(),
                        w.jitShare().stream().map(j -> Math.round(j * 100) + "%").toList(),
                        w.steady() ? "" : " (NOT steady: figures of this scenario include JIT compilation)");
                if (!w.steady()) notes.add(s.name() + " was not steady after " + Math.round(w.seconds())
                        + " s of warm-up: its CPU per request may include JIT compilation");
            }
            setup.put("warmup", warmups);
            // A quick run measures saturation three times too (short windows on a noisy machine disagree): its
            // figures are medians and it prints its own spread of CPU per request.
            int saturationRuns = o.quick() ? Math.max(3, o.repeat()) : o.repeat();
            for (int r = 1; r <= saturationRuns; r++) {
                for (Running scenario : order(running.values(), r)) {
                    Running s = fresh(running, scenario, workload, o);
                    Measured m = phase(generator, s, s.mix(),
                            PhaseSpec.saturation(o.connections(), o.saturationWarmup(), o.saturationMeasure(), seed++), started,
                            "saturation", r);
                    measured.add(m);
                    PhaseResult res = m.result();
                    say("  saturation %-22s run %d: %,8.0f ops/s, CPU µs/req %s; client %.2f cores%s", s.name(), r,
                            res.throughput(), cpuLine(res), res.clientCpu().cores(), problems(res));
                }
            }
            if (o.jfr()) profilePhases(o, generator, running, workload, started, measured, notes, seed++);
            if (o.rate() != null) {
                rate = o.rate();
                rateChosenBy = "--rate";
            } else {
                double lowest = running.keySet().stream()
                        .mapToDouble(n -> StoreVsDynalite.median(phases(measured, n, "saturation"), PhaseResult::throughput))
                        .filter(v -> v > 0).min().orElse(100);
                rate = Math.max(1, Math.round(lowest * o.rateFraction()));
                rateChosenBy = Math.round(100 * o.rateFraction()) + "% of the lowest saturation throughput";
            }
            say("fixed rate: %,.0f ops/s offered to every scenario (%s)", rate, rateChosenBy);
            for (int r = 1; r <= o.repeat(); r++) {
                for (Running scenario : order(running.values(), r)) {
                    Running s = fresh(running, scenario, workload, o);
                    Measured m = phase(generator, s, s.mix(),
                            PhaseSpec.fixedRate(rate, o.connections(), o.fixedWarmup(), o.fixedMeasure(), seed++), started,
                            "fixed-rate", r);
                    measured.add(m);
                    PhaseResult res = m.result();
                    say("  fixed rate %-22s run %d: %,8.0f ops/s, p50 %s µs, p99 %s µs, p99.9 %s µs, CPU µs/req %s%s", s.name(), r,
                            res.throughput(), num(res.latency().p50()), num(res.latency().p99()), num(res.latency().p999()),
                            cpuLine(res), problems(res));
                }
            }
            // Latency a proxy adds: one connection at a low rate, so nothing queues, and GetItem only:
            // a write waits for the store's WAL sync, whose stalls on a busy disk would swamp the difference.
            double oneRate = Math.min(ONE_CONNECTION_RATE, rate);
            Map<String, RequestMix> gets = new LinkedHashMap<>();
            for (String name : ONE_CONNECTION) {
                if (running.containsKey(name)) {
                    gets.put(name, workload.mix(new RequestSigner(running.get(name).endpoint(), Instant.now()), Map.of("GetItem", 1.0)));
                }
            }
            // The store's baseline is measured right before each proxy, so a disturbance hits one of
            // several baseline phases (their median is used) rather than every comparison.
            List<String> oneOrder = new ArrayList<>();
            for (String proxy : ONE_CONNECTION.subList(1, ONE_CONNECTION.size())) {
                if (running.containsKey(proxy)) oneOrder.addAll(List.of(ONE_CONNECTION.getFirst(), proxy));
            }
            for (int r = 1; r <= o.repeat(); r++) {
                for (String name : oneOrder) {
                    Running s = running.get(name);
                    if (s == null) continue;
                    Measured m = phase(generator, s, gets.get(name), PhaseSpec.fixedRate(oneRate, 1, o.fixedWarmup(), o.fixedMeasure(), seed++),
                            started, "one-connection", r);
                    measured.add(m);
                    PhaseResult res = m.result();
                    say("  1 conn.    %-22s run %d: %,8.0f ops/s, p50 %s µs, p99 %s µs%s", name, r, res.throughput(),
                            num(res.latency().p50()), num(res.latency().p99()), problems(res));
                }
            }
            if (running.containsKey(Ratios.STORE)) {
                List<PhaseResult> base = phases(measured, Ratios.STORE, "one-connection");
                for (String name : ONE_CONNECTION.subList(1, ONE_CONNECTION.size())) {
                    List<PhaseResult> p = phases(measured, name, "one-connection");
                    if (p.isEmpty()) continue;
                    added.add(new AddedLatency(name, Ratios.STORE, oneRate,
                            StoreVsDynalite.median(p, x -> x.latency().p50()), StoreVsDynalite.median(p, x -> x.latency().p99()),
                            StoreVsDynalite.median(base, x -> x.latency().p50()),
                            StoreVsDynalite.median(base, x -> x.latency().p99())));
                }
            }
            if (o.lineRate()) {
                // Pages of 25 items (the mix's Scan: per-request costs dominate) and pages as large as the
                // store makes (no Limit: up to 1 MB, where the cost per byte shows).
                Map<String, String> pageKinds = new LinkedHashMap<>();
                pageKinds.put("Scan", PeopleWorkload.SCAN_LIMIT + " items");
                pageKinds.put("ScanPage", "up to 1 MB");
                // Each figure is the median of three runs (or --repeat's number), taken in turns so that a drift of
                // the machine spreads over all of them; the sentence gives the runs' spread.
                int lineRateRuns = Math.max(3, o.repeat());
                Map<String, List<LineRate>> runsOf = new LinkedHashMap<>();
                for (int r = 1; r <= lineRateRuns; r++) {
                    for (String name : List.of(Ratios.ALLOW_ALL, Ratios.DEMO_ASYNC)) {
                        Running s = running.get(name);
                        if (s == null) continue;
                        for (Map.Entry<String, String> kind : pageKinds.entrySet()) {
                            RequestMix scans = workload.mix(new RequestSigner(s.endpoint(), Instant.now()), Map.of(kind.getKey(), 1.0));
                            Measured m = phase(generator, s, scans, PhaseSpec.saturation(16, o.fixedWarmup(), o.fixedMeasure(), seed++),
                                    started, kind.getKey().equals("Scan") ? "line-rate-scan" : "line-rate-scan-page", r);
                            measured.add(m);
                            PhaseResult res = m.result();
                            CpuUse weirCpu = res.serverCpu().get(name);
                            runsOf.computeIfAbsent(name + " " + kind.getKey(), k -> new ArrayList<>()).add(LineRate.of(name,
                                    kind.getValue(), res.seconds(), res.bytesSent(), res.bytesReceived(), weirCpu.cores() * res.seconds(),
                                    res.throughput()));
                            say("  line rate  %-22s Scan pages of %s, run %d: %,.0f pages/s, %.1f MB/s in + %.1f MB/s out, weir %.2f cores%s",
                                    name, kind.getValue(), r, res.throughput(), res.bytesSent() / res.seconds() / 1e6,
                                    res.bytesReceived() / res.seconds() / 1e6, weirCpu.cores(), problems(res));
                            if (!res.clean()) {
                                notes.add("the line-rate phase (pages of " + kind.getValue() + ", run " + r + ") of " + name
                                        + " had errors: " + problems(res).trim());
                            }
                        }
                    }
                }
                for (List<LineRate> runs : runsOf.values()) lineRates.add(LineRate.median(runs));
            }
            if (o.scenarios().contains(STREAM)) {
                streams.addAll(streamPhase(o, workload, streamTargets, setup));
                for (StreamFigures f : streams) {
                    if (f.problem() != null) notes.add(STREAM + " through " + f.scenario() + ": " + f.problem());
                }
            }
        } finally {
            closeAll(started);
            started.clear();
            Runtime.getRuntime().removeShutdownHook(cleanup);
            deleteTree(work);
        }

        Map<String, ScenarioFigures> figures = new LinkedHashMap<>();
        for (String name : java.util.stream.Stream.concat(ALL.stream(), EXTRA.stream()).toList()) {  // the extras when run
            if (unavailable.containsKey(name)) figures.put(name, unavailable.get(name));
            else if (running.containsKey(name)) figures.put(name, figures(measured, name));
        }
        for (ScenarioFigures f : figures.values()) {
            if (f.available() && !f.clean()) notes.add(f.name() + ": some phases had errors or failed connections; see results.json");
        }
        measured.stream().filter(m -> m.result().clientCpu().cores() > 0.9 && m.kind().equals("saturation")).findAny()
                .ifPresent(m -> notes.add("the load generator was near a full core during some saturation phases (e.g. "
                        + m.scenario() + "): those throughputs are lower bounds"));
        for (Measured m : measured) {
            double others = m.otherServersCores().values().stream().mapToDouble(Double::doubleValue).sum();
            if (others >= OTHERS_NOTE_CORES) {
                notes.add(String.format("during the %s phase of %s (run %d) the other servers used %.2f cores %s: they compete "
                        + "with it for the server CPU(s)", m.kind(), m.scenario(), m.run(), others, m.otherServersCores()));
            }
        }
        List<Ratio> ratios = Ratios.compute(figures);
        notes.addAll(0, spreads(measured, figures.keySet()));
        notes.addAll(threadShares(measured, figures.keySet()));
        notes.addAll(heapAllocation(measured, figures.keySet()));

        String table = table(figures.values(), ratios, added, lineRates, streams, rate, rateChosenBy, notes);
        System.out.println();
        System.out.print(table);

        Map<String, Object> options = new LinkedHashMap<>();
        options.put("items", o.items());
        options.put("connections", o.connections());
        options.put("repeat", o.repeat());
        options.put("warmupMaxSeconds", o.warmupPass().toSeconds());
        options.put("saturation", Map.of("warmupSeconds", o.saturationWarmup().toSeconds(), "measureSeconds",
                o.saturationMeasure().toSeconds()));
        options.put("fixedRate", Map.of("warmupSeconds", o.fixedWarmup().toSeconds(), "measureSeconds", o.fixedMeasure().toSeconds()));
        options.put("pinning", pinning);
        options.put("weirJvm", o.weirJvm());
        options.put("altJvm", o.altJvm());
        options.put("setup", setup);
        Map<String, Object> machineMap = new LinkedHashMap<>(mapper.convertValue(machine, new TypeReference<Map<String, Object>>() {}));
        machineMap.put("summary", machine.oneLine());
        BenchReport report = new BenchReport(startedAt.toString(), Instant.now().toString(), o.quick(), machineMap, options,
                running.values().stream().findFirst().map(r -> r.mix().describe()).orElse(o.mix().toString()), rate, rateChosenBy,
                List.copyOf(figures.values()), ratios, added, lineRates, streams, notes, measured);
        Files.writeString(o.out().resolve("results.json"), mapper.writeValueAsString(report));
        Files.writeString(o.out().resolve("table.txt"), table);
        List<Profile> profiles = o.jfr() ? writeJfrSummaries(o, measured) : List.of();
        Files.writeString(o.out().resolve("report.html"), HtmlReport.render(report, profiles));
        say("%nwrote %s (results.json, table.txt, report.html) in %.0f s", o.out(), (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    /** Stops the servers, all at once (each may take seconds to stop). */
    private static void closeAll(List<ServerProcess> servers) {
        List<Thread> stopping = servers.stream().map(s -> Thread.ofVirtual().start(s::close)).toList();
        for (Thread t : stopping) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Starts every chosen scenario's servers; a scenario whose server does not start is recorded as unavailable. */
    private static void startServers(Options o, Path root, Path work, Pinning pinning, PeopleWorkload workload,
                                     List<ServerProcess> started, Map<String, Running> running,
                                     Map<String, ScenarioFigures> unavailable, Map<String, Object> setup,
                                     Map<String, StreamScenario.Target> streamTargets) throws IOException {
        Set<String> wanted = o.scenarios();
        boolean needStore = wanted.stream().anyMatch(n -> !n.equals(Ratios.DYNALITE));
        ServerProcess store = null;
        DynamoCalls direct = null;
        if (needStore) {
            int port = ServerProcess.freePort();
            List<String> cmd = java();
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), StoreMain.class.getName()));
            cmd.addAll(StoreMain.arguments(work.resolve("store"), "127.0.0.1", port));
            store = ServerProcess.start("store", pinning.server(cmd), o.out().resolve("store.log"), port, Duration.ofSeconds(60));
            started.add(store);
            // Straight to the store: signed with its key pair, weir's upstream credentials (it answers no other).
            Endpoint e = new Endpoint(Ratios.STORE, "127.0.0.1", port, StoreMain.UPSTREAM);
            direct = new DynamoCalls(e, new ObjectMapper());
            workload.createTable(direct);
            double seconds = workload.preload(direct, 4);
            workload.verify(direct);
            setup.put("store", Map.of("pid", store.pid(), "preloadSeconds", round(seconds), "data", work.resolve("store").toString()));
            say("  store     pid %d, port %d: %d items preloaded in %.1f s, answers checked", store.pid(), port, o.items(), seconds);
            if (wanted.contains(Ratios.STORE)) running.put(Ratios.STORE, running(e, List.of(store), workload, o));
            if (wanted.contains(STREAM)) {
                streamTargets.put(Ratios.STORE, new StreamScenario.Target(Ratios.STORE, e, List.of(store), StreamScenario.View.ALL));
            }
        }
        // WEIR_BENCH_JAR: another build of weir (e.g. a baseline kept aside) for the weir scenarios
        Path jar = System.getenv("WEIR_BENCH_JAR") != null ? Path.of(System.getenv("WEIR_BENCH_JAR")).toAbsolutePath()
                : root.resolve("appliance/target/weir.jar");
        Path principals = work.resolve("principals.yaml");
        Files.writeString(principals, """
                principals:
                  - {name: bench, access_key_id: %s, secret_access_key: %s, roles: [bench], attributes: {region: eu}}
                """.formatted(StoreVsDynalite.CREDENTIALS.accessKeyId(), StoreVsDynalite.CREDENTIALS.secretAccessKey()));
        for (Map.Entry<String, String> w : AUDIT_MODE.entrySet()) {
            String name = w.getKey();
            boolean forStream = wanted.contains(STREAM) && STREAM_WEIRS.contains(name);
            if (!wanted.contains(name) && !forStream) continue;
            if (!Files.exists(jar)) {
                unavailable.put(name, unavailable(name, jar + " is missing (build with mvn install)"));
                continue;
            }
            try {
                ServerProcess weir = startWeir(o, name, w.getValue(), jar, work, principals, store.port(), pinning);
                started.add(weir);
                Endpoint e = new Endpoint(name, "127.0.0.1", weir.port(), StoreVsDynalite.CREDENTIALS);
                DynamoCalls through = new DynamoCalls(e, new ObjectMapper());
                if (allowAll(name)) workload.verifySame(through, direct);
                else workload.verifyMasked(through, direct);
                if (wanted.contains(name)) running.put(name, running(e, List.of(weir, store), workload, o));
                if (forStream) {
                    streamTargets.put(name, new StreamScenario.Target(name, e, List.of(weir, store),
                            name.equals(Ratios.ALLOW_ALL) ? StreamScenario.View.ALL : StreamScenario.View.DEMO));
                }
                say("  %-9s pid %d, port %d (audit %s): answers checked%s", name, weir.pid(), weir.port(),
                        w.getValue() == null ? "as configured by default" : w.getValue(),
                        wanted.contains(name) ? "" : " (for " + STREAM + " only)");
            } catch (RuntimeException ex) {
                String why = firstLine(ex.getMessage());
                if (why.contains("unknown key 'mode'")) {
                    why = "this weir build does not know audit.mode (" + why.replaceAll(".*error: ", "") + ")";
                }
                if (wanted.contains(name)) unavailable.put(name, unavailable(name, why));
                say("  %-9s UNAVAILABLE: %s", name, why);
            }
        }
        if (wanted.contains(Ratios.HAPROXY)) {
            try {
                ServerProcess haproxy = startHaproxy(o, root, work, store.port(), pinning);
                started.add(haproxy);
                // HAProxy forwards the client's request as it is: the store must find its own key pair on it.
                Endpoint e = new Endpoint(Ratios.HAPROXY, "127.0.0.1", haproxy.port(), StoreMain.UPSTREAM);
                workload.verifySame(new DynamoCalls(e, new ObjectMapper()), direct);
                running.put(Ratios.HAPROXY, running(e, List.of(haproxy, store), workload, o));
                setup.put("haproxy", Machine.command(haproxyPath(root), "-v").lines().findFirst().orElse("?"));
                say("  haproxy   pid %d, port %d: answers checked", haproxy.pid(), haproxy.port());
            } catch (RuntimeException ex) {
                unavailable.put(Ratios.HAPROXY, unavailable(Ratios.HAPROXY, firstLine(ex.getMessage())));
                say("  haproxy   UNAVAILABLE: %s", firstLine(ex.getMessage()));
            }
        }
        if (wanted.contains(Ratios.DYNALITE)) {
            try {
                int port = ServerProcess.freePort();
                Path script = root.resolve("scripts/dynalite");
                ServerProcess dynalite = ServerProcess.start("dynalite",
                        pinning.server(List.of(script.toString(), "run", Integer.toString(port), "--createTableMs", "0")),
                        o.out().resolve("dynalite.log"), port, Duration.ofMinutes(5));
                started.add(dynalite);
                Endpoint e = new Endpoint(Ratios.DYNALITE, "127.0.0.1", port, StoreVsDynalite.CREDENTIALS);
                DynamoCalls calls = new DynamoCalls(e, new ObjectMapper());
                workload.createTable(calls);
                double seconds = workload.preload(calls, 4);
                workload.verify(calls);
                setup.put("dynalite", Map.of("pid", dynalite.pid(), "preloadSeconds", round(seconds),
                        "how", "scripts/dynalite run PORT --createTableMs 0 (in memory)"));
                running.put(Ratios.DYNALITE, running(e, List.of(dynalite), workload, o));
                say("  dynalite  pid %d, port %d: %d items preloaded in %.1f s, answers checked", dynalite.pid(), port, o.items(),
                        seconds);
            } catch (RuntimeException ex) {
                unavailable.put(Ratios.DYNALITE, unavailable(Ratios.DYNALITE, firstLine(ex.getMessage())));
                say("  dynalite  UNAVAILABLE: %s", firstLine(ex.getMessage()));
            }
        }
    }

    /**
     * The stream scenario: makes its table and fills its stream through the store direct, then
     * reads the whole stream through the store direct, weir with the allow-all policy and weir
     * with the demo policy, one after the other; the weirs' figures carry their ratios to the
     * store's.
     */
    private static List<StreamFigures> streamPhase(Options o, PeopleWorkload workload, Map<String, StreamScenario.Target> targets,
                                                   Map<String, Object> setup) throws InterruptedException {
        ObjectMapper json = new ObjectMapper();
        List<String> names = List.of(Ratios.STORE, Ratios.ALLOW_ALL, Ratios.DEMO_OFF);
        List<StreamFigures> out = new ArrayList<>();
        StreamScenario.Target store = targets.get(Ratios.STORE);
        StreamTable table = new StreamTable(json, workload, o.streamWrites());
        String arn = null;
        String why = store == null ? "the store did not start" : null;
        if (store != null) {
            try {
                DynamoCalls direct = new DynamoCalls(store.endpoint(), json);
                arn = table.create(direct);
                double seconds = table.fill(direct, 4);
                setup.put("stream", Map.of("table", StreamTable.TABLE, "writes", o.streamWrites(), "fillSeconds", round(seconds),
                        "viewType", "NEW_AND_OLD_IMAGES", "getRecordsLimit", StreamReader.LIMIT));
                say("  stream     %s: %,d writes (one record each, NEW_AND_OLD_IMAGES) in %.1f s; whole-stream passes from TRIM_HORIZON",
                        StreamTable.TABLE, o.streamWrites(), seconds);
            } catch (RuntimeException e) {
                why = "the stream table could not be made: " + firstLine(e.getMessage());
            }
        }
        long demoVisible = StreamScenario.demoVisible(table);
        StreamFigures base = null;
        for (String name : names) {
            StreamScenario.Target t = targets.get(name);
            String view = name.equals(Ratios.DEMO_OFF) ? StreamScenario.View.DEMO.label : StreamScenario.View.ALL.label;
            StreamFigures f;
            if (why != null) f = StreamFigures.failed(name, view, why);
            else if (t == null) f = StreamFigures.failed(name, view, name + " did not start (see " + name + ".log)");
            else f = StreamScenario.measure(t, arn, o.streamWrites(), t.view() == StreamScenario.View.DEMO ? demoVisible : o.streamWrites(),
                        o.streamWarmupMin(), o.streamWarmupMax(), o.streamMeasure(), json, m -> say("%s", m));
            if (name.equals(Ratios.STORE)) base = f;
            else f = f.against(base);
            out.add(f);
            say("  stream     %s", f.line());
        }
        return out;
    }

    /** Runs one phase of {@code s}, measuring also what the other servers used meanwhile. */
    private static Measured phase(LoadGenerator generator, Running s, RequestMix mix, PhaseSpec spec, List<ServerProcess> all,
                                  String kind, int run) throws InterruptedException {
        List<ServerProcess> others = all.stream().filter(p -> !s.cpu().contains(p)).toList();
        List<CpuTime> before = others.stream().map(ServerProcess::cpuTime).toList();
        // a weir's threads by group over the phase (its warm-up seconds included): where its CPU goes
        ServerProcess proxy = s.name().startsWith("weir-") ? s.cpu().getFirst() : null;
        Map<String, Long> threadsBefore = proxy == null ? Map.of() : ProcCpu.threadGroups(proxy.pid());
        long t0 = System.nanoTime();
        // a weir's heap allocation at saturation only: the thread dumps behind it would pause a latency phase
        long heapPid = proxy != null && kind.equals("saturation") ? proxy.pid() : 0;
        PhaseResult result = generator.run(s.endpoint(), mix, spec, s.cpu(), heapPid);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Double> threads = proxy == null ? Map.of() : ProcCpu.shares(threadsBefore, ProcCpu.threadGroups(proxy.pid()));
        Map<String, Double> cores = new LinkedHashMap<>();
        for (int i = 0; i < others.size(); i++) {
            double c = others.get(i).cpuTime().minus(before.get(i)).totalMicros() / (seconds * 1e6);
            cores.put(others.get(i).name(), Math.round(c * 1000) / 1000.0);
        }
        return new Measured(s.name(), kind, run, result, cores, threads);
    }

    /** How a server was warmed up: the CPU µs/request of each step (all its processes), and whether it settled. */
    record Warmup(double seconds, List<Long> cpuPerRequest, List<Double> jitShare, boolean steady) {}

    /**
     * A warm-up step counts as settled only when the JIT compiler threads used at most this share of the servers' CPU
     * (at 5%, a weir could leave its warm-up still compiling, and its first measured run came out up to 27% above the others).
     */
    static final double JIT_SETTLED = 0.02;

    /**
     * Closed-loop steps until the last two agree on CPU per request within 10% (at least two
     * steps) and the servers' JIT compiler threads used at most {@link #JIT_SETTLED} of their
     * CPU in the last step, or the time is up. The JIT condition matters for a server that
     * answers a few hundred requests a second: its steps agree with each other while it is still
     * compiling (a quick run once measured weir at six times its warm CPU per request).
     */
    private static Warmup warmUp(LoadGenerator generator, Running s, Options o, long seed) throws InterruptedException {
        Duration step = Duration.ofSeconds(o.quick() ? 2 : 5);
        long limit = o.warmupPass().toNanos();
        long start = System.nanoTime();
        List<Long> perRequest = new ArrayList<>();
        List<Double> jitShare = new ArrayList<>();
        while (true) {
            long cpuBefore = s.cpu().stream().mapToLong(p -> p.cpuTime().totalMicros()).sum();
            long jitBefore = s.cpu().stream().mapToLong(p -> p.jitCpuTime().totalMicros()).sum();
            PhaseResult r = generator.run(s.endpoint(), s.mix(), PhaseSpec.saturation(o.connections(), Duration.ZERO, step, seed++),
                    s.cpu());
            long cpu = s.cpu().stream().mapToLong(p -> p.cpuTime().totalMicros()).sum() - cpuBefore;
            long jit = s.cpu().stream().mapToLong(p -> p.jitCpuTime().totalMicros()).sum() - jitBefore;
            double share = cpu > 0 ? Math.round(1000.0 * jit / cpu) / 1000.0 : 0;
            jitShare.add(share);
            perRequest.add(Math.round(r.serverCpu().values().stream().mapToDouble(CpuUse::microsPerRequest).sum()));
            int n = perRequest.size();
            boolean steady = n >= 2 && r.clean() && perRequest.get(n - 1) > 0 && share <= JIT_SETTLED
                    && Math.abs(perRequest.get(n - 1) - perRequest.get(n - 2)) <= 0.1 * perRequest.get(n - 1);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (steady || System.nanoTime() - start >= limit) {
                return new Warmup(Math.round(seconds * 10) / 10.0, perRequest, jitShare, steady);
            }
        }
    }

    private static Running running(Endpoint e, List<ServerProcess> cpu, PeopleWorkload workload, Options o) {
        Instant now = Instant.now();
        return new Running(e.name(), e, cpu, workload.mix(new RequestSigner(e, now), o.mix()), now);
    }

    /** JFR's profile settings, with Java samples every millisecond (10 ms in the profile): enough samples in a short window. */
    /** The recording of a profile phase ({@code jcmd JFR.start}): JFR's profile settings, Java samples every 1 ms. */
    static final List<String> JFR_SETTINGS = List.of("settings=profile", "jdk.ExecutionSample#period=1ms");

    /**
     * {@code --jfr}: each weir is recorded only during a phase of its own, after the measured
     * saturation runs, so the recording's cost (a Java sample every millisecond, allocation and
     * exception events) weighs on none of the figures. The phase is the mix at saturation, as the
     * measured runs; what weir spent per request in it, against the measured median, is JFR's own cost.
     */
    private static void profilePhases(Options o, LoadGenerator generator, Map<String, Running> running, PeopleWorkload workload,
                                      List<ServerProcess> started, List<Measured> measured, List<String> notes, long seed)
            throws InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        for (Running scenario : List.copyOf(running.values())) {
            if (!AUDIT_MODE.containsKey(scenario.name())) continue;  // weir scenarios only
            Running s = fresh(running, scenario, workload, o);
            ServerProcess weir = s.cpu().stream().filter(p -> p.name().equals(s.name())).findFirst().orElse(null);
            if (weir == null) continue;
            Path file = o.out().resolve(s.name() + ".jfr");
            List<String> start = new ArrayList<>(List.of(jcmd.toString(), Long.toString(weir.pid()), "JFR.start", "name=weir-bench"));
            start.addAll(JFR_SETTINGS);
            start.add("filename=" + file);
            String problem = jcmd(start);
            if (problem != null) {
                notes.add("the JFR recording of " + s.name() + " could not be started: " + problem);
                continue;
            }
            // Three measured windows long, for enough samples (a quick window gives a few hundred).
            Measured m = phase(generator, s, s.mix(), PhaseSpec.saturation(o.connections(), o.saturationWarmup(),
                    o.saturationMeasure().multipliedBy(3), seed++), started, "profile", 1);
            measured.add(m);
            problem = jcmd(List.of(jcmd.toString(), Long.toString(weir.pid()), "JFR.stop", "name=weir-bench"));
            if (problem != null) notes.add("the JFR recording of " + s.name() + " could not be stopped: " + problem);
            CpuUse recorded = m.result().serverCpu().get(s.name());
            double unrecorded = StoreVsDynalite.median(phases(measured, s.name(), "saturation"),
                    r -> r.serverCpu().containsKey(s.name()) ? r.serverCpu().get(s.name()).microsPerRequest() : 0);
            say("  profile    %-22s %,8.0f ops/s, CPU µs/req %s recorded by JFR (%.1f unrecorded, the saturation median)%s", s.name(),
                    m.result().throughput(), recorded == null ? "-" : String.format("%.1f", recorded.microsPerRequest()), unrecorded,
                    problems(m.result()));
            if (recorded != null && unrecorded > 0) {
                notes.add(String.format("%s: CPU µs/req while JFR recorded it (its profile phase) %.1f, unrecorded %.1f (the "
                        + "saturation median): the profile's own cost is outside the figures", s.name(), recorded.microsPerRequest(),
                        unrecorded));
            }
        }
    }

    /** Runs a jcmd command; null when it worked, else what went wrong. */
    private static String jcmd(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "jcmd did not finish in 60 s";
            }
            return p.exitValue() == 0 && !out.contains("Exception") && !out.contains("Could not") ? null : out.strip();
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Whether the scenario's weir runs the allow-all policy (and answers exactly as the store does). */
    private static boolean allowAll(String name) {
        return name.equals(Ratios.ALLOW_ALL) || name.equals(ALLOW_ALL_IO_URING) || name.equals(ALLOW_ALL_ALT);
    }

    private static ServerProcess startWeir(Options o, String name, String auditMode, Path jar, Path work, Path principals,
                                           int storePort, Pinning pinning) throws IOException {
        Path home = Files.createDirectories(work.resolve(name));
        Path policies = Files.createDirectories(home.resolve("policies"));
        Files.writeString(policies.resolve("bench.weir"), allowAll(name) ? ALLOW_ALL_POLICY : DEMO_POLICY);
        int port = ServerProcess.freePort();
        Path config = home.resolve("weir.yaml");
        String transport = name.equals(ALLOW_ALL_IO_URING) ? "io_uring" : null;
        Files.writeString(config, weirConfig(port, storePort, policies, principals, auditMode, transport));
        List<String> cmd = java();
        cmd.addAll(o.weirJvm());
        if (name.equals(ALLOW_ALL_ALT)) cmd.addAll(o.altJvm());
        cmd.addAll(List.of("-jar", jar.toString(), "up", "--home", home.toString(), "--config", config.toString()));
        return ServerProcess.start(name, pinning.server(cmd), o.out().resolve(name + ".log"), port, Duration.ofSeconds(90));
    }

    /**
     * weir's configuration for a scenario: the store disabled, upstream the benchmark's store, audit mode when one is named.
     * {@code streams_reveal_counts: accept}: the upstream is the bundled store in a process of its own, whose stream
     * numbers are times that count nothing (docs/streams.md), but weir knows that only of a store it runs itself, and
     * would otherwise refuse the stream scenario's restricted reader.
     */
    static String weirConfig(int port, int storePort, Path policies, Path principals, String auditMode, String transport) {
        String config = """
                store: {enabled: false}
                proxy: {port: %d%s}
                upstream: {endpoint: 'http://127.0.0.1:%d', access_key_id: %s, secret_access_key: %s, streams_reveal_counts: accept}
                policies: %s
                principals: %s
                masking: {hash_key_id: bench}   # the key file is made under the home folder
                """.formatted(port, transport == null ? "" : ", transport: " + transport, storePort, StoreMain.UPSTREAM.accessKeyId(), StoreMain.UPSTREAM.secretAccessKey(),
                policies, principals);
        return auditMode == null ? config : config + "audit: {mode: " + auditMode + "}\n";
    }

    private static ServerProcess startHaproxy(Options o, Path root, Path work, int storePort, Pinning pinning) throws IOException {
        String haproxy = haproxyPath(root);
        int port = ServerProcess.freePort();
        int threads = pinning.enabled() ? cpuCount(pinning.serverCpus()) : Runtime.getRuntime().availableProcessors();
        Path cfg = work.resolve("haproxy.cfg");
        Files.writeString(cfg, haproxyConfig(port, storePort, threads));
        Files.copy(cfg, o.out().resolve("haproxy.cfg"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return ServerProcess.start(Ratios.HAPROXY, pinning.server(List.of(haproxy, "-db", "-f", cfg.toString())),
                o.out().resolve("haproxy.log"), port, Duration.ofSeconds(30));
    }

    /** A minimal HTTP-mode HAProxy on loopback in front of the store: keep-alive both sides, no logging, no checks. */
    static String haproxyConfig(int port, int storePort, int threads) {
        return """
                # Written by ./weir bench: HAProxy in HTTP mode in front of the bundled store.
                global
                    nbthread %d
                    maxconn 4096
                defaults
                    mode http
                    option http-keep-alive
                    timeout connect 5s
                    timeout client 60s
                    timeout server 60s
                    http-reuse always
                frontend bench
                    bind 127.0.0.1:%d
                    default_backend store
                backend store
                    server store 127.0.0.1:%d
                """.formatted(threads, port, storePort);
    }

    private static String haproxyPath(Path root) {
        String path = Machine.command(root.resolve("scripts/haproxy").toString());
        if (path.equals("unavailable") || path.isBlank()) {
            throw new IllegalStateException("haproxy is missing and scripts/haproxy could not install it");
        }
        return path.lines().reduce((a, b) -> b).orElseThrow().trim();
    }

    private static int cpuCount(String cpus) {
        int n = 0;
        for (String part : cpus.split(",")) {
            String[] r = part.split("-");
            n += r.length == 2 ? Integer.parseInt(r[1]) - Integer.parseInt(r[0]) + 1 : 1;
        }
        return n;
    }

    private static List<String> java() {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(JVM_FLAGS);
        return cmd;
    }

    private static ScenarioFigures unavailable(String name, String reason) {
        return ScenarioFigures.unavailable(name, TITLES.get(name), proxyOf(name), reason);
    }

    private static String proxyOf(String name) {
        return AUDIT_MODE.containsKey(name) || name.equals(Ratios.HAPROXY) ? name : null;
    }

    /**
     * For each scenario measured at saturation more than once: the median, lowest and highest CPU
     * per request of its own server (the proxy's, else the store's) over those runs, and the spread
     * (highest over lowest), so a reader sees how far one figure can be trusted.
     */
    static List<String> spreads(List<Measured> all, Iterable<String> names) {
        List<String> out = new ArrayList<>();
        for (String name : names) {
            List<PhaseResult> sat = phases(all, name, "saturation");
            if (sat.size() < 2) continue;
            String process = proxyOf(name) != null && sat.getFirst().serverCpu().containsKey(name) ? name
                    : sat.getFirst().serverCpu().keySet().iterator().next();
            double[] v = sat.stream().mapToDouble(r -> r.serverCpu().get(process).microsPerRequest()).sorted().toArray();
            if (v[0] <= 0) continue;
            out.add(String.format("%s: CPU µs/req of %s over %d saturation runs: median %.1f, lowest %.1f, highest %.1f "
                    + "(spread %.0f%%)", name, process, v.length, StoreVsDynalite.median(sat,
                    r -> r.serverCpu().get(process).microsPerRequest()), v[0], v[v.length - 1], 100 * (v[v.length - 1] / v[0] - 1)));
        }
        return out;
    }

    /**
     * For each weir measured at saturation: the median share of its CPU each group of its threads
     * used over those runs ({@link ProcCpu#threadGroup}), so a run shows what the audit threads and
     * the compiler cost beside the event loops.
     */
    static List<String> threadShares(List<Measured> all, Iterable<String> names) {
        List<String> out = new ArrayList<>();
        for (String name : names) {
            List<Map<String, Double>> runs = all.stream()
                    .filter(m -> m.scenario().equals(name) && m.kind().equals("saturation") && !m.proxyThreads().isEmpty())
                    .map(Measured::proxyThreads).toList();
            if (runs.isEmpty()) continue;
            StringBuilder line = new StringBuilder(String.format("%s: its threads' shares of its CPU at saturation (median of %d run%s):",
                    name, runs.size(), runs.size() == 1 ? "" : "s"));
            String sep = " ";
            for (String group : ProcCpu.THREAD_GROUPS) {
                double median = DpdkBench.median(runs.stream().mapToDouble(r -> r.getOrDefault(group, 0.0)).sorted().toArray());
                if (median <= 0) continue;
                line.append(sep).append(group).append(' ').append(String.format("%.1f%%", 100 * median));
                sep = ", ";
            }
            out.add(line.toString());
        }
        return out;
    }

    /**
     * For each weir measured at saturation: the bytes its threads allocated on the heap per request
     * ({@link HeapAllocation}), the median over those runs and each run's figure. Unlike CPU per
     * request this hardly moves with the machine's load, so it compares builds across noisy runs.
     */
    static List<String> heapAllocation(List<Measured> all, Iterable<String> names) {
        List<String> out = new ArrayList<>();
        for (String name : names) {
            double[] runs = all.stream().filter(m -> m.scenario().equals(name) && m.kind().equals("saturation")
                            && m.result().heapMeasured())
                    .mapToDouble(m -> m.result().heapBytesPerRequest()).toArray();
            if (runs.length == 0) continue;
            StringBuilder each = new StringBuilder();
            for (double b : runs) each.append(each.isEmpty() ? "" : ", ").append(String.format("%,.0f", b));
            out.add(String.format("%s: heap allocated per request at saturation (median of %d run%s): %,.0f bytes (%s)", name,
                    runs.length, runs.length == 1 ? "" : "s", DpdkBench.median(java.util.Arrays.stream(runs).sorted().toArray()), each));
        }
        return out;
    }

    static ScenarioFigures figures(List<Measured> all, String name) {
        List<PhaseResult> sat = phases(all, name, "saturation");
        List<PhaseResult> fixed = phases(all, name, "fixed-rate");
        boolean clean = Stream.concat(sat.stream(), fixed.stream()).allMatch(PhaseResult::clean);
        Map<String, Double> cpuSat = new LinkedHashMap<>();
        Map<String, Double> cpuFixed = new LinkedHashMap<>();
        if (!sat.isEmpty()) {
            for (String process : sat.getFirst().serverCpu().keySet()) {
                cpuSat.put(process, StoreVsDynalite.median(sat, r -> r.serverCpu().get(process).microsPerRequest()));
                cpuFixed.put(process, StoreVsDynalite.median(fixed, r -> r.serverCpu().get(process).microsPerRequest()));
            }
        }
        List<ScenarioFigures.PercentilePoint> curve = fixed.isEmpty() ? List.of()
                : Percentiles.curve(Percentiles.merge(fixed.stream().map(r -> Percentiles.decode(r.histogram())).toList()));
        return new ScenarioFigures(name, TITLES.get(name), proxyOf(name), true, null,
                StoreVsDynalite.median(sat, PhaseResult::throughput), StoreVsDynalite.median(fixed, PhaseResult::throughput),
                StoreVsDynalite.median(fixed, r -> r.latency().p50()), StoreVsDynalite.median(fixed, r -> r.latency().p99()),
                StoreVsDynalite.median(fixed, r -> r.latency().p999()), StoreVsDynalite.median(fixed, r -> r.latency().max()),
                cpuSat, cpuFixed, curve, clean);
    }

    /** The printed summary: one row per scenario, then the comparisons, the line rate and the notes. */
    static String table(Iterable<ScenarioFigures> scenarios, List<Ratio> ratios, List<AddedLatency> added,
                        List<LineRate> lineRates, List<StreamFigures> streams, double rate,
                        String rateChosenBy, List<String> notes) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("saturation = closed loop; latency = open loop at %,.0f ops/s offered (%s), from intended send time%n",
                rate, rateChosenBy));
        sb.append(String.format("%-22s %11s | %9s %9s %9s | %s%n", "scenario", "sat. ops/s", "p50 µs", "p99 µs", "p99.9 µs",
                "CPU µs/req at saturation, per server process"));
        for (ScenarioFigures f : scenarios) {
            if (!f.available()) {
                sb.append(String.format("%-22s unavailable: %s%n", f.name(), f.unavailableReason()));
                continue;
            }
            StringBuilder cpu = new StringBuilder();
            f.cpuPerRequestSaturated().forEach((p, v) -> cpu.append(cpu.isEmpty() ? "" : " + ").append(p).append(' ')
                    .append(String.format("%.1f", v)));
            if (f.cpuPerRequestSaturated().size() > 1) cpu.append(String.format(" = %.1f", f.totalCpuSaturated()));
            sb.append(String.format("%-22s %,11.0f | %9s %9s %9s | %s%n", f.name(), f.saturation(), num(f.p50()), num(f.p99()),
                    num(f.p999()), cpu));
        }
        sb.append('\n').append(Ratios.table(ratios));
        if (!added.isEmpty()) {
            sb.append(String.format("%nlatency added at one connection, GetItem at %,.0f ops/s offered (proxy p50/p99 minus the store's direct):%n",
                    added.getFirst().rate()));
            for (AddedLatency a : added) sb.append("  ").append(a.sentence()).append('\n');
        }
        if (!lineRates.isEmpty()) {
            sb.append("\n100 Gb/s line rate (Scan pages at saturation; bytes on the client side per second of weir CPU):\n");
            for (LineRate l : lineRates) sb.append("  ").append(l.sentence()).append('\n');
        }
        if (!streams.isEmpty()) {
            sb.append(String.format("%nstream-read (whole stream from TRIM_HORIZON, GetRecords Limit %d; records/s and CPU count the stream's records):%n",
                    StreamReader.LIMIT));
            sb.append(String.format("%-22s %10s %12s | %s%n", "read through", "view", "records/s", "returned per pass, CPU per stream record"));
            for (StreamFigures f : streams) sb.append(f.line()).append('\n');
        }
        for (String n : notes) sb.append("note: ").append(n).append('\n');
        return sb.toString();
    }

    /** Writes each weir scenario's {@code -jfr.txt} and {@code -jfr.folded}; returns them for the report. */
    private static List<Profile> writeJfrSummaries(Options o, List<Measured> measured) {
        List<Profile> profiles = new ArrayList<>();
        for (String name : AUDIT_MODE.keySet()) {
            Path jfr = o.out().resolve(name + ".jfr");
            if (!Files.exists(jfr)) continue;
            // The profile phase: the mix at saturation, recorded apart from the measured phases.
            List<JfrSummary.Window> windows = measured.stream().filter(m -> m.scenario().equals(name))
                    .filter(m -> m.kind().equals("profile"))
                    .map(m -> new JfrSummary.Window(Instant.parse(m.result().measureStart()), Instant.parse(m.result().measureEnd())))
                    .toList();
            try {
                Path folded = o.out().resolve(name + "-jfr.folded");
                String summary = JfrSummary.read(jfr, windows, 20, folded).format();
                Files.writeString(o.out().resolve(name + "-jfr.txt"), summary);
                profiles.add(new Profile(name, summary, FlameGraph.fromFolded(Files.readString(folded))));
            } catch (IOException | RuntimeException e) {
                say("JFR summary of %s failed: %s", name, e.getMessage());
            }
        }
        return profiles;
    }

    private static String cpuLine(PhaseResult r) {
        StringBuilder sb = new StringBuilder();
        r.serverCpu().forEach((p, u) -> sb.append(sb.isEmpty() ? "" : " + ").append(p).append(' ')
                .append(String.format("%.1f", u.microsPerRequest())));
        return sb.toString();
    }

    private static List<Running> order(Iterable<Running> scenarios, int run) {
        List<Running> list = new ArrayList<>();
        scenarios.forEach(list::add);
        if (run % 2 == 0) Collections.reverse(list);
        return list;
    }

    private static List<PhaseResult> phases(List<Measured> all, String scenario, String kind) {
        return all.stream().filter(m -> m.scenario().equals(scenario) && m.kind().equals(kind)).map(Measured::result).toList();
    }

    private static String problems(PhaseResult r) {
        if (r.clean()) return "";
        return " [" + (r.failure() != null ? r.failure() + "; " : "") + r.errors() + " errors"
                + (r.errorSamples().isEmpty() ? "" : ", e.g. " + r.errorSamples().getFirst()) + "]";
    }

    private static String firstLine(String s) {
        if (s == null) return "unknown error";
        // A server that exits early: its log's first error line says why (e.g. an unknown config key).
        for (String line : s.lines().toList()) {
            String l = line.toLowerCase();
            if ((l.contains("error") || l.contains("alert") || l.contains("exception")) && !l.contains("exited with")) {
                return s.lines().findFirst().orElse("").replaceAll("; log .*", "") + ": " + line.trim();
            }
        }
        return s.lines().findFirst().orElse(s);
    }

    private static String num(double micros) {
        return micros >= 100 ? String.format("%,.0f", micros) : String.format("%.1f", micros);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static void say(String format, Object... args) {
        System.out.println(String.format(format, args));
        System.out.flush();
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
