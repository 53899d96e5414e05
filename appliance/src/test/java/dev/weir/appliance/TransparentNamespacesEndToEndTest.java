package dev.weir.appliance;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * weir on the path between clients and two stores, in network namespaces this test makes
 * (after the kernel's nft_tproxy selftests): {@code t17-c} (the client, 10.17.1.2 and
 * fd17:1::2) — veth — {@code t17-r} (the router, where weir runs) — veth — {@code t17-s} (the
 * stores: store A on port 8000 of every address, 10.17.2.2 and fd17:2::2 among them; store B on
 * port 8001, reached at 10.17.2.3 and fd17:2::3). The clients, an unmodified aws CLI and the AWS
 * SDK for Java v2, address the stores' own addresses and know nothing of weir; the rules weir
 * prints ({@code weir up --transparent --rules-file}) are what sends their connections to it.
 *
 * <p>Proved, for TPROXY (on epoll) and for REDIRECT (on io_uring where it runs), over IPv4, IPv6 and TLS: the analyst's answer from store A
 * is masked by store A's policy (the repository's sample); store B has its own policy (admin
 * only), so the same analyst is refused there while the admin reads B's own item; a connection
 * to 10.17.2.9:8000 or [fd17:2::9]:8000, which a hand-written rule also intercepts but no route
 * has, is closed by weir (store A listens there too: a blind forward would have reached it) and
 * audited; audit records name the store of each table.
 *
 * <p>weir, the stores and the SDK client run as separate JVMs under {@code ip netns exec}: a
 * process is in one network namespace for its whole life, so nothing of the test JVM's own
 * sockets (or of other tests running beside it) is moved into the namespaces, and the rules
 * are installed in {@code t17-r} only, never on the host. Skipped (with the reason) only when
 * not root or when the kernel refuses network namespaces.
 */
class TransparentNamespacesEndToEndTest {
    private static final List<String> NAMESPACES = List.of("t17-c", "t17-r", "t17-s");
    private static final String ANALYST = "AKIAWEIRANALYST00001", ANALYST_SECRET = "weir-analyst-secret";
    private static final String ADMIN = "AKIAWEIRADMIN0000001", ADMIN_SECRET = "weir-admin-secret";
    private static final String UPSTREAM = ApplianceProcess.UPSTREAM_KEY + "," + ApplianceProcess.UPSTREAM_SECRET;

    @TempDir
    static Path dir;
    private static final List<NsProcess> stores = new ArrayList<>();
    private static Path caBundle;
    /** Threads for what runs at once (the common pool has one thread on a two-core machine). */
    private static final java.util.concurrent.ExecutorService parallel = java.util.concurrent.Executors.newCachedThreadPool();

