package dev.weir.appliance.leakhunt;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One world's names for what legitimately differs between two stores whatever their data:
 * stream ARNs and labels (times), shard ids (time and randomness), sequence numbers (times),
 * event ids (random) and shard iterators (sealed with a random nonce). Each value becomes
 * {@code kind#n}, n its ordinal of first appearance in this world's run, so two runs that show
 * the same structure compare equal, and a different count, order or repetition still differs.
 */
final class Ordinals {
    private final Map<String, Map<String, Integer>> byKind = new HashMap<>();

    /** The ordinal name of {@code value} among the values of its kind seen so far (a new one if unseen). */
    String of(String kind, String value) {
        Map<String, Integer> seen = byKind.computeIfAbsent(kind, k -> new HashMap<>());
        Integer n = seen.get(value);
        if (n == null) {
            n = seen.size();
            seen.put(value, n);
        }
        return kind + "#" + n;
    }

    /**
     * A message with each value already seen (of the kinds that can appear in one: ARNs, labels,
     * shard ids) replaced by its name; longest first, so a label inside an ARN goes with the ARN.
     */
    String inText(String text) {
        List<Map.Entry<String, String>> known = new ArrayList<>();
        for (String kind : List.of("arn", "label", "shard")) {
            Map<String, Integer> seen = byKind.get(kind);
            // labels are named per table ("table|label"): a message quotes the bare label
            if (seen != null) seen.forEach((v, n) -> known.add(Map.entry(v.substring(v.indexOf('|') + 1), kind + "#" + n)));
        }
        known.sort(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getKey().length()).reversed());
        String out = text;
        for (Map.Entry<String, String> e : known) if (!e.getKey().isEmpty()) out = out.replace(e.getKey(), e.getValue());
        return out;
    }
}
