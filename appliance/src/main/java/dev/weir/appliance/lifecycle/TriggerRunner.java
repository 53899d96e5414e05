package dev.weir.appliance.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.appliance.config.WeirConfig;
import dev.weir.policy.decision.DecisionTable;
import dev.weir.policy.trigger.TriggerSpec;
import dev.weir.audit.pipeline.AuditPipeline;
import dev.weir.lifecycle.call.FunctionClient;
import dev.weir.lifecycle.call.Signature;
import dev.weir.lifecycle.request.RequestTriggerListener;
import dev.weir.lifecycle.request.RequestTriggerQueue;
import dev.weir.lifecycle.schedule.ScheduleListener;
import dev.weir.lifecycle.store.DeadLetters;
import dev.weir.lifecycle.schedule.ScheduleRunner;
import dev.weir.lifecycle.store.StoreClient;
import dev.weir.lifecycle.worker.LifecycleListener;
import dev.weir.lifecycle.worker.LifecycleOptions;
import dev.weir.lifecycle.worker.LifecycleWorker;
import dev.weir.policy.trigger.RecordView;
import dev.weir.policy.trigger.RecordViews;
import dev.weir.protocol.sigv4.Credentials;
import dev.weir.protocol.sigv4.SigV4Signer;
import dev.weir.proxy.enforce.stream.RoleRecordView;
import dev.weir.proxy.enforce.stream.UpstreamNumbers;
import dev.weir.proxy.policy.PolicyHolder;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Wires the trigger worker (lifecycle module) into the appliance: the upstream client signed
 * with weir's upstream credentials, the triggers of the policy in force (read on every step, so
 * reloads apply), the firewall's own record cut ({@link RoleRecordView}: lifecycle does not
 * depend on proxy, so the cut is passed in here), the signing secrets and the audit pipeline;
 * and the schedule runner of {@code trigger every "CRON"} triggers, with the same client and secrets.
 */
public final class TriggerRunner {
    private TriggerRunner() {}

    /** API-call events held in memory before new ones are dropped (counted, logged, audited). */
    static final int REQUEST_QUEUE_CAPACITY = 10_000;
    /** API-call trigger calls in flight at once. */
    static final int REQUEST_WORKERS = 4;

    /** The stream worker and the schedule runner, started; or null when {@code lifecycle.enabled} is false. */
    public static RunningTriggers start(WeirConfig.Lifecycle config, WeirConfig.Upstream up, URI endpoint, PolicyHolder policy,
                                        UpstreamNumbers numbers, AuditPipeline audit, Map<String, String> env) {
        if (Boolean.FALSE.equals(config.enabled())) return null;
        Clock clock = Clock.systemUTC();
        javax.net.ssl.SSLContext tls;
        try {
            tls = dev.weir.proxy.upstream.UpstreamTls.jdkContext(up.caFile());
        } catch (java.security.GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("upstream.ca_file: " + e.getMessage(), e);
        }
        StoreClient store = new StoreClient(endpoint,
                new SigV4Signer(new Credentials(up.accessKeyId(), up.secretAccessKey()), up.region(), "dynamodb"),
                Duration.ofMillis(up.timeoutMs()), clock, tls);
        String global = config.signingSecret() != null ? config.signingSecret() : env.get("WEIR_TRIGGER_SECRET");
        Signature globalSignature = global == null || global.isEmpty() ? null : new Signature(global);
        FunctionClient functions = new FunctionClient(Duration.ofMillis(config.callTimeoutMs()), clock, id -> {
            String own = env.get(secretVariable(id));
            return own != null && !own.isEmpty() ? new Signature(own) : globalSignature;
        });
        RecordViews views = views(numbers);
        RecordView view = (trigger, record, viewType, keys) -> {
            DecisionTable table = policy.current().table();
            if (table == null) throw new RecordView.Refused("no policy is loaded");
            return views.of(table, clock.instant()).cut(trigger, record, viewType, keys);
        };
        String instance = config.instanceId() != null ? config.instanceId() : defaultInstanceId();
        LifecycleOptions options = new LifecycleOptions(instance, Duration.ofMillis(config.leaseMs()),
                Duration.ofMillis(config.pollMs()), Duration.ofMillis(config.callTimeoutMs()), 100);
        TriggerAudit auditor = audit == null ? null : new TriggerAudit(audit);
        LifecycleWorker streams = new LifecycleWorker(store, () -> {
            DecisionTable table = policy.current().table();
            return table == null ? List.of() : table.triggers();
        }, view, functions, auditor == null ? LifecycleListener.NONE : auditor, options, clock).start();
        ScheduleRunner schedules = new ScheduleRunner(store, () -> {
            DecisionTable table = policy.current().table();
            return table == null ? List.of() : table.schedules();
        }, functions, auditor == null ? ScheduleListener.NONE : auditor, instance, clock,
                Duration.ofMillis(Math.min(config.pollMs(), 1000)), new SecureRandom()).start();
        DeadLetters deadLetters = new DeadLetters(store);
        java.util.concurrent.atomic.AtomicBoolean deadLettersReady = new java.util.concurrent.atomic.AtomicBoolean();
        RequestTriggerQueue requests = new RequestTriggerQueue(() -> policy.current().table(), functions,
                auditor == null ? RequestTriggerListener.NONE : auditor, (trigger, eventId, payload, error, attempts) -> {
                    if (!deadLettersReady.get()) {
                        deadLetters.ensure();
                        deadLettersReady.set(true);
                    }
                    deadLetters.put(trigger, eventId, payload, error, attempts, clock.instant());
                }, new SecureRandom(), REQUEST_QUEUE_CAPACITY, REQUEST_WORKERS);
        return new RunningTriggers(streams, schedules, requests);
    }

    /**
     * The firewall's cut of stream records for the trigger roles, under a given policy and time:
     * what the worker cuts with, and what {@code ./weir policy test} judges change cases with.
     */
    public static RecordViews views(UpstreamNumbers numbers) {
        return (table, now) -> (trigger, record, viewType, keys) ->
                cut(table, trigger, record, viewType, keys, numbers, Clock.fixed(now, java.time.ZoneOffset.UTC));
    }

    /** The firewall's cut of one record for the trigger's role (the view of GetRecords by a principal with that role alone). */
    public static Optional<ObjectNode> cut(DecisionTable table, TriggerSpec trigger, JsonNode record, String viewType,
                                           List<String> keys, UpstreamNumbers numbers, Clock clock) throws RecordView.Refused {
        return switch (RoleRecordView.cut(table, trigger.role(), trigger.table(), record, viewType, keys, numbers, clock.instant())) {
            case RoleRecordView.Result.Shown s -> Optional.of(s.record());
            case RoleRecordView.Result.Hidden h -> Optional.empty();
            case RoleRecordView.Result.Refused r -> throw new RecordView.Refused(r.reason());
        };
    }

    /** {@code WEIR_TRIGGER_SECRET_<ID>}: the id upper-cased, anything but letters and digits as '_'. */
    public static String secretVariable(String triggerId) {
        return "WEIR_TRIGGER_SECRET_" + triggerId.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /** {@code WEIR_INSTANCE_ID} when set (the Helm chart's pod name), else the host name and process id. */
    private static String defaultInstanceId() {
        String named = System.getenv(dev.weir.appliance.config.InstanceId.VARIABLE);
        if (named != null && !named.isBlank()) return named.strip().replace('|', '-');
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "weir";
        }
        return (host + "-" + ManagementFactory.getRuntimeMXBean().getPid()).replace('|', '-');
    }
}