    @BeforeAll
    static void network() throws Exception {
        assumeTrue("0".equals(run(List.of("id", "-u")).out().trim()), "the namespace tests need root (ip netns, nft)");
        deleteNamespaces();
        Result add = run(List.of("ip", "netns", "add", "t17-c"));
        assumeTrue(add.exit() == 0, "the kernel refuses network namespaces here: " + add.err().trim());
        Result nft = Installers.exclusively(() -> run(List.of("bash", ApplianceProcess.CONF.resolveSibling("scripts").resolve("nftables").toString())));
        assertEquals(0, nft.exit(), "scripts/nftables could not provide nft: " + nft.err());
        Result topology = run(List.of("bash", "-ec", """
                ip netns add t17-r; ip netns add t17-s
                ip link add t17-c0 netns t17-c type veth peer name t17-rc netns t17-r
                ip link add t17-s0 netns t17-s type veth peer name t17-rs netns t17-r
                for n in t17-c t17-r t17-s; do ip -n $n link set lo up; done
                ip -n t17-c link set t17-c0 up; ip -n t17-r link set t17-rc up
                ip -n t17-r link set t17-rs up; ip -n t17-s link set t17-s0 up
                ip -n t17-c addr add 10.17.1.2/24 dev t17-c0; ip -n t17-c addr add fd17:1::2/64 dev t17-c0 nodad
                ip -n t17-r addr add 10.17.1.1/24 dev t17-rc; ip -n t17-r addr add fd17:1::1/64 dev t17-rc nodad
                ip -n t17-r addr add 10.17.2.1/24 dev t17-rs; ip -n t17-r addr add fd17:2::1/64 dev t17-rs nodad
                for a in 2 3 9; do ip -n t17-s addr add 10.17.2.$a/24 dev t17-s0; ip -n t17-s addr add fd17:2::$a/64 dev t17-s0 nodad; done
                ip -n t17-c route add default via 10.17.1.1; ip -n t17-c -6 route add default via fd17:1::1
                ip -n t17-s route add default via 10.17.2.1; ip -n t17-s -6 route add default via fd17:2::1
                """));
        assertEquals(0, topology.exit(), "the test network could not be made: " + topology.err());
        // Both stores at once (a JVM start each), then their data straight from the store namespace, as weir's upstream.
        CompletableFuture<NsProcess> a = CompletableFuture.supplyAsync(() -> store("a", 8000), parallel);
        CompletableFuture<NsProcess> b = CompletableFuture.supplyAsync(() -> store("b", 8001), parallel);
        stores.add(a.join());
        stores.add(b.join());
        List<String> setup = sdk("t17-s", "setup,http://10.17.2.2:8000," + UPSTREAM + ",Ada", "setup,http://10.17.2.3:8001," + UPSTREAM + ",Bea");
        assertEquals(List.of("OK", "OK"), setup, "the stores' data");
        // weir's certificate for store A's addresses, from a development CA the TLS client trusts (docs/transparent.md, TLS)
        Path tls = dir.resolve("tls");
        caBundle = dev.weir.appliance.tls.DevCertificates.ensure(tls, List.of()).caCertificate();
        DevCaIssuer.issueServer(tls, "store-a", "CN=store-a", DevCaIssuer.ip("10.17.2.2"), DevCaIssuer.ip("fd17:2::2"));
        Files.createDirectories(dir.resolve("policies-b"));
        Files.writeString(dir.resolve("policies-b/b.weir"), """
                role admin
                role analyst
                @id("b-admin-all")
                allow admin on table * op *
                """);
    }

    @AfterAll
    static void teardown() throws Exception {
        parallel.shutdownNow();
        for (NsProcess p : stores) p.close();
        deleteNamespaces();
    }

    @Test
    void tproxy() throws Exception {
        throughWeir("tproxy", "epoll", 15001, "tproxy ip to :15001 meta mark set 1 accept",
                "tproxy ip6 to :15001 meta mark set 1 accept");
    }

    @Test
    void redirect() throws Exception {
        // on io_uring where it runs: SO_ORIGINAL_DST is read on that transport's descriptor as on epoll's
        String transport = dev.weir.proxy.transport.Transport.IO_URING.unavailabilityCause() == null ? "io_uring" : "epoll";
        throughWeir("redirect", transport, 15002, "redirect to :15002", "redirect to :15002");
    }

