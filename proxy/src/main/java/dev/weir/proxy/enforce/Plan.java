package dev.weir.proxy.enforce;

import java.util.List;
import java.util.Map;

/**
 * How weir carries out a permitted request: what it changes in each part before forwarding
 * (keyed by {@link dev.weir.proxy.enforce.request.Part#index()}; a part without an entry is
 * forwarded as sent). The forwarded body is built from this ({@link ForwardBody}) and the
 * answer filtered by it ({@link ResponseFilter}).
 *
 * @param paged    a request weir answers itself instead of forwarding it (a Query or Scan it pages, {@link PagedRead};
 *                 a Streams request, {@link StreamAnswer}), or null
 * @param withheld top-level members removed from what is forwarded (metadata the caller may not get)
 */
record Plan(Map<Integer, Rewrite> rewrites, SelfAnswered paged, List<String> withheld) {
    Plan {
        rewrites = Map.copyOf(rewrites);
        withheld = List.copyOf(withheld);
    }

    Plan(Map<Integer, Rewrite> rewrites) {
        this(rewrites, null, List.of());
    }

    Rewrite of(int part) {
        return rewrites.getOrDefault(part, Rewrite.NONE);
    }
}
