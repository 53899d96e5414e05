package dev.weir.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./weir bench proxy-vs-direct}: what the firewall costs. The bundled store runs in its
 * own JVM; the same load goes to it directly, through weir with an allow-all policy, and
 * through weir with a masking policy like the demo's (ssn show_last(4), email hashed, salary
 * and address.street removed), audit on (async, JSON lines). Reported per scenario:
 * saturation throughput, latency at one fixed offered rate, and CPU per request of each
 * server process (weir's own is the proxy's cost); ratios against direct access.
 */
public final class ProxyVsDirect {
    private static final List<String> JVM_FLAGS = List.of("--enable-native-access=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");

    private ProxyVsDirect() {}

    public static int run(List<String> args) throws Exception {
        boolean quick = args.contains("--quick");
        Path root = Path.of(System.getenv().getOrDefault("WEIR_ROOT", System.getProperty("user.dir"))).toAbsolutePath();
        Path jar = root.resolve("appliance/target/weir.jar");
        if (!Files.exists(jar)) throw new IllegalStateException(jar + " is missing: build with ./weir up or mvn install");
        Path out = root.resolve("bench/results/" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                + "-proxy");
        Files.createDirectories(out);
        Machine machine = Machine.describe();
        Pinning pinning = Pinning.apply(!args.contains("--no-pin"));
        int items = quick ? 2_000 : 10_000, connections = 16;
        // Long enough a warm-up that weir's JIT compilation is not counted as its CPU per request.
        Duration warm = Duration.ofSeconds(quick ? 8 : 15), measure = Duration.ofSeconds(quick ? 8 : 20);
        System.out.printf("weir bench: proxy vs direct%s%nmachine: %s%npinning: %s%nresults: %s%n", quick ? " (quick)" : "",
                machine.oneLine(), pinning.note(), out);

        Path work = Files.createTempDirectory("weir-bench-proxy-");
        Files.writeString(work.resolve("principals.yaml"), """
                principals:
                  - {name: bench, access_key_id: %s, secret_access_key: %s, roles: [bench]}
                """.formatted(StoreVsDynalite.CREDENTIALS.accessKeyId(), StoreVsDynalite.CREDENTIALS.secretAccessKey()));
        Map<String, String> policies = new LinkedHashMap<>();
        policies.put("weir-allow-all", "role bench\n@id(\"all\") allow bench on table * op *\n");
        policies.put("weir-masking", """
                role bench
                @id("reads") allow bench on table * op [read, admin]
                  mask ssn show_last(4)
                  mask email hash
                  remove salary
                  remove address.street
                @id("writes") allow bench on table * op [write, delete]
                """);
        List<ServerProcess> started = new ArrayList<>();
        Map<String, Endpoint> endpoints = new LinkedHashMap<>();
        Map<String, List<CpuSource>> cpu = new LinkedHashMap<>();
        List<PhaseResult> results = new ArrayList<>();
        try (LoadGenerator generator = new LoadGenerator(1)) {
            int storePort = ServerProcess.freePort();
            List<String> storeCmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            storeCmd.addAll(JVM_FLAGS);
            storeCmd.addAll(List.of("-cp", System.getProperty("java.class.path"), StoreMain.class.getName()));
            storeCmd.addAll(StoreMain.arguments(work.resolve("store"), "127.0.0.1", storePort));
            ServerProcess store = ServerProcess.start("store", pinning.server(storeCmd), out.resolve("store.log"), storePort,
                    Duration.ofSeconds(60));
            started.add(store);
            // Straight to the store: signed with its key pair, weir's upstream credentials (it answers no other).
            endpoints.put("direct", new Endpoint("direct", "127.0.0.1", storePort, StoreMain.UPSTREAM));
            cpu.put("direct", List.of(store));
            for (Map.Entry<String, String> p : policies.entrySet()) {
                Path home = Files.createDirectories(work.resolve(p.getKey()));
                Path policyDir = Files.createDirectories(home.resolve("policies"));
                Files.writeString(policyDir.resolve("bench.weir"), p.getValue());
                int port = ServerProcess.freePort();
                Path config = home.resolve("weir.yaml");
                Files.writeString(config, """
                        store: {enabled: false}
                        proxy: {port: %d}
                        upstream: {endpoint: 'http://127.0.0.1:%d', access_key_id: %s, secret_access_key: %s}
                        policies: %s
                        principals: %s
                        masking: {hash_key_id: bench}   # the key file is made under the home folder
                        """.formatted(port, storePort, StoreMain.UPSTREAM.accessKeyId(), StoreMain.UPSTREAM.secretAccessKey(),
                        policyDir, work.resolve("principals.yaml")));
                List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
                cmd.addAll(JVM_FLAGS);
                cmd.addAll(List.of("-jar", jar.toString(), "up", "--home", home.toString(), "--config", config.toString()));
                ServerProcess weir = ServerProcess.start(p.getKey(), pinning.server(cmd), out.resolve(p.getKey() + ".log"), port,
                        Duration.ofSeconds(60));
                started.add(weir);
                endpoints.put(p.getKey(), new Endpoint(p.getKey(), "127.0.0.1", port, StoreVsDynalite.CREDENTIALS));
                cpu.put(p.getKey(), List.of(weir, store));
            }
            PeopleWorkload workload = new PeopleWorkload(new ObjectMapper(), items);
            DynamoCalls direct = new DynamoCalls(endpoints.get("direct"), new ObjectMapper());
            workload.createTable(direct);
            workload.preload(direct, 4);
            Map<String, RequestMix> mixes = new LinkedHashMap<>();
            for (Endpoint e : endpoints.values()) mixes.put(e.name(), workload.mix(new RequestSigner(e, Instant.now()), PeopleWorkload.DEFAULT_MIX));

            Map<String, PhaseResult> saturation = new LinkedHashMap<>();
            long seed = 1;
            for (String name : endpoints.keySet()) {
                PhaseResult r = generator.run(endpoints.get(name), mixes.get(name),
                        PhaseSpec.saturation(connections, warm, measure, seed++), cpu.get(name));
                saturation.put(name, r);
                results.add(r);
                System.out.printf("  saturation %-15s %,8.0f ops/s, errors %d%n", name, r.throughput(), r.errors());
            }
            double rate = Math.round(0.6 * saturation.values().stream().mapToDouble(PhaseResult::throughput).min().orElseThrow());
            Map<String, PhaseResult> fixed = new LinkedHashMap<>();
            for (String name : endpoints.keySet()) {
                PhaseResult r = generator.run(endpoints.get(name), mixes.get(name),
                        PhaseSpec.fixedRate(rate, connections, warm, measure, seed++), cpu.get(name));
                fixed.put(name, r);
                results.add(r);
            }
            StringBuilder t = new StringBuilder();
            t.append(String.format("%nfixed rate %,.0f ops/s offered (60%% of the lowest saturation); GetItem 60 / PutItem 30 / Query 10%n", rate));
            t.append(String.format("%-16s %12s %10s %10s %10s %14s %14s%n", "scenario", "sat. ops/s", "p50 µs", "p99 µs",
                    "p99.9 µs", "weir µs/req", "store µs/req"));
            for (String name : endpoints.keySet()) {
                PhaseResult s = saturation.get(name), f = fixed.get(name);
                CpuUse weirCpu = f.serverCpu().get(name.equals("direct") ? "none" : name);
                t.append(String.format("%-16s %12.0f %10.0f %10.0f %10.0f %14s %14.1f%n", name, s.throughput(),
                        f.latency().p50(), f.latency().p99(), f.latency().p999(),
                        weirCpu == null ? "-" : String.format("%.1f", weirCpu.microsPerRequest()),
                        f.serverCpu().get("store").microsPerRequest()));
            }
            PhaseResult d = fixed.get("direct");
            for (String name : List.of("weir-allow-all", "weir-masking")) {
                PhaseResult f = fixed.get(name);
                t.append(String.format("%s: added p50 %.0f µs, added p99 %.0f µs, throughput %.2fx direct%n", name,
                        f.latency().p50() - d.latency().p50(), f.latency().p99() - d.latency().p99(),
                        saturation.get(name).throughput() / saturation.get("direct").throughput()));
            }
            System.out.print(t);
            Files.writeString(out.resolve("table.txt"), t.toString());
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("benchmark", "proxy-vs-direct");
            report.put("machine", machine);
            report.put("pinning", pinning);
            report.put("fixedRate", rate);
            report.put("phases", results);
            Files.writeString(out.resolve("results.json"),
                    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
        } finally {
            for (ServerProcess s : started) s.close();
        }
        return 0;
    }
}
