package dev.weir.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.weir.protocol.sigv4.Credentials;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * Issue 3's comparison: the bundled store direct against dynalite direct, on the same
 * workload, in the same run, on loopback. Both servers run as child processes pinned to the
 * same CPU(s); the load generator runs in this process on the others. For each: saturation
 * throughput (closed loop), latency at one fixed offered rate below both saturations (open
 * loop, coordinated omission corrected), and the server's CPU per request.
 *
 * <pre>store-vs-dynalite [--quick] [--items N] [--connections N] [--rate OPS | --rate-fraction F]
 *                   [--repeat N] [--no-pin] [--jfr] [--store-jvm ARG]... [--mix GetItem=60,PutItem=30,Query=10]
 *                   [--only store|dynalite] [--store-data DIR] [--out DIR]</pre>
 */
public final class StoreVsDynalite {
    static final Credentials CREDENTIALS = new Credentials("AKIAWEIRBENCH0000001", "weir-bench-secret");
    private static final List<String> JVM_FLAGS = List.of("--enable-native-access=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow");
    private static final String STORE = "store";
    private static final String DYNALITE = "dynalite";
    private static final double GOAL_THROUGHPUT_RATIO = 10;

    /** The command line. */
    record Options(boolean quick, int items, int connections, Double rate, double rateFraction, Duration saturationWarmup,
                   Duration saturationMeasure, Duration fixedWarmup, Duration fixedMeasure, int repeat, boolean pin,
                   boolean jfr, List<String> storeJvm, Map<String, Double> mix, String only, Path storeData, Path out) {

        static Options parse(List<String> args, Path root) {
            boolean quick = args.contains("--quick");
            int items = 10_000;
            int connections = 32;
            Double rate = null;
            double fraction = 0.7;
            int repeat = quick ? 1 : 3;
            boolean pin = true;
            boolean jfr = false;
            List<String> storeJvm = new ArrayList<>();
            Path out = null;
            Map<String, Double> mix = PeopleWorkload.DEFAULT_MIX;
            String only = null;
            Path storeData = null;
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                switch (a) {
                    case "--quick" -> { }
                    case "--items" -> items = Integer.parseInt(value(args, ++i, a));
                    case "--connections" -> connections = Integer.parseInt(value(args, ++i, a));
                    case "--rate" -> rate = Double.parseDouble(value(args, ++i, a));
                    case "--rate-fraction" -> fraction = Double.parseDouble(value(args, ++i, a));
                    case "--repeat" -> repeat = Integer.parseInt(value(args, ++i, a));
                    case "--no-pin" -> pin = false;
                    case "--jfr" -> jfr = true;
                    case "--store-jvm" -> storeJvm.add(value(args, ++i, a));
                    case "--mix" -> mix = PeopleWorkload.mixOf(value(args, ++i, a));
                    case "--only" -> only = value(args, ++i, a);
                    case "--store-data" -> storeData = Path.of(value(args, ++i, a));
                    case "--out" -> out = Path.of(value(args, ++i, a));
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (out == null) {
                out = root.resolve("bench/results")
                        .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            }
            return quick
                    ? new Options(true, items, connections, rate, fraction, Duration.ofSeconds(5), Duration.ofSeconds(8),
                    Duration.ofSeconds(4), Duration.ofSeconds(10), repeat, pin, jfr, storeJvm, mix, only, storeData, out)
                    : new Options(false, items, connections, rate, fraction, Duration.ofSeconds(10), Duration.ofSeconds(20),
                    Duration.ofSeconds(10), Duration.ofSeconds(30), repeat, pin, jfr, storeJvm, mix, only, storeData, out);
        }

        private static String value(List<String> args, int i, String option) {
            if (i >= args.size()) throw new IllegalArgumentException(option + " needs a value");
            return args.get(i);
        }
    }

    /** One measured phase of one scenario. */
    record Measured(String scenario, String kind, int run, PhaseResult result) {}

    /** A scenario's figures: medians over the runs. */
    record Figures(double saturation, double fixedAchieved, double p50, double p99, double p999, double max,
                   double cpuPerRequestSaturated, double cpuPerRequestFixed, double serverCoresSaturated,
                   double clientCoresSaturated, boolean clean) {}

    private StoreVsDynalite() {}

    public static int run(List<String> args) throws Exception {
        Path root = Path.of(System.getenv().getOrDefault("WEIR_ROOT", System.getProperty("user.dir"))).toAbsolutePath();
        Options o = Options.parse(args, root);
        Machine machine = Machine.describe();
        Pinning pinning = Pinning.apply(o.pin());
        Files.createDirectories(o.out());
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        PeopleWorkload workload = new PeopleWorkload(new ObjectMapper(), o.items());
        Instant startedAt = Instant.now();

        say("weir bench: store vs dynalite%s", o.quick() ? " (quick)" : "");
        say("machine:  %s; load average at start %s", machine.oneLine(), machine.loadAverageAtStart());
        say("pinning:  %s", pinning.note());
        say("results:  %s", o.out());

        Path dataDir = o.storeData() == null ? Files.createTempDirectory("weir-bench-store-")
                : Files.createTempDirectory(Files.createDirectories(o.storeData()), "weir-bench-store-");
        String dataFs = Machine.command("df", "--output=fstype", dataDir.toString()).replaceAll("(?s).*\\n", "").trim();
        say("store data: %s (%s)", dataDir, dataFs);
        Path jfrFile = o.out().resolve("store.jfr");
        List<Measured> measured = new ArrayList<>();
        Map<String, Object> setup = new LinkedHashMap<>();
        double rate;
        String transport;
        JfrSummary jfr = null;
        List<ServerProcess> started = new ArrayList<>();
        Thread cleanup = new Thread(() -> started.forEach(ServerProcess::close), "weir-bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try (LoadGenerator generator = new LoadGenerator(1)) {
            transport = generator.transport();
            say("starting the store (child JVM) and dynalite ...");
            ServerProcess store = startStore(o, pinning, dataDir, jfrFile);
            started.add(store);
            ServerProcess dynalite = startDynalite(o, pinning, root);
            started.add(dynalite);
            Map<String, ServerProcess> servers = Map.of(STORE, store, DYNALITE, dynalite);
            Map<String, Endpoint> endpoints = new LinkedHashMap<>();
            endpoints.put(DYNALITE, new Endpoint(DYNALITE, "127.0.0.1", dynalite.port(), CREDENTIALS));
            endpoints.put(STORE, new Endpoint(STORE, "127.0.0.1", store.port(), StoreMain.UPSTREAM));
            if (o.only() != null) endpoints.keySet().retainAll(List.of(o.only()));
            if (endpoints.isEmpty()) throw new IllegalArgumentException("--only takes store or dynalite");

            Map<String, RequestMix> mixes = new LinkedHashMap<>();
            for (Endpoint e : endpoints.values()) {
                DynamoCalls calls = new DynamoCalls(e, new ObjectMapper());
                workload.createTable(calls);
                double seconds = workload.preload(calls, 4);
                workload.verify(calls);
                mixes.put(e.name(), workload.mix(new RequestSigner(e, Instant.now()), o.mix()));
                setup.put(e.name(), Map.of("pid", servers.get(e.name()).pid(), "preloadSeconds", round(seconds, 2),
                        "preloadItemsPerSecond", Math.round(o.items() / seconds)));
                say("  %-8s pid %d, port %d: %d items preloaded in %.1f s (BatchWriteItem), answers checked",
                        e.name(), servers.get(e.name()).pid(), e.port(), o.items(), seconds);
            }
            say("workload: %s; %s", workload.describe(), mixes.get(STORE).describe());

            long seed = 1;
            for (int r = 1; r <= o.repeat(); r++) {
                for (String name : order(endpoints.keySet(), r)) {
                    PhaseSpec spec = PhaseSpec.saturation(o.connections(), o.saturationWarmup(), o.saturationMeasure(), seed++);
                    PhaseResult res = generator.run(endpoints.get(name), mixes.get(name), spec, List.of(servers.get(name)));
                    measured.add(new Measured(name, "saturation", r, res));
                    say("  saturation %-8s run %d: %,.0f ops/s, server %.2f cores, %.0f µs CPU/req (%.0f%% system); client %.2f cores, %.0f µs/req; %s%s",
                            name, r, res.throughput(), res.serverCpu().get(name).cores(),
                            res.serverCpu().get(name).microsPerRequest(), 100 * res.serverCpu().get(name).systemShare(),
                            res.clientCpu().cores(), res.clientCpu().microsPerRequest(), machine(res), problems(res));
                }
            }
            if (o.rate() != null) {
                rate = o.rate();
            } else {
                double lower = endpoints.keySet().stream()
                        .mapToDouble(n -> median(phases(measured, n, "saturation"), PhaseResult::throughput))
                        .min().orElseThrow();
                rate = Math.max(1, Math.round(lower * o.rateFraction()));
            }
            say("fixed rate: %,.0f ops/s offered%s", rate,
                    o.rate() != null ? " (--rate)" : " (" + Math.round(100 * o.rateFraction()) + "% of the lower saturation)");
            for (int r = 1; r <= o.repeat(); r++) {
                for (String name : order(endpoints.keySet(), r)) {
                    PhaseSpec spec = PhaseSpec.fixedRate(rate, o.connections(), o.fixedWarmup(), o.fixedMeasure(), seed++);
                    PhaseResult res = generator.run(endpoints.get(name), mixes.get(name), spec, List.of(servers.get(name)));
                    measured.add(new Measured(name, "fixed-rate", r, res));
                    say("  fixed rate %-8s run %d: %,.0f ops/s, p50 %s µs, p99 %s µs, p99.9 %s µs (service time p99 %s µs), %.0f µs CPU/req; %s%s",
                            name, r, res.throughput(), num(res.latency().p50()), num(res.latency().p99()),
                            num(res.latency().p999()), num(res.serviceTime().p99()),
                            res.serverCpu().get(name).microsPerRequest(), machine(res), problems(res));
                }
            }
        } finally {
            for (ServerProcess s : started) s.close();
            started.clear();
            Runtime.getRuntime().removeShutdownHook(cleanup);
            deleteTree(dataDir);
        }

        if (o.jfr() && Files.exists(jfrFile)) {
            List<JfrSummary.Window> windows = measured.stream().filter(m -> m.scenario().equals(STORE))
                    .map(m -> new JfrSummary.Window(Instant.parse(m.result().measureStart()), Instant.parse(m.result().measureEnd())))
                    .toList();
            jfr = JfrSummary.read(jfrFile, windows, 15);
        }

        Figures dyn = figures(measured, DYNALITE);
        Figures sto = figures(measured, STORE);
        double throughputRatio = ratio(sto.saturation(), dyn.saturation());
        double p99Ratio = ratio(sto.p99(), dyn.p99());
        boolean goalMet = throughputRatio >= GOAL_THROUGHPUT_RATIO && sto.p99() < dyn.p99();
        String table = table(o, rate, dyn, sto, throughputRatio, p99Ratio, goalMet);
        System.out.println();
        System.out.print(table);
        if (jfr != null) {
            System.out.println();
            System.out.println("JFR profile of the store during its measured phases (" + jfrFile + "):");
            System.out.print(jfr.format());
        }

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("benchmark", "store-vs-dynalite");
        report.put("startedAt", startedAt.toString());
        report.put("finishedAt", Instant.now().toString());
        report.put("machine", machine);
        report.put("pinning", pinning);
        report.put("loadGenerator", Map.of("client", "Java/Netty HTTP/1.1, keep-alive, one request in flight per connection",
                "transport", transport, "ioThreads", 1, "latency", "open loop: from intended send time (coordinated omission corrected)",
                "signing", "SigV4, every distinct request signed once before the run"));
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("quick", o.quick());
        options.put("items", o.items());
        options.put("connections", o.connections());
        options.put("repeat", o.repeat());
        options.put("saturation", Map.of("warmupSeconds", o.saturationWarmup().toSeconds(), "measureSeconds", o.saturationMeasure().toSeconds()));
        options.put("fixedRate", Map.of("warmupSeconds", o.fixedWarmup().toSeconds(), "measureSeconds", o.fixedMeasure().toSeconds(),
                "offeredOpsPerSecond", rate, "chosenBy", o.rate() != null ? "--rate" : o.rateFraction() + " x the lower saturation"));
        options.put("storeJvm", o.storeJvm());
        report.put("options", options);
        report.put("workload", Map.of("table", workload.describe(), "mix", o.mix(),
                "dynalite", "scripts/dynalite run PORT --createTableMs 0 (in memory, LevelDB memdown)",
                "store", "BundledStore on RocksDB, WAL synced before each write is acknowledged; data in " + dataDir
                        + " (" + dataFs + ")"));
        report.put("setup", setup);
        report.put("summary", Map.of(DYNALITE, dyn, STORE, sto,
                "storeOverDynalite", Map.of("throughput", throughputRatio, "p99", p99Ratio,
                        "cpuPerRequestSaturated", ratio(sto.cpuPerRequestSaturated(), dyn.cpuPerRequestSaturated()),
                        "cpuPerRequestFixed", ratio(sto.cpuPerRequestFixed(), dyn.cpuPerRequestFixed())),
                "goal", Map.of("text", "store >= 10x dynalite's throughput with a lower p99", "met", goalMet)));
        report.put("phases", measured);
        if (jfr != null) report.put("storeJfr", jfr);
        Files.writeString(o.out().resolve("results.json"), mapper.writeValueAsString(report));
        Files.writeString(o.out().resolve("table.txt"), table);
        System.out.println("\nwrote " + o.out().resolve("results.json"));
        return 0;
    }

    private static ServerProcess startStore(Options o, Pinning pinning, Path dataDir, Path jfrFile) {
        int port = ServerProcess.freePort();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JVM_FLAGS);
        cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        if (o.jfr()) {
            cmd.add("-XX:StartFlightRecording=filename=" + jfrFile + ",settings=profile,dumponexit=true");
        }
        cmd.addAll(o.storeJvm());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), StoreMain.class.getName()));
        cmd.addAll(StoreMain.arguments(dataDir, "127.0.0.1", port));
        return ServerProcess.start(STORE, pinning.server(cmd), o.out().resolve("store.log"), port, Duration.ofSeconds(60));
    }

    private static ServerProcess startDynalite(Options o, Pinning pinning, Path root) {
        int port = ServerProcess.freePort();
        Path script = root.resolve("scripts/dynalite");
        if (!Files.isExecutable(script)) throw new IllegalStateException(script + " not found: set WEIR_ROOT");
        List<String> cmd = List.of(script.toString(), "run", Integer.toString(port), "--createTableMs", "0");
        return ServerProcess.start(DYNALITE, pinning.server(cmd), o.out().resolve("dynalite.log"), port,
                Duration.ofMinutes(5));
    }

    /** Alternates which scenario goes first, so a drift in the machine does not always favour one. */
    private static List<String> order(java.util.Set<String> names, int run) {
        List<String> list = new ArrayList<>(names);
        if (run % 2 == 0) java.util.Collections.reverse(list);
        return list;
    }

    private static List<PhaseResult> phases(List<Measured> all, String scenario, String kind) {
        return all.stream().filter(m -> m.scenario().equals(scenario) && m.kind().equals(kind)).map(Measured::result).toList();
    }

    private static Figures figures(List<Measured> all, String name) {
        List<PhaseResult> sat = phases(all, name, "saturation");
        List<PhaseResult> fixed = phases(all, name, "fixed-rate");
        boolean clean = Stream.concat(sat.stream(), fixed.stream()).allMatch(PhaseResult::clean);
        return new Figures(
                median(sat, PhaseResult::throughput),
                median(fixed, PhaseResult::throughput),
                median(fixed, r -> r.latency().p50()),
                median(fixed, r -> r.latency().p99()),
                median(fixed, r -> r.latency().p999()),
                median(fixed, r -> r.latency().max()),
                median(sat, r -> r.serverCpu().get(name).microsPerRequest()),
                median(fixed, r -> r.serverCpu().get(name).microsPerRequest()),
                median(sat, r -> r.serverCpu().get(name).cores()),
                median(sat, r -> r.clientCpu().cores()),
                clean);
    }

    static double median(List<PhaseResult> results, ToDoubleFunction<PhaseResult> f) {
        double[] v = results.stream().mapToDouble(f).sorted().toArray();
        if (v.length == 0) return 0;
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String table(Options o, double rate, Figures dyn, Figures sto, double throughputRatio, double p99Ratio,
                                boolean goalMet) {
        StringBuilder sb = new StringBuilder();
        String runs = o.repeat() == 1 ? "1 run" : "medians of " + o.repeat() + " runs";
        sb.append(String.format("store vs dynalite, %s; %d connections; saturation = closed loop, latency = open loop at %,.0f ops/s offered (from intended send time)%n",
                runs, o.connections(), rate));
        sb.append(String.format("%-17s %12s | %10s %9s %9s %9s %9s | %12s %12s%n", "", "saturation", "achieved", "p50", "p99",
                "p99.9", "max", "server CPU", "server CPU"));
        sb.append(String.format("%-17s %12s | %10s %9s %9s %9s %9s | %12s %12s%n", "scenario", "ops/s", "ops/s", "µs", "µs",
                "µs", "µs", "µs/req sat", "µs/req fixed"));
        row(sb, "dynalite direct", dyn);
        row(sb, "store direct", sto);
        sb.append(String.format("%-17s %11.1f× | %10s %8.2f× %8.2f× %8.2f× %8.2f× | %11.2f× %11.2f×%n", "store ÷ dynalite",
                throughputRatio, "", ratio(sto.p50(), dyn.p50()), p99Ratio, ratio(sto.p999(), dyn.p999()),
                ratio(sto.max(), dyn.max()), ratio(sto.cpuPerRequestSaturated(), dyn.cpuPerRequestSaturated()),
                ratio(sto.cpuPerRequestFixed(), dyn.cpuPerRequestFixed())));
        sb.append(String.format("server cores busy at saturation: dynalite %.2f, store %.2f; load generator %.2f / %.2f cores%n",
                dyn.serverCoresSaturated(), sto.serverCoresSaturated(), dyn.clientCoresSaturated(), sto.clientCoresSaturated()));
        if (sto.clientCoresSaturated() > 0.9) {
            sb.append("note: the load generator was near a full core during the store's saturation: the store's figure is a lower bound\n");
        }
        if (!dyn.clean() || !sto.clean()) sb.append("WARNING: some phases had errors or failures; see results.json\n");
        sb.append(String.format("goal (store ≥ %.0f× dynalite's throughput, lower p99): %s (throughput %.1f×, p99 %.2f×)%n",
                GOAL_THROUGHPUT_RATIO, goalMet ? "MET" : "MISSED", throughputRatio, p99Ratio));
        return sb.toString();
    }

    private static void row(StringBuilder sb, String label, Figures f) {
        sb.append(String.format("%-17s %,12.0f | %,10.0f %9s %9s %9s %9s | %12.1f %12.1f%n", label, f.saturation(),
                f.fixedAchieved(), num(f.p50()), num(f.p99()), num(f.p999()), num(f.max()), f.cpuPerRequestSaturated(),
                f.cpuPerRequestFixed()));
    }

    /** "cpu0 95% cpu1 31%" (busy shares of the machine's CPUs; steal when there was any). */
    private static String machine(PhaseResult r) {
        StringBuilder sb = new StringBuilder();
        r.machineCpu().forEach((cpu, use) -> {
            if (!sb.isEmpty()) sb.append(' ');
            sb.append(cpu).append(' ').append(Math.round(100 * use.busy())).append('%');
            if (use.steal() >= 0.01) sb.append(" (steal ").append(Math.round(100 * use.steal())).append("%)");
        });
        return sb.toString();
    }

    private static String problems(PhaseResult r) {
        if (r.clean()) return "";
        return " [" + (r.failure() != null ? r.failure() + "; " : "") + r.errors() + " errors"
                + (r.errorSamples().isEmpty() ? "" : ", e.g. " + r.errorSamples().getFirst()) + "]";
    }

    private static String num(double micros) {
        return micros >= 100 ? String.format("%,.0f", micros) : String.format("%.1f", micros);
    }

    private static double ratio(double a, double b) {
        return b == 0 ? 0 : round(a / b, 3);
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
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