    private void throughWeir(String mode, String transport, int port, String v4Action, String v6Action) throws Exception {
        Path home = dir.resolve("weir-" + mode);
        Files.createDirectories(home);
        Path config = home.resolve("weir.yaml");
        Path rules = home.resolve("rules.sh");
        Files.writeString(config, """
                store: {enabled: false}
                proxy: {host: 127.0.0.1, port: 8000, transport: %10$s}
                upstream: {endpoint: 'http://10.17.2.2:8000', access_key_id: %1$s, secret_access_key: %2$s}
                policies: %3$s
                principals: %4$s
                masking: {hash_key_id: k1}
                audit: {file: audit/audit.jsonl}
                transparent:
                  mode: %5$s
                  port: %6$d
                  routes:
                    - name: store-a
                      destinations: ['10.17.2.2:8000', '[fd17:2::2]:8000']
                      hosts: ['10.17.2.2:8000', '[fd17:2::2]:8000']
                      policies: %3$s
                      upstream: {endpoint: 'http://10.17.2.2:8000', access_key_id: %1$s, secret_access_key: %2$s}
                    - name: store-a-tls
                      destinations: ['10.17.2.2:8443']
                      hosts: ['10.17.2.2:8443']
                      policies: %3$s
                      upstream: {endpoint: 'http://10.17.2.2:8000', access_key_id: %1$s, secret_access_key: %2$s}
                      tls: {certificate: %8$s, key: %9$s}
                    - name: store-b
                      destinations: ['10.17.2.3:8001', '[fd17:2::3]:8001']
                      hosts: ['10.17.2.3:8001', '[fd17:2::3]:8001']
                      policies: %7$s
                      upstream: {endpoint: 'http://10.17.2.3:8001', access_key_id: %1$s, secret_access_key: %2$s}
                """.formatted(ApplianceProcess.UPSTREAM_KEY, ApplianceProcess.UPSTREAM_SECRET, ApplianceProcess.CONF.resolve("policies"),
                ApplianceProcess.CONF.resolve("principals.yaml"), mode, port, dir.resolve("policies-b"),
                dir.resolve("tls/servers/store-a.pem"), dir.resolve("tls/servers/store-a.key"), transport));
        try (NsProcess weir = NsProcess.start("t17-r", List.of(java(), "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "up",
                "--transparent", "--rules-file", rules.toString(), "--home", home.toString(), "--config", config.toString()),
                line -> line.startsWith("weir ready: "))) {
            assertTrue(weir.output().stream().anyMatch(l -> l.contains("install these rules")), String.join("\n", weir.output()));
            assertTrue(weir.output().stream().anyMatch(l -> l.contains("(" + transport + " transport")), String.join("\n", weir.output()));
            // The rules weir printed, and one by hand that also sends a destination no route has to weir.
            Result installed = run(List.of("ip", "netns", "exec", "t17-r", "sh", "-ec", "sh " + rules
                    + "; nft add rule inet weir prerouting ip daddr 10.17.2.9 tcp dport 8000 " + v4Action
                    + "; nft add rule inet weir prerouting ip6 daddr fd17:2::9 tcp dport 8000 " + v6Action));
            assertEquals(0, installed.exit(), "the printed rules did not install:\n" + Files.readString(rules) + installed.err());

            AwsCli analystV4 = new AwsCli("http://10.17.2.2:8000", ANALYST, ANALYST_SECRET).under("ip", "netns", "exec", "t17-c");
            AwsCli analystV6 = new AwsCli("http://[fd17:2::2]:8000", ANALYST, ANALYST_SECRET).under("ip", "netns", "exec", "t17-c");
            String key = "{\"id\": {\"S\": \"p-001\"}}";
            // The SDK client (a JVM start) runs while the aws CLI does.
            CompletableFuture<List<String>> sdk = CompletableFuture.supplyAsync(() -> sdk("t17-c",
                    "get,http://10.17.2.2:8000," + ANALYST + "," + ANALYST_SECRET,
                    "get,http://[fd17:2::2]:8000," + ANALYST + "," + ANALYST_SECRET,
                    "get,http://10.17.2.3:8001," + ADMIN + "," + ADMIN_SECRET,
                    "get,http://[fd17:2::3]:8001," + ANALYST + "," + ANALYST_SECRET,
                    "get,http://10.17.2.9:8000," + ADMIN + "," + ADMIN_SECRET,
                    "get,http://[fd17:2::9]:8000," + ADMIN + "," + ADMIN_SECRET), parallel);
            AwsCli analystTls = new AwsCli("https://10.17.2.2:8443", ANALYST, ANALYST_SECRET, "--ca-bundle", caBundle.toString())
                    .under("ip", "netns", "exec", "t17-c");
            // the three CLI runs at once too: the machine's time goes to starting processes
            List<CompletableFuture<AwsCli.Result>> runs = new ArrayList<>();
            for (AwsCli cli : List.of(analystV4, analystV6, analystTls)) {
                runs.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return cli.dynamodb("get-item", "--table-name", "people", "--key", key);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, parallel));
            }
            for (CompletableFuture<AwsCli.Result> run : runs) {
                AwsCli.Result r = run.join();
                assertEquals(0, r.exit(), mode + ": " + r.err());
                JsonNode item = r.json().get("Item");
                assertEquals("****6789", item.get("ssn").get("S").asText(), item.toString());
                assertTrue(item.get("email").get("S").asText().matches("k1:[0-9a-f]{64}"), item.toString());
                assertFalse(item.has("salary"), item.toString());
                assertEquals("Ada", item.get("name").get("S").asText());
            }
            List<String> got = sdk.join();
            assertEquals(6, got.size(), got.toString());
            for (int i = 0; i < 2; i++) {
                assertTrue(got.get(i).startsWith("OK ") && got.get(i).contains("ssn=****6789") && !got.get(i).contains("salary")
                        && got.get(i).contains("name=Ada"), mode + ", SDK, store A: " + got.get(i));
            }
            assertTrue(got.get(2).startsWith("OK ") && got.get(2).contains("name=Bea") && got.get(2).contains("salary=98000"),
                    mode + ", SDK, admin at store B reads B's own item: " + got.get(2));
            assertTrue(got.get(3).startsWith("ERR DynamoDbException") && got.get(3).contains("not authorized"),
                    mode + ", SDK, store B's policy has no analyst rule: " + got.get(3));
            for (int i = 4; i < 6; i++) {
                assertTrue(got.get(i).startsWith("ERR SdkClientException") && !got.get(i).contains("timed out"),
                        mode + ", a destination in no route is closed, never forwarded: " + got.get(i));
            }
            List<String> audit = awaitAudit(home.resolve("audit/audit.jsonl"),
                    lines -> lines.stream().filter(l -> l.contains("weir:UnroutedConnection")).count() >= 2
                            && lines.stream().anyMatch(l -> l.contains("\"store-b/people\"")));
            assertTrue(audit.stream().anyMatch(l -> l.contains("\"store-a/people\"") && l.contains("analyst")), String.join("\n", audit));
            assertTrue(audit.stream().anyMatch(l -> l.contains("10.17.2.9 port 8000")), String.join("\n", audit));
            assertTrue(audit.stream().anyMatch(l -> l.contains("fd17:2:0:0:0:0:0:9 port 8000")), String.join("\n", audit));
        } finally {
            run(List.of("ip", "netns", "exec", "t17-r", "nft", "delete", "table", "inet", "weir"));
        }
    }

    private static List<String> awaitAudit(Path file, Predicate<List<String>> complete) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String> lines = List.of();
        while (System.nanoTime() < until) {
            lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
            if (complete.test(lines)) return lines;
            Thread.sleep(50);
        }
        throw new AssertionError("the audit log did not get the expected records:\n" + String.join("\n", lines));
    }

    private static NsProcess store(String name, int port) {
        try {
            return NsProcess.start("t17-s", List.of(java(), "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(), "store", "--host", "::", "--port",
                    Integer.toString(port), "--home", dir.resolve("store-" + name).toString(), "--config",
                    ApplianceProcess.CONF.resolve("weir.yaml").toString()), line -> line.startsWith("weir store ready: "));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs the SDK client ({@link TransparentClient}) in namespace {@code ns}; one result per step. */
    private static List<String> sdk(String ns, String... steps) {
        try {
            List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, java(), "-cp", System.getProperty("java.class.path"),
                    TransparentClient.class.getName()));
            cmd.addAll(List.of(steps));
            Result r = run(cmd);
            List<String> results = r.out().lines().filter(l -> l.startsWith("RESULT ")).map(l -> l.substring(l.indexOf(' ', 7) + 1))
                    .toList();
            if (results.size() != steps.length) throw new AssertionError("the SDK client: " + r.out() + r.err());
            return results;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void deleteNamespaces() throws Exception {
        for (String ns : NAMESPACES) run(List.of("ip", "netns", "del", ns));
    }

    record Result(int exit, String out, String err) {}

    static Result run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).start();
        CompletableFuture<byte[]> err = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                err.complete(p.getErrorStream().readAllBytes());
            } catch (IOException e) {
                err.complete(new byte[0]);
            }
        });
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(cmd + " did not finish");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err.join(), StandardCharsets.UTF_8));
    }

    /** A long-running JVM in a namespace ({@code ip netns exec} execs it, so its pid is the JVM's), ready when a line says so. */
    static final class NsProcess implements AutoCloseable {
        private final Process process;
        private final List<String> output = Collections.synchronizedList(new ArrayList<>());
        private final CompletableFuture<Void> ready = new CompletableFuture<>();

        private NsProcess(Process process, Predicate<String> readyLine) {
            this.process = process;
            Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        output.add(line);
                        if (readyLine.test(line)) ready.complete(null);
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
                ready.completeExceptionally(new IllegalStateException("the process ended before it was ready"));
            });
        }

        static NsProcess start(String ns, List<String> command, Predicate<String> readyLine) throws Exception {
            List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
            cmd.addAll(command);
            NsProcess p = new NsProcess(new ProcessBuilder(cmd).redirectErrorStream(true).start(), readyLine);
            try {
                p.ready.get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                p.close();
                throw new IllegalStateException("not ready in " + ns + ":\n" + String.join("\n", p.output()), e);
            }
            return p;
        }

        List<String> output() {
            synchronized (output) {
                return List.copyOf(output);
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        }
    }
}
