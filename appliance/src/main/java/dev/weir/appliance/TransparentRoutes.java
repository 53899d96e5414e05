package dev.weir.appliance;

import dev.weir.appliance.config.ConfigException;
import dev.weir.appliance.config.TransparentConfig;
import dev.weir.appliance.lifecycle.TriggerRunner;
import dev.weir.appliance.reload.ReloadEvents;
import dev.weir.audit.pipeline.AuditPipeline;
import dev.weir.policy.field.HmacKeys;
import dev.weir.policy.watch.PolicyWatcher;
import dev.weir.protocol.sigv4.Credentials;
import dev.weir.protocol.sigv4.SigV4Signer;
import dev.weir.proxy.audit.AuditScope;
import dev.weir.proxy.enforce.Firewall;
import dev.weir.proxy.enforce.stream.IteratorSeal;
import dev.weir.proxy.enforce.stream.UpstreamNumbers;
import dev.weir.proxy.identity.Identifier;
import dev.weir.proxy.policy.PolicyHolder;
import dev.weir.proxy.policy.PolicySnapshot;
import dev.weir.proxy.policy.TableTags;
import dev.weir.proxy.schema.TableSchemas;
import dev.weir.proxy.server.ProxyServer;
import dev.weir.proxy.server.TransparentServer;
import dev.weir.proxy.transparent.Route;
import dev.weir.proxy.transparent.RouteTable;
import dev.weir.proxy.transport.Transport;
import dev.weir.proxy.upstream.UpstreamAccount;
import dev.weir.proxy.upstream.UpstreamClient;
import io.netty.channel.EventLoopGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.function.Consumer;

/**
 * Transparent mode's wiring (docs/transparent.md): one {@link Firewall} per route, each with
 * everything that belongs to one store (its upstream client and per-loop pools on the shared
 * worker loops, its table tags and key schemas, its account, its policy folder watched for
 * changes, its iterator seal, derived per store), sharing only what belongs to weir (the
 * principals, the audit pipeline, the event loops); then the transparent listener over them.
 */
final class TransparentRoutes {
    private static final Logger log = LoggerFactory.getLogger(TransparentRoutes.class);

    private TransparentRoutes() {}

    /** What the appliance shares with every route. */
    record Shared(Identifier identifier, AuditPipeline audit, AuditScope auditScope, HmacKeys keys, Transport transport,
                  EventLoopGroup boss, EventLoopGroup workers, IteratorSeal seal, ProxyServer.Limits limits) {}

    /** Starts every route's firewall and the listener; everything to stop goes to {@code toClose}, in start order. */
    static TransparentServer start(TransparentConfig config, Shared shared, Consumer<AutoCloseable> toClose)
            throws ConfigException, IOException, InterruptedException {
        List<Route> routes = new ArrayList<>();
        for (TransparentConfig.Route r : config.routes()) routes.add(route(r, shared, toClose));
        RouteTable table;
        try {
            table = new RouteTable(routes);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("transparent.routes: error: " + e.getMessage());
        }
        TransparentServer server = TransparentServer.start(config.host(), config.port(), config.mode(), shared.transport(),
                shared.boss(), shared.workers(), table, shared.limits(), shared.audit());
        toClose.accept(server);
        log.info("transparent listener ({}) on {} port {}: {} route(s) {}", config.mode().configName(), config.host(),
                server.address().getPort(), routes.size(), routes.stream().map(Route::name).toList());
        return server;
    }

    private static Route route(TransparentConfig.Route r, Shared shared, Consumer<AutoCloseable> toClose)
            throws IOException, InterruptedException {
        var up = r.upstream();
        URI endpoint = URI.create(up.endpoint());
        UpstreamClient upstream = new UpstreamClient(endpoint,
                new SigV4Signer(new Credentials(up.accessKeyId(), up.secretAccessKey()), up.region(), "dynamodb"),
                shared.transport(), shared.workers(), up.maxConnections(), Duration.ofMillis(up.connectTimeoutMs()),
                Duration.ofMillis(up.timeoutMs()), Clock.systemUTC(), Appliance.upstreamTls(endpoint, up));
        toClose.accept(upstream);
        UpstreamNumbers numbers = up.streamsRevealCountsAccepted() ? UpstreamNumbers.ACCEPTED : UpstreamNumbers.REFUSED;
        PolicyHolder policy = watchedPolicy(r, shared, numbers, toClose);
        Firewall firewall = Firewall.builder().identifier(shared.identifier()).policy(policy).upstream(upstream)
                .audit(shared.audit()).auditScope(shared.auditScope())
                .tableTags(new TableTags(upstream::send, Duration.ofSeconds(Appliance.TABLE_TAGS_TTL_SECONDS), System::nanoTime))
                .tableSchemas(new TableSchemas(upstream::send, TableSchemas.TTL, System::nanoTime))
                .requestDeadline(Duration.ofMillis(up.timeoutMs()))
                .upstreamAccount(new UpstreamAccount(up.region(), up.accountId()))
                .iteratorSeal(shared.seal().forStore(r.name()))
                .maxBodyBytes(shared.limits().maxBodyBytes())
                .upstreamNumbers(numbers)
                .store(r.name(), new HashSet<>(r.hosts()))
                .build();
        log.info("route {}: {} -> {} (hosts {}, policies {}{})", r.name(), r.destinations(), up.endpoint(), r.hosts(),
                r.policies(), r.tls() == null ? "" : ", TLS");
        return new Route(r.name(), r.destinations(), new HashSet<>(r.hosts()), firewall, Appliance.tlsContext(r.tls()));
    }

    /** The route's policy, reloaded when its folder changes (a policy that does not load leaves the route denying everything). */
    private static PolicyHolder watchedPolicy(TransparentConfig.Route r, Shared shared, UpstreamNumbers numbers,
                                              Consumer<AutoCloseable> toClose) throws IOException {
        PolicySnapshot initial = Appliance.loadPolicy(r.policies(), shared.keys());
        if (initial.loaded() && !initial.table().triggers().isEmpty()) {
            log.warn("route {}: its policy has {} trigger(s); triggers run only for the top-level upstream and policies, "
                    + "not for transparent routes", r.name(), initial.table().triggers().size());
        }
        PolicyHolder holder = new PolicyHolder(initial);
        Duration debounce = Duration.ofMillis(300);
        AuditPipeline audit = shared.audit();
        toClose.accept(new PolicyWatcher(r.policies(), shared.keys(), debounce,
                debounce.multipliedBy(PolicyWatcher.MAX_DELAY_DEBOUNCES),
                result -> {
                    PolicySnapshot next = Appliance.snapshot(r.policies(), result);
                    if (next.loaded()) holder.publish(next);
                },
                outcome -> { if (audit != null) audit.publish(ReloadEvents.policy(outcome)); },
                TriggerRunner.views(numbers)).start());
        return holder;
    }
}
