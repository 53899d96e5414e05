package dev.weir.proxy.enforce;

import dev.weir.proxy.identity.Principal;

/**
 * A request whose caller is known; {@code payloadHash} is the SHA-256 (hex) of its body when its
 * signature was verified over it (null otherwise).
 */
record Identified(Received received, Principal principal, String payloadHash) implements Stage {
    @Override public Identified identified() {
        return this;
    }
}
