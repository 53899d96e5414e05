package dev.weir.appliance;

import dev.weir.appliance.config.ConfigException;
import dev.weir.dpdk.Bridge;
import dev.weir.dpdk.DpdkException;
import dev.weir.appliance.config.ConfigLoader;
import dev.weir.appliance.config.ConsoleConfig;
import dev.weir.appliance.config.InstanceId;
import dev.weir.appliance.console.Console;
import dev.weir.appliance.console.LiveFeed;
import dev.weir.appliance.config.TransparentConfig;
import dev.weir.appliance.config.WeirConfig;
import dev.weir.appliance.lifecycle.RunningTriggers;
import dev.weir.appliance.lifecycle.TriggerRunner;
import dev.weir.appliance.metrics.MetricsServer;
import dev.weir.appliance.metrics.WeirMetrics;
import dev.weir.appliance.reload.FileReloader;
import dev.weir.appliance.reload.ReloadEvents;
import dev.weir.appliance.tls.DevCertificates;
import dev.weir.audit.format.EcsJsonLines;
import dev.weir.audit.pipeline.AuditPipeline;
import dev.weir.audit.sink.SinkConfig;
import dev.weir.audit.sink.FileSink;
import dev.weir.proxy.audit.AuditScope;
import dev.weir.protocol.model.Operation;
import dev.weir.policy.LoadResult;
import dev.weir.policy.PolicyLoader;
import dev.weir.policy.check.Diagnostic;
import dev.weir.policy.field.HmacKeys;
import dev.weir.proxy.enforce.stream.IteratorSeal;
import dev.weir.proxy.enforce.stream.UpstreamNumbers;
import dev.weir.policy.watch.PolicyWatcher;
import dev.weir.protocol.sigv4.Credentials;
import dev.weir.protocol.sigv4.SigV4Signer;
import dev.weir.proxy.enforce.Firewall;
import dev.weir.proxy.identity.Identifier;
import dev.weir.proxy.identity.Principal;
import dev.weir.proxy.identity.PrincipalDirectory;
import dev.weir.proxy.policy.PolicyHolder;
import dev.weir.proxy.policy.PolicySnapshot;
import dev.weir.proxy.policy.TableTags;
import dev.weir.proxy.schema.TableSchemas;
import dev.weir.proxy.server.ProxyServer;
import dev.weir.proxy.server.TlsOptions;
import dev.weir.proxy.server.TransparentServer;
import dev.weir.proxy.transport.Transport;
import dev.weir.proxy.upstream.UpstreamAccount;
import dev.weir.proxy.upstream.UpstreamClient;
import dev.weir.proxy.upstream.UpstreamTls;
import dev.weir.store.BundledStore;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole appliance in one process, built by hand and top to bottom: the bundled store,
 * the audit pipeline, the policy, the principals, the upstream client and the firewall
 * listener. {@link #close()} stops them in the reverse order.
 */
public final class Appliance implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Appliance.class);

    /** How often the principals file is checked for changes. */
    static final long RELOAD_INTERVAL_MILLIS = 1_000;
    /** How long the tags of a table are used before weir asks the upstream again (tagging through weir clears them at once). */
    static final long TABLE_TAGS_TTL_SECONDS = 30;

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private InetSocketAddress proxyAddress;
    private String scheme = "http";
    private Path devCa;
    private InetSocketAddress storeAddress;
    private Path auditFile;
    private InetSocketAddress metricsAddress;
    private InetSocketAddress consoleAddress;
    private boolean transparentRequested;
    private TransparentConfig transparentConfig;
    private TransparentServer transparentServer;

    private Appliance() {}

    public static Appliance start(Path configFile, Path home) throws ConfigException, IOException, InterruptedException {
        return start(configFile, home, false);
    }

    /**
     * Starts everything; with {@code devTls} the listener speaks TLS with certificates from a
     * development CA under {@code home/tls} (made on first use), client certificates optional.
     */
    public static Appliance start(Path configFile, Path home, boolean devTls)
            throws ConfigException, IOException, InterruptedException {
        return start(configFile, home, devTls, false);
    }

    /**
     * As {@link #start(Path, Path, boolean)}; with {@code transparent} also the transparent
     * listener of the configuration's {@code transparent} block (docs/transparent.md), which
     * must be there.
     */
    public static Appliance start(Path configFile, Path home, boolean devTls, boolean transparent)
            throws ConfigException, IOException, InterruptedException {
        Appliance a = new Appliance();
        a.transparentRequested = transparent;
        try {
            a.startAll(configFile, home, devTls);
        } catch (ConfigException | IOException | InterruptedException | RuntimeException e) {
            a.close();
            throw e;
        }
        return a;
    }

    private void startAll(Path configFile, Path home, boolean devTls)
            throws ConfigException, IOException, InterruptedException {
        WeirConfig config = ConfigLoader.load(configFile);
        if (transparentRequested) {
            transparentConfig = TransparentConfig.load(configFile, config.proxy().transport());
            if (transparentConfig == null) {
                throw new ConfigException(configFile + ": error: --transparent needs a 'transparent:' block with its routes "
                        + "(docs/transparent.md)");
            }
        } else {
            try {
                if (TransparentConfig.load(configFile, config.proxy().transport()) != null) {
                    log.info("the configuration has a transparent block; it runs only with weir up --transparent");
                }
            } catch (ConfigException e) {
                log.warn("the configuration's transparent block (not used without --transparent) would not load: {}",
                        e.getMessage().lines().findFirst().orElse(""));
            }
        }
        List<ConfigLoader.PrincipalEntry> principals = ConfigLoader.loadPrincipals(config.principals());
        // the web console (docs/console.md): its live page is an audit sink, so it needs the audit on
        ConsoleConfig consoleConfig = ConsoleConfig.load(configFile);
        if (consoleConfig != null && config.audit().mode().equals("off")) {
            throw new ConfigException(configFile + ": error: the console needs the audit (audit.mode async or sync): "
                    + "every console action is audited");
        }
        LiveFeed liveFeed = consoleConfig == null ? null : new LiveFeed(2000);
        var principalsNow = new java.util.concurrent.atomic.AtomicReference<>(principals);
        if (devTls) {
            DevCertificates.Issued dev;
            try {
                dev = DevCertificates.ensure(home.resolve("tls"), principals.stream().map(ConfigLoader.PrincipalEntry::name).toList());
            } catch (java.security.GeneralSecurityException e) {
                throw new IOException("cannot make development certificates: " + e.getMessage(), e);
            }
            config = config.withProxy(config.proxy().withTls(new WeirConfig.Tls(dev.serverCertificate(), dev.serverKey(),
                    dev.caCertificate(), "optional")));
            devCa = dev.caCertificate();
        }
        HmacKeys keys = maskKeys(configFile, home, config.masking());
        PolicySnapshot policy = loadPolicy(config.policies(), keys);
        WeirMetrics metrics = config.metrics() == null ? null : new WeirMetrics();
        if (metrics != null) {
            metrics.policy().inForce(policy);
            metrics.policy().principalsInForce(principals.size());
        }

        if (config.store().enabled()) {
            // The store answers only requests signed with the key pair weir signs forwarded requests with.
            BundledStore store = BundledStore.open(home.resolve("store"),
                    new Credentials(config.upstream().accessKeyId(), config.upstream().secretAccessKey()));
            toClose.add(store);
            storeAddress = store.listen(config.store().host(), config.store().port());
            log.info("bundled store listening on {}:{}", storeAddress.getHostString(), storeAddress.getPort());
        }

        WeirConfig.Audit auditConfig = config.audit();
        auditFile = auditConfig.file() == null ? null : home.resolve(auditConfig.file());
        AuditPipeline audit = openAudit(configFile, home, auditConfig, liveFeed);
        if (audit != null) toClose.add(audit);

        int cores = Runtime.getRuntime().availableProcessors();
        Transport transport = config.proxy().transport();
        EventLoopGroup boss = transport.newEventLoopGroup(1);
        EventLoopGroup workers = transport.newEventLoopGroup(cores);
        toClose.add(() -> {
            boss.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
            workers.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        });

        WeirConfig.Upstream up = config.upstream();
        URI endpoint;
        if (up.endpoint() != null) {
            endpoint = URI.create(up.endpoint());
        } else if (storeAddress != null) {
            endpoint = URI.create("http://" + storeAddress.getHostString() + ":" + storeAddress.getPort());
        } else {
            throw new ConfigException(configFile + ": error: upstream.endpoint is required when store.enabled is false");
        }
        UpstreamClient upstream = new UpstreamClient(endpoint,
                new SigV4Signer(new Credentials(up.accessKeyId(), up.secretAccessKey()), up.region(), "dynamodb"),
                transport, workers, up.maxConnections(), Duration.ofMillis(up.connectTimeoutMs()), Duration.ofMillis(up.timeoutMs()),
                Clock.systemUTC(), upstreamTls(endpoint, up));
        toClose.add(upstream);

        PolicyHolder policyHolder = new PolicyHolder(policy);
        Path policyDir = config.policies();
        Duration debounce = Duration.ofMillis(300);
        toClose.add(new PolicyWatcher(policyDir, keys, debounce, debounce.multipliedBy(PolicyWatcher.MAX_DELAY_DEBOUNCES),
                result -> {
                    PolicySnapshot next = snapshot(policyDir, result);
                    if (next.loaded()) policyHolder.publish(next);
                },
                outcome -> {
                    if (audit != null) audit.publish(ReloadEvents.policy(outcome));
                    if (metrics != null) {
                        metrics.policy().policyReload(outcome.published());
                        if (outcome.published()) metrics.policy().inForce(policyHolder.current());
                    }
                },
                TriggerRunner.views(UpstreamNumbers.COUNT_FREE)).start());
        Identifier identifier = new Identifier(directory(principals), Clock.systemUTC());
        toClose.add(new FileReloader(config.principals(), file -> {
            PrincipalDirectory next;
            List<ConfigLoader.PrincipalEntry> entries;
            try {
                entries = ConfigLoader.loadPrincipals(file);
                next = directory(entries);
            } catch (ConfigException | RuntimeException e) {
                if (audit != null) audit.publish(ReloadEvents.principalsRefused(e.getMessage()));
                if (metrics != null) metrics.policy().principalsReload(false);
                throw e;
            }
            identifier.publish(next);
            principalsNow.set(entries);
            if (metrics != null) {
                metrics.policy().principalsReload(true);
                metrics.policy().principalsInForce(next.size());
            }
            log.info("principals reloaded from {}: {} principals", file, next.size());
            if (audit != null) audit.publish(ReloadEvents.principalsReloaded(file.toString(), next.size()));
        }, RELOAD_INTERVAL_MILLIS));
        if (metrics != null) {
            metrics.audit(audit == null ? null : audit::counters);
            metrics.upstream(upstream);
            MetricsServer metricsServer = new MetricsServer(config.metrics().host(), config.metrics().port(), metrics.registry());
            toClose.add(metricsServer);
            metricsAddress = metricsServer.address();
            log.info("metrics on http://{}:{}/metrics", metricsAddress.getHostString(), metricsAddress.getPort());
        }
        TableTags tableTags = new TableTags(upstream::send, Duration.ofSeconds(TABLE_TAGS_TTL_SECONDS), System::nanoTime);
        UpstreamNumbers numbers = up.endpoint() == null && storeAddress != null ? UpstreamNumbers.COUNT_FREE
                : up.streamsRevealCountsAccepted() ? UpstreamNumbers.ACCEPTED : UpstreamNumbers.REFUSED;
        // data-lifecycle triggers (docs/triggers.md): idle while the policy has none; started before the
        // firewall, which tells the API-call triggers of the requests it answered 200
        RunningTriggers triggers = TriggerRunner.start(config.lifecycle(), up, endpoint, policyHolder, numbers, audit, System.getenv());
        if (triggers != null) toClose.add(triggers);
        if (triggers != null && metrics != null) metrics.triggers(triggers);
        Firewall firewall = Firewall.builder().identifier(identifier).policy(policyHolder).upstream(upstream).audit(audit)
                .auditScope(auditScope(auditConfig)).tableTags(tableTags)
                .tableSchemas(new TableSchemas(upstream::send, TableSchemas.TTL, System::nanoTime))
                .requestDeadline(Duration.ofMillis(up.timeoutMs()))
                .maxBodyBytes(config.proxy().maxBodyBytes())
                .upstreamAccount(new UpstreamAccount(up.region(), up.accountId()))
                .iteratorSeal(iteratorSeal())
                .upstreamNumbers(numbers)
                .requestListener(triggers == null ? dev.weir.proxy.enforce.succeeded.RequestListener.NONE : triggers.requestListener())
                .metrics(metrics == null ? null : metrics.requests())
                .build();
        SslContext tls = tlsContext(config.proxy().tls());
        ProxyServer.Limits limits = limits(config.proxy());
        ProxyServer server;
        String listenerKind = transport.configName();
        if (config.proxy().dpdk() != null) {
            // proxy.transport: dpdk (issue 17): the listener is the dpdk-bridge's, the loops and the upstream stay on epoll.
            Bridge bridge;
            try {
                bridge = Bridge.start(config.proxy().dpdk());
            } catch (DpdkException e) {
                throw new ConfigException(configFile + ": error: proxy.transport dpdk: " + e.getMessage());
            }
            server = ProxyServer.start(bridge.address().getHostAddress(), config.proxy().port(), bridge.serverChannelFactory(),
                    boss, workers, firewall, limits, tls);
            listenerKind = "dpdk (" + bridge.mac() + "; loops and upstream on " + transport.configName() + ")";
        } else {
            server = ProxyServer.start(config.proxy().host(), config.proxy().port(), transport, boss, workers, firewall, limits, tls);
        }
        scheme = tls == null ? "http" : "https";
        toClose.add(server);
        if (metrics != null) metrics.connections(server);
        proxyAddress = server.address();
        log.info("firewall listening on {}://{}:{} ({} transport{}), forwarding to {}", scheme, proxyAddress.getHostString(),
                proxyAddress.getPort(), listenerKind, tls == null ? "" : ", TLS by " + TlsOptions.providerName(),
                endpoint);
        if (transparentConfig != null) {
            transparentServer = TransparentRoutes.start(transparentConfig, new TransparentRoutes.Shared(identifier, audit,
                    AuditScope.ALL, keys, transport, boss, workers, iteratorSeal(), limits(config.proxy())), toClose::add);
        }
        if (consoleConfig != null) {
            Console console = Console.start(consoleConfig, new Console.Sources(policyHolder::current, policyDir, principalsNow::get,
                    audit, liveFeed, auditFile, auditConfig.sinks(), home, triggers));
            toClose.add(console);
            consoleAddress = console.address();
            log.info("console on http://{}:{}/ (admin roles {})", consoleAddress.getHostString(), consoleAddress.getPort(),
                    consoleConfig.adminRoles());
        }
    }

    /** The listener's limits on clients, from the proxy block (the transparent listener has the same). */
    private static ProxyServer.Limits limits(WeirConfig.Proxy p) {
        return ProxyServer.Limits.builder().maxHeaderBytes(p.maxHeaderBytes()).maxBodyBytes(p.maxBodyBytes())
                .firstByteTimeoutMillis(p.firstByteTimeoutMs()).requestTimeoutMillis(p.requestTimeoutMs())
                .idleTimeoutMillis(p.idleTimeoutMs()).maxConnections(p.maxConnections())
                .maxConnectionsPerSource(p.maxConnectionsPerSource()).compressAnswers(p.compressAnswers()).build();
    }

    /** The transparent block in force (null unless started with transparent mode). */
    public TransparentConfig transparentConfig() {
        return transparentConfig;
    }

    /** The transparent listener's address (null unless started with transparent mode). */
    public InetSocketAddress transparentAddress() {
        return transparentServer == null ? null : transparentServer.address();
    }

    /**
     * The spooled audit pipeline with every configured sink, or null when audit.mode is off.
     * Relative paths live under the home folder; the spool keeps each sink's offset, so a sink
     * that was behind at the last stop resumes where it was. A sink whose settings are wrong
     * stops start-up with the place in the configuration file.
     */
    private static AuditPipeline openAudit(Path configFile, Path home, WeirConfig.Audit ac, LiveFeed liveFeed)
            throws IOException, ConfigException {
        if (ac.mode().equals("off")) {
            log.warn("audit.mode is off: no request is audited (meant for benchmarks, never for production)");
            return null;
        }
        List<AuditPipeline.NamedSink> sinks = new ArrayList<>();
        try {
            if (ac.file() != null) sinks.add(new AuditPipeline.NamedSink("file", new FileSink(home.resolve(ac.file()), new EcsJsonLines())));
            if (liveFeed != null) {
                if (ac.sinks().stream().anyMatch(spec -> LiveFeed.SINK_NAME.equals(spec.get("name")))) {
                    throw ConfigLoader.errorAt(configFile, "audit.sinks: the name '" + LiveFeed.SINK_NAME
                            + "' is the console's own sink; name yours otherwise", "audit", "sinks");
                }
                sinks.add(new AuditPipeline.NamedSink(LiveFeed.SINK_NAME, liveFeed));
            }
            for (java.util.Map<String, Object> spec : ac.sinks()) {
                try {
                    sinks.add(SinkConfig.create(spec, home));
                } catch (IllegalArgumentException e) {
                    throw ConfigLoader.errorAt(configFile, "audit.sinks: " + e.getMessage(), "audit", "sinks", "name=" + spec.get("name"));
                }
            }
            String instance = InstanceId.resolve(ac.instanceId(), System.getenv(), ManagementFactory.getRuntimeMXBean().getPid());
            AuditPipeline.Options options = new AuditPipeline.Options(instance, ac.queueCapacity(),
                    home.resolve(ac.spool()), 0, ac.spoolMaxBytes(),
                    ac.mode().equals("sync") ? AuditPipeline.Mode.SYNC : AuditPipeline.Mode.ASYNC,
                    ac.whenFull().equals("drop") ? AuditPipeline.WhenFull.DROP : AuditPipeline.WhenFull.BLOCK,
                    Duration.ofMillis(ac.blockTimeoutMs()), null, null);
            AuditPipeline pipeline = AuditPipeline.spooled(options, sinks);
            log.info("audit {} ({} when full) to {}, instance {}", ac.mode(), ac.whenFull(),
                    sinks.stream().map(AuditPipeline.NamedSink::name).toList(), instance);
            return pipeline;
        } catch (IOException | ConfigException | RuntimeException e) {
            for (AuditPipeline.NamedSink s : sinks) {
                try {
                    s.sink().close();
                } catch (IOException ignored) {
                    // already failing; the first error is the one to report
                }
            }
            throw e;
        }
    }

    private static AuditScope auditScope(WeirConfig.Audit ac) {
        List<AuditScope.Skip> skips = new ArrayList<>();
        for (WeirConfig.AuditSkip k : ac.skip()) {
            java.util.Set<Operation> ops = new java.util.HashSet<>();
            java.util.Set<Operation.Group> groups = new java.util.HashSet<>();
            for (String name : k.operations()) {
                Operation op = Operation.byName(name);
                if (op != null) ops.add(op);
                else groups.add(Operation.Group.valueOf(name.toUpperCase(java.util.Locale.ROOT)));
            }
            skips.add(new AuditScope.Skip(java.util.Set.copyOf(k.tables()), ops, groups));
        }
        return skips.isEmpty() ? AuditScope.ALL : new AuditScope(skips);
    }

    /**
     * TLS to an {@code https://} upstream (docs/operations.md): the CAs of {@code upstream.ca_file}, else
     * the system's; null for {@code http://}.
     */
    static SslContext upstreamTls(URI endpoint, WeirConfig.Upstream up) throws IOException {
        if (!"https".equals(endpoint.getScheme())) return null;
        SslContext tls = UpstreamTls.clientContext(up.caFile());
        log.info("upstream {} over TLS by {}, trusting {}", endpoint, UpstreamTls.providerName(),
                up.caFile() == null ? "the system's CAs" : "the CAs in " + up.caFile());
        return tls;
    }

    static SslContext tlsContext(WeirConfig.Tls t) throws IOException {
        if (t == null) return null;
        ClientAuth auth = switch (t.clientAuth()) {
            case "optional" -> ClientAuth.OPTIONAL;
            case "require" -> ClientAuth.REQUIRE;
            default -> ClientAuth.NONE;
        };
        return new TlsOptions(t.certificate(), t.key(), t.clientCa(), auth).newServerContext();
    }

    /**
     * The keys masks use: hmac keys from {@code WEIR_HMAC_KEY_<NAME>}, and the hash key the
     * {@code masking} block names (its file made on first start). Reloads use the same keys.
     */
    private static HmacKeys maskKeys(Path configFile, Path home, WeirConfig.Masking masking) throws ConfigException {
        HmacKeys keys = HmacKeys.fromEnvironment();
        var hashKey = dev.weir.appliance.config.HashKeySource.resolve(configFile, home, masking, System.getenv());
        return hashKey.isPresent() ? keys.withHashKey(hashKey.get()) : keys;
    }

    /** Loads the policy directory; a policy that does not load leaves weir denying everything. */
    /**
     * The key of weir's shard iterators: from {@code WEIR_STREAM_ITERATOR_KEY} (at least 16
     * characters; the same on every replica behind one balancer), else random, so iterators
     * handed out die when weir restarts (a client asks for a new one, as after DynamoDB's
     * 15-minute expiry). The secret is never logged.
     */
    private static IteratorSeal iteratorSeal() throws ConfigException {
        String secret = System.getenv("WEIR_STREAM_ITERATOR_KEY");
        if (secret == null || secret.isEmpty()) return IteratorSeal.random();
        try {
            return IteratorSeal.fromSecret(secret);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("WEIR_STREAM_ITERATOR_KEY: error: " + e.getMessage());
        }
    }

    static PolicySnapshot loadPolicy(Path dir, HmacKeys keys) {
        LoadResult result = PolicyLoader.load(dir, keys);
        PolicySnapshot snapshot = snapshot(dir, result);
        if (!snapshot.loaded()) {
            log.error("policy in {} did not load: every request will be denied until it is fixed", dir);
        } else {
            // warnings (an empty file, no rules at all: everyone denied) are never silent
            result.diagnostics().forEach(d -> log.warn("{}", d.render(sourceLine(dir, d))));
            log.info("policy loaded from {} (sha256 {}, {} rules)", dir, snapshot.contentHash(), snapshot.table().ruleCount());
        }
        return snapshot;
    }

    /** The snapshot a load result gives, or NONE (deny everything) with its errors logged. */
    static PolicySnapshot snapshot(Path dir, LoadResult result) {
        if (!result.ok() || result.table().isEmpty()) {
            result.diagnostics().forEach(d -> log.error("{}", d.render(sourceLine(dir, d))));
            return PolicySnapshot.NONE;
        }
        return new PolicySnapshot(result.table().get(), result.contentHash());
    }

    /** The line a diagnostic points at, or null when it cannot be read. */
    private static String sourceLine(Path dir, Diagnostic d) {
        if (d.line() <= 0) return null;
        try (var lines = java.nio.file.Files.lines(dir.resolve(d.file()))) {
            return lines.skip(d.line() - 1L).findFirst().orElse(null);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static PrincipalDirectory directory(List<ConfigLoader.PrincipalEntry> entries) {
        List<Principal> principals = new ArrayList<>();
        for (ConfigLoader.PrincipalEntry e : entries) {
            principals.add(new Principal(e.name(), e.accessKeyId(), e.secretAccessKey(), e.tlsIdentity(), e.roles(),
                    e.attributes()));
        }
        return new PrincipalDirectory(principals);
    }

    public InetSocketAddress proxyAddress() {
        return proxyAddress;
    }

    /** The URL clients call: http or https, host and port. */
    public String proxyUrl() {
        return scheme + "://" + proxyAddress.getHostString() + ":" + proxyAddress.getPort();
    }

    /** The development CA certificate clients must trust, when started with development TLS. */
    public Path devCaCertificate() {
        return devCa;
    }

    public InetSocketAddress storeAddress() {
        return storeAddress;
    }

    /** The metrics listener, or null when none is configured. */
    public InetSocketAddress metricsAddress() {
        return metricsAddress;
    }

    /** The console listener, or null when the configuration has no console block. */
    public InetSocketAddress consoleAddress() {
        return consoleAddress;
    }

    public Path auditFile() {
        return auditFile;
    }

    @Override
    public void close() {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception e) {
                log.warn("error while stopping: {}", e.toString());
            }
        }
        toClose.clear();
    }
}
