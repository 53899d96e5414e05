package dev.weir.proxy.enforce;

/**
 * A permitted request, ready to forward: its plan and the body to send (null: the client's
 * own bytes, unchanged).
 *
 * @param nanos {@link System#nanoTime()} when the plan was complete (the decision time the audit reports)
 */
record Planned(Decided decided, Plan plan, byte[] forwardBody, long nanos) implements Stage {
    @Override public Received received() {
        return decided.received();
    }

    @Override public Identified identified() {
        return decided.identified();
    }

    @Override public Parsed parsed() {
        return decided.parsed();
    }

    @Override public Planned planned() {
        return this;
    }

    /** The same plan, its decision knowing the key schemas its puts' items are named by (for the audit). */
    Planned withItemKeys(ItemKeys keys) {
        return new Planned(decided.withItemKeys(keys), plan, forwardBody, nanos);
    }
}
