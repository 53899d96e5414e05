package dev.weir.proxy.enforce;

import com.sun.net.httpserver.HttpServer;
import dev.weir.audit.event.AuditEvent;
import dev.weir.audit.pipeline.AuditPipeline;
import dev.weir.audit.sink.AuditSink;
import dev.weir.policy.LoadResult;
import dev.weir.policy.PolicyLoader;
import dev.weir.policy.PolicySource;
import dev.weir.protocol.sigv4.Credentials;
import dev.weir.protocol.sigv4.HttpRequestView;
import dev.weir.protocol.sigv4.SigV4Signer;
import dev.weir.proxy.identity.Identifier;
import dev.weir.proxy.identity.Principal;
import dev.weir.proxy.identity.PrincipalDirectory;
import dev.weir.proxy.policy.PolicyHolder;
import dev.weir.proxy.policy.PolicySnapshot;
import dev.weir.proxy.policy.TableTags;
import dev.weir.proxy.transport.Transport;
import dev.weir.proxy.upstream.UpstreamClient;
import dev.weir.proxy.upstream.UpstreamResponse;
import io.netty.channel.EventLoopGroup;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

/**
 * A {@link Firewall} as the appliance builds it, without sockets on the client side: real
 * identity (SigV4 against a principal directory), a compiled policy, a stub upstream on
 * loopback that records what weir forwards and answers from a function, and an audit
 * pipeline writing into a list.
 */
public final class FirewallHarness implements AutoCloseable {
    /** One forwarded request as the upstream saw it. */
    record Forwarded(String target, String body) {}

    static final List<Principal> PRINCIPALS = List.of(
            new Principal("admin", "AKADMIN", "admin-secret", null, List.of("admin"), Map.of()),
            new Principal("analyst", "AKANALYST", "analyst-secret", null, List.of("analyst"), Map.of("region", List.of("eu"))),
            new Principal("ingest", "AKINGEST", "ingest-secret", null, List.of("ingest"), Map.of("regions", List.of("eu"))));

    final List<Forwarded> forwarded = new CopyOnWriteArrayList<>();
    final List<AuditEvent> events = new CopyOnWriteArrayList<>();
    /** What the firewall's request listener heard (permitted single-table requests answered 200). */
    final List<dev.weir.proxy.enforce.succeeded.SucceededRequest> succeeded = new CopyOnWriteArrayList<>();
    /** Which (operation, table) the request listener says it hears of; all by default. */
    volatile java.util.function.BiPredicate<dev.weir.protocol.model.Operation, String> hears = (op, table) -> true;
    private final HttpServer stub;
    private final EventLoopGroup group = Transport.NIO.newEventLoopGroup(2);
    /** The stub answers concurrently, so a slow answer does not hold back a quick one. */
    private final java.util.concurrent.ExecutorService stubThreads = java.util.concurrent.Executors.newFixedThreadPool(8);
    private final UpstreamClient upstream;
    private final AuditPipeline audit;
    public final Firewall firewall;
    /** The request metrics the firewall records into ({@link dev.weir.proxy.metrics.RequestMetrics}). */
    public final io.prometheus.metrics.model.registry.PrometheusRegistry metrics =
            new io.prometheus.metrics.model.registry.PrometheusRegistry();

    /**
     * @param answer the stub upstream's answer (status, body) to a target and body
     * @param tags   the tags of each table, for policies that read them
     */
    public FirewallHarness(String policy, BiFunction<String, String, Map.Entry<Integer, String>> answer,
                           Map<String, Map<String, String>> tags) throws IOException {
        this(policy, answer, tags, dev.weir.proxy.enforce.stream.UpstreamNumbers.REFUSED);
    }

    /** @param numbers what the stub upstream's stream numbers reveal (the bundled store's: COUNT_FREE) */
    public FirewallHarness(String policy, BiFunction<String, String, Map.Entry<Integer, String>> answer,
                           Map<String, Map<String, String>> tags, dev.weir.proxy.enforce.stream.UpstreamNumbers numbers)
            throws IOException {
        this(policy, answer, tags, numbers, sink -> new AuditPipeline(sink, "test", 1024));
    }

