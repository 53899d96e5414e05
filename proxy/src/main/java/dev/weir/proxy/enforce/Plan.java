package dev.weir.proxy.enforce;

import java.util.Map;

/**
 * How weir carries out a permitted request: what it changes in each part before forwarding
 * (keyed by {@link dev.weir.proxy.enforce.request.Part#index()}; a part without an entry is
 * forwarded as sent). The forwarded body is built from this ({@link ForwardBody}) and the
 * answer filtered by it ({@link ResponseFilter}).
 */
record Plan(Map<Integer, Rewrite> rewrites) {
    Plan {
        rewrites = Map.copyOf(rewrites);
    }

    Rewrite of(int part) {
        return rewrites.getOrDefault(part, Rewrite.NONE);
    }
}
