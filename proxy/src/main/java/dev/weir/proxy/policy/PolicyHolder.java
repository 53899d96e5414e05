package dev.weir.proxy.policy;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds the policy in force. Readers take the current snapshot without locking; a reload
 * publishes a whole new snapshot with one atomic swap, so no request sees half a policy.
 */
public final class PolicyHolder {
    private final AtomicReference<PolicySnapshot> current;

    public PolicyHolder(PolicySnapshot initial) {
        this.current = new AtomicReference<>(initial);
    }

    public PolicySnapshot current() {
        return current.get();
    }

    public void publish(PolicySnapshot next) {
        current.set(next);
    }
}
