package dev.weir.appliance.leakhunt;

import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A failure as a replayable report: the seed (replay with {@code -Dleakhunt.seed=...}), the
 * tables, principals, policy, both stores (D2 as its differences from D1), and the minimal
 * requests with both worlds' answers.
 */
final class Report {
    private Report() {}

    static String of(Scenario s, Hunt.Outcome minimal, int originalLength) {
        StringBuilder sb = new StringBuilder();
        Hunt.Failure f = minimal.failure();
        sb.append("LEAK HUNT: ").append(f.kind()).append(" at ").append(f.op()).append(" (request #").append(f.index())
                .append(")\n  ").append(f.detail()).append('\n');
        sb.append("replay: ./weir leakhunt --seed ").append(s.seed()).append("   (or -Dleakhunt.seed=").append(s.seed())
                .append(")\n");
        sb.append("minimal: ").append(minimal.exchanges().size()).append(" of ").append(originalLength).append(" requests\n");
        sb.append("\n== tables\n");
        for (TableSpec t : s.tables()) sb.append(t.createRequest()).append('\n');
        sb.append("\n== principals (* acts)\n");
        for (int i = 0; i < s.principals().size(); i++) {
            sb.append(s.actors().contains(i) ? "* " : "  ").append(s.principals().get(i)).append('\n');
        }
        sb.append("\n== policy\n").append(s.policyText());
        sb.append("\n== D1 (world one)\n");
        for (TableSpec t : s.tables()) {
            sb.append(t.name()).append(":\n");
            for (Map<String, AttributeValue> item : s.d1().get(t.name())) sb.append("  ").append(json(item)).append('\n');
        }
        sb.append("\n== D2 (world two): what differs from D1\n");
        for (TableSpec t : s.tables()) {
            Map<String, Map<String, AttributeValue>> one = byKey(t, s.d1().get(t.name())), two = byKey(t, s.d2().get(t.name()));
            sb.append(t.name()).append(":\n");
            two.forEach((k, item) -> {
                Map<String, AttributeValue> was = one.get(k);
                if (was == null) {
                    sb.append("  extra row ").append(json(item)).append('\n');
                } else if (!was.equals(item)) {
                    sb.append("  ").append(k).append(':');
                    java.util.Set<String> names = new java.util.TreeSet<>(was.keySet());
                    names.addAll(item.keySet());
                    for (String a : names) {
                        AttributeValue x = was.get(a), y = item.get(a);
                        if (!java.util.Objects.equals(x, y)) {
                            sb.append("  ").append(a).append(": ").append(x == null ? "-" : AttributeValueJson.toJson(x))
                                    .append(" -> ").append(y == null ? "-" : AttributeValueJson.toJson(y));
                        }
                    }
                    sb.append('\n');
                }
            });
        }
        sb.append("\n== minimal requests\n");
        for (Hunt.Exchange e : minimal.exchanges()) {
            sb.append('#').append(e.index()).append(' ').append(s.principals().get(e.req().actor()).name()).append(' ')
                    .append(e.req().op()).append(' ').append(e.sentBody()).append('\n');
            boolean same = e.status1() == e.status2() && java.util.Objects.equals(e.body1(), e.body2());
            sb.append("   D1 -> ").append(e.status1()).append(' ').append(e.body1()).append('\n');
            sb.append("   D2 -> ").append(same ? "(same)" : e.status2() + " " + e.body2()).append('\n');
        }
        return sb.toString();
    }

    private static Map<String, Map<String, AttributeValue>> byKey(TableSpec t, List<Map<String, AttributeValue>> items) {
        Map<String, Map<String, AttributeValue>> out = new LinkedHashMap<>();
        for (Map<String, AttributeValue> i : items) out.put(World.keyText(t.keyOf(i)), i);
        return out;
    }

    private static String json(Map<String, AttributeValue> item) {
        return AttributeValueJson.toJson(item).toString();
    }
}