    /** @param pipeline the audit pipeline, made around the sink that keeps every event in {@link #events} */
    public FirewallHarness(String policy, BiFunction<String, String, Map.Entry<Integer, String>> answer,
                           Map<String, Map<String, String>> tags, dev.weir.proxy.enforce.stream.UpstreamNumbers numbers,
                           java.util.function.Function<AuditSink, AuditPipeline> pipeline) throws IOException {
        stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stub.setExecutor(stubThreads);
        stub.createContext("/", exchange -> {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            forwarded.add(new Forwarded(target, body));
            Map.Entry<Integer, String> a = answer.apply(target, body);
            byte[] out = a.getValue().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
            exchange.sendResponseHeaders(a.getKey(), out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        stub.start();
        upstream = new UpstreamClient(URI.create("http://127.0.0.1:" + stub.getAddress().getPort()),
                new SigV4Signer(new Credentials("UPSTREAM", "upstream-secret"), "us-east-1", "dynamodb"), Transport.NIO, group,
                4, Duration.ofSeconds(2), Duration.ofSeconds(5), Clock.systemUTC());
        audit = pipeline.apply(new AuditSink() {
            @Override public void write(AuditEvent event) {
                events.add(event);
            }

            @Override public void flush() {}

            @Override public void close() {}
        });
        LoadResult loaded = PolicyLoader.load(List.of(new PolicySource("p.weir", policy)));
        if (!loaded.ok()) throw new IllegalArgumentException(loaded.diagnostics().toString());
        TableTags tableTags = new TableTags((target, body) -> {
            String text = new String(body, StandardCharsets.UTF_8);
            String json = target.endsWith("DescribeTable")
                    ? "{\"Table\":{\"TableArn\":\"arn:aws:dynamodb:us-east-1:000000000000:table/" + text.replaceAll(".*\"TableName\":\"([^\"]*)\".*", "$1") + "\"}}"
                    : "{\"Tags\":[" + String.join(",", tags.getOrDefault(text.replaceAll(".*table/([^\"]*)\".*", "$1"), Map.of()).entrySet().stream()
                            .map(e -> "{\"Key\":\"" + e.getKey() + "\",\"Value\":\"" + e.getValue() + "\"}").toList()) + "]}";
            return CompletableFuture.completedFuture(new UpstreamResponse(200, null, json.getBytes(StandardCharsets.UTF_8)));
        }, Duration.ofSeconds(30), System::nanoTime);
        firewall = Firewall.builder().identifier(new Identifier(new PrincipalDirectory(PRINCIPALS), Clock.systemUTC()))
                .policy(new PolicyHolder(new PolicySnapshot(loaded.table().orElseThrow(), loaded.contentHash())))
                .upstream(upstream).audit(audit).auditScope(dev.weir.proxy.audit.AuditScope.ALL).tableTags(tableTags)
                .upstreamNumbers(numbers).metrics(new dev.weir.proxy.metrics.RequestMetrics(metrics)).requestListener(new dev.weir.proxy.enforce.succeeded.RequestListener() {
                    @Override
                    public void succeeded(dev.weir.proxy.enforce.succeeded.SucceededRequest request) {
                        succeeded.add(request);
                    }

                    @Override
                    public boolean hears(dev.weir.protocol.model.Operation operation, String table) {
                        return hears.test(operation, table);
                    }
                }).build();
    }

    /** A request signed with the principal's key (a wrong secret makes it unauthenticated); the response and its audit event. */
    Exchange call(String accessKey, String secret, String op, String json) {
        int before = events.size();
        ProxyResponse r = respond(accessKey, secret, op, json);
        return new Exchange(r.status(), new String(r.body(), StandardCharsets.UTF_8), eventAfter(before));
    }

    /** A request signed with the key, and the response, without waiting for its audit events. */
    ProxyResponse respond(String accessKey, String secret, String op, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        List<Map.Entry<String, String>> headers = new ArrayList<>(List.of(Map.entry("Host", "weir.test"),
                Map.entry("Content-Type", "application/x-amz-json-1.0"), Map.entry("X-Amz-Target",
                        dev.weir.protocol.model.Operation.byName(op) != null
                                ? dev.weir.protocol.wire.Target.of(dev.weir.protocol.model.Operation.byName(op))
                                : "DynamoDB_20120810." + op)));
        headers.addAll(new SigV4Signer(new Credentials(accessKey, secret), "us-east-1", "dynamodb")
                .sign("POST", "/", headers, body, Instant.now()));
        return firewall.handle(new HttpRequestView("POST", "/", "", headers, body),
                new InetSocketAddress("127.0.0.1", 40000), null).join();
    }

    Exchange call(String principal, String op, String json) {
        Principal p = principal(principal);
        return call(p.accessKeyId(), p.secretAccessKey(), op, json);
    }

    /** A response and the audit event recorded for it. */
    record Exchange(int status, String body, AuditEvent event) {}

    private AuditEvent eventAfter(int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (events.size() <= count) {
            if (System.nanoTime() > deadline) throw new AssertionError("no audit event");
            Thread.onSpinWait();
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return events.get(count);
    }

    /** The access key and secret of a principal of {@link #PRINCIPALS}. */
    public static Principal principal(String name) {
        return PRINCIPALS.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
    }

    @Override
    public void close() {
        stubThreads.shutdownNow();
        audit.close();
        upstream.close();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        stub.stop(0);
    }
}
