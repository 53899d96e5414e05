package dev.weir.appliance.console;

import dev.weir.audit.chain.ChainVerifier;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hash-chained audit folders (sinks of type {@code file}) and the last verification of each
 * that the console ran ({@link ChainVerifier}, the code of {@code ./weir audit verify}). Digest
 * signatures are not checked here (that needs the public key, which weir does not hold); the
 * page says so, and {@code ./weir audit verify --public-key} checks them.
 */
final class ChainChecks {
    /** A chained sink's folder. */
    record Chain(String sink, Path dir) {}

    /** One verification: when, and what it found. */
    record Verification(long timeMicros, boolean ok, boolean complete, int files, long records, long lostInGaps,
                        long lostUnrecorded, List<String> problems, List<String> notes) {}

    private final List<Chain> chains;
    private final Map<String, Verification> last = new ConcurrentHashMap<>();

    ChainChecks(List<Chain> chains) {
        this.chains = List.copyOf(chains);
    }

    /** The chained sinks of the configuration's {@code audit.sinks} (relative folders under {@code home}). */
    static ChainChecks of(List<Map<String, Object>> sinks, Path home) {
        List<Chain> out = new ArrayList<>();
        for (Map<String, Object> s : sinks) {
            if ("file".equals(s.get("type")) && s.get("dir") != null) {
                out.add(new Chain(String.valueOf(s.get("name")), home.resolve(String.valueOf(s.get("dir")))));
            }
        }
        return new ChainChecks(out);
    }

    List<Chain> chains() {
        return chains;
    }

    Verification last(String sink) {
        return last.get(sink);
    }

    /** Verifies the chain of {@code sink} now; null when there is no such chained sink. */
    Verification verify(String sink) {
        Chain c = chains.stream().filter(x -> x.sink().equals(sink)).findFirst().orElse(null);
        if (c == null) return null;
        long now = System.currentTimeMillis() * 1000;
        Verification v;
        try {
            ChainVerifier.Report r = ChainVerifier.verifyLive(c.dir(), null);
            v = new Verification(now, r.ok(), r.complete(), r.files(), r.records(), r.lostInGaps(), r.lostUnrecorded(),
                    r.problems().stream().limit(20).map(Object::toString).toList(), r.notes());
        } catch (IOException | RuntimeException e) {
            v = new Verification(now, false, false, 0, 0, 0, 0, List.of("cannot verify: " + e.getMessage()), List.of());
        }
        last.put(sink, v);
        return v;
    }
}
