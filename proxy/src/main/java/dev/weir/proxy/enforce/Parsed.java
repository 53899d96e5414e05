package dev.weir.proxy.enforce;

import dev.weir.proxy.enforce.request.ParsedRequest;
import dev.weir.proxy.policy.PolicySnapshot;

/** A request read whole (every expression parsed, tables canonical), with the policy that will decide it. */
record Parsed(Identified identified, ParsedRequest request, PolicySnapshot policy) implements Stage {
    @Override public Received received() {
        return identified.received();
    }

    @Override public Parsed parsed() {
        return this;
    }
}
