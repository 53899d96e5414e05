package dev.weir.appliance;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * HAProxy (Debian's 2.6, as the bench uses it) in HTTP mode on a free loopback port, balancing
 * round robin over weir replicas that it health-checks with {@code GET /} (weir's unsigned
 * health answer, "healthy: weir") every 100 ms, taking one out after two failed checks (a
 * refused connection, or no answer within 2 s) and back after two good ones. A request whose connection to a replica cannot be made is sent
 * to another ({@code option redispatch}); one already sent is never sent again (HAProxy's
 * default {@code retry-on conn-failure}), since weir's writes need not be idempotent. Its
 * statistics (CSV) are served on a second free port.
 *
 * <p>When haproxy is missing it is installed by {@code scripts/haproxy} (the bench's
 * installer) if {@code WEIR_INSTALL_TEST_DEPS=1} ({@code ./weir test} sets it); otherwise the
 * test fails saying so.
 */
final class HaproxyProcess implements AutoCloseable {
    private static final Path SCRIPT = Path.of("..", "scripts", "haproxy").toAbsolutePath().normalize();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** A weir replica behind HAProxy: its server name there and its port on 127.0.0.1. */
    record Backend(String name, int port) {}

    /** One server's line of the statistics: {@code status} UP, DOWN, "UP 1/2" (going down), ...; {@code scur} its open sessions. */
    record ServerStat(String status, long currentSessions, long retries, long redispatches) {
        boolean down() {
            return status.startsWith("DOWN");
        }

        boolean up() {
            return status.equals("UP");
        }
    }

    final int port;
    final int statsPort;
    final Path config;
    final Path log;
    private final Process process;

    private HaproxyProcess(int port, int statsPort, Path config, Path log, Process process) {
        this.port = port;
        this.statsPort = statsPort;
        this.config = config;
        this.log = log;
        this.process = process;
    }

    static HaproxyProcess start(Path dir, List<Backend> backends) throws Exception {
        String haproxy = executable();
        int port = ApplianceProcess.freePort(), statsPort;
        do statsPort = ApplianceProcess.freePort(); while (statsPort == port);
        Files.createDirectories(dir);
        Path cfg = dir.resolve("haproxy.cfg"), log = dir.resolve("haproxy.log");
        Files.writeString(cfg, config(port, statsPort, backends));
        Process p = new ProcessBuilder(haproxy, "-db", "-f", cfg.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        HaproxyProcess h = new HaproxyProcess(port, statsPort, cfg, log, p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            if (!p.isAlive()) throw new IllegalStateException("haproxy exited:\n" + Files.readString(log));
            try {
                Map<String, ServerStat> s = h.servers();
                if (backends.stream().allMatch(b -> s.containsKey(b.name()) && s.get(b.name()).up())) return h;
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                h.close();
                throw new IllegalStateException("haproxy did not see every replica up within 20 s:\n" + Files.readString(log));
            }
            Thread.sleep(20);
        }
    }

    /** The configuration: keep-alive both sides, health checks on weir's {@code GET /}, statistics on their own port. */
    static String config(int port, int statsPort, List<Backend> backends) {
        StringBuilder servers = new StringBuilder();
        for (Backend b : backends) servers.append("    server ").append(b.name()).append(" 127.0.0.1:").append(b.port()).append(" check\n");
        return """
                # Written by ScaleOutEndToEndTest: HAProxy in front of weir replicas.
                global
                    nbthread 2
                    maxconn 1024
                defaults
                    mode http
                    option http-keep-alive
                    timeout connect 1s
                    timeout client 30s
                    timeout server 30s
                    # a connection that cannot be made is tried again on another replica; a request
                    # already sent never is (retry-on stays at its default, conn-failure)
                    retries 2
                    option redispatch 1
                frontend weir
                    bind 127.0.0.1:%d
                    default_backend replicas
                backend replicas
                    balance roundrobin
                    option httpchk GET /
                    http-check expect string healthy
                    # a check every 100 ms; refused or unanswered within 2 s is a failure (without
                    # timeout check, inter is the limit too, and a replica busy for 100 ms would go down)
                    default-server inter 100 fall 2 rise 2
                    timeout check 2s
                %sfrontend stats
                    bind 127.0.0.1:%d
                    stats enable
                    stats uri /stats
                """.formatted(port, servers, statsPort);
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** Each server of the replicas backend, by name, from the statistics CSV. */
    Map<String, ServerStat> servers() throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statsPort + "/stats;csv"))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (r.statusCode() != 200) throw new IOException("haproxy stats answered " + r.statusCode());
        List<String> lines = r.body().lines().toList();
        List<String> header = List.of(lines.getFirst().replaceFirst("^# ", "").split(",", -1));
        int px = header.indexOf("pxname"), sv = header.indexOf("svname"), status = header.indexOf("status"),
                scur = header.indexOf("scur"), wretr = header.indexOf("wretr"), wredis = header.indexOf("wredis");
        Map<String, ServerStat> out = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            if (f.length <= Math.max(status, wredis) || !f[px].equals("replicas") || f[sv].equals("BACKEND")) continue;
            out.put(f[sv], new ServerStat(f[status], number(f[scur]), number(f[wretr]), number(f[wredis])));
        }
        return out;
    }

    private static long number(String s) {
        return s.isEmpty() ? 0 : Long.parseLong(s);
    }

    /** haproxy's path: found, or installed by scripts/haproxy under WEIR_INSTALL_TEST_DEPS=1. */
    static synchronized String executable() throws Exception {
        List<Path> candidates = new java.util.ArrayList<>();
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) if (!d.isEmpty()) candidates.add(Path.of(d, "haproxy"));
        candidates.add(Path.of("/usr/sbin/haproxy"));
        for (Path candidate : candidates) {
            if (Files.isExecutable(candidate)) return candidate.toString();
        }
        if (!"1".equals(System.getenv("WEIR_INSTALL_TEST_DEPS"))) {
            throw new IllegalStateException("haproxy is not installed: run scripts/haproxy, or set WEIR_INSTALL_TEST_DEPS=1 "
                    + "(./weir test does) for the test to install it");
        }
        String out = Installers.exclusively(() -> {
            Process p = new ProcessBuilder("bash", SCRIPT.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0 || printed.isEmpty()) {
                throw new IllegalStateException("scripts/haproxy could not install haproxy");
            }
            return printed;
        });
        return out.lines().reduce((a, b) -> b).orElseThrow().trim();
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
