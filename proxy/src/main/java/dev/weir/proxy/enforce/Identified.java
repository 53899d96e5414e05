package dev.weir.proxy.enforce;

import dev.weir.proxy.identity.Principal;

/** A request whose caller is known. */
record Identified(Received received, Principal principal) implements Stage {
    @Override public Identified identified() {
        return this;
    }
}
