package dev.weir.lifecycle;

import dev.weir.lifecycle.call.FunctionClient;
import dev.weir.lifecycle.call.Signature;
import dev.weir.lifecycle.worker.LifecycleListener;
import dev.weir.lifecycle.worker.LifecycleOptions;
import dev.weir.lifecycle.worker.LifecycleWorker;
import dev.weir.policy.trigger.RecordView;
import dev.weir.policy.LoadResult;
import dev.weir.policy.PolicyLoader;
import dev.weir.policy.PolicySource;
import dev.weir.policy.decision.DecisionTable;
import dev.weir.proxy.enforce.stream.RoleRecordView;
import dev.weir.proxy.enforce.stream.UpstreamNumbers;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Policies, the firewall's record cut, and workers for the lifecycle tests. */
public final class Fixtures {
    public static final String SECRET = "test-signing-secret";

    private Fixtures() {}

    public static DecisionTable policy(String text) {
        LoadResult r = PolicyLoader.load(List.of(new PolicySource("images.weir", text)));
        assertTrue(r.ok(), () -> r.diagnostics().toString());
        return r.table().orElseThrow();
    }

    /** The firewall's own cut (proxy RoleRecordView), as the appliance wires it. */
    public static RecordView view(DecisionTable policy) {
        return (trigger, record, viewType, keys) -> switch (RoleRecordView.cut(policy, trigger.role(), trigger.table(), record,
                viewType, keys, UpstreamNumbers.COUNT_FREE, Clock.systemUTC().instant())) {
            case RoleRecordView.Result.Shown s -> Optional.of(s.record());
            case RoleRecordView.Result.Hidden h -> Optional.empty();
            case RoleRecordView.Result.Refused r -> throw new RecordView.Refused(r.reason());
        };
    }

    public static LifecycleWorker worker(StoreFixture store, DecisionTable policy, String instance, Duration lease,
                                         LifecycleListener listener) {
        FunctionClient functions = new FunctionClient(Duration.ofSeconds(5), Clock.systemUTC(), id -> new Signature(SECRET));
        return new LifecycleWorker(store.client, policy::triggers, view(policy), functions, listener,
                new LifecycleOptions(instance, lease, Duration.ofMillis(100), Duration.ofSeconds(5), 100), Clock.systemUTC());
    }

    /** Waits up to {@code seconds} for the condition. */
    public static boolean await(int seconds, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) return true;
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }
}
