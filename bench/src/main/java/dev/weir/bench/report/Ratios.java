package dev.weir.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The comparisons {@code ./weir bench} prints, all between scenarios of the same run: weir
 * against the store it guards, weir against HAProxy (a proxy that parses nothing), the store
 * against dynalite, and what audit costs (sync and async against off). Throughput is at
 * saturation; latency at the shared fixed rate; CPU per request at saturation (more requests
 * per measurement, the least noisy figure).
 */
public final class Ratios {
    public static final String STORE = "store-direct";
    public static final String ALLOW_ALL = "weir-allow-all";
    public static final String DEMO_OFF = "weir-demo-audit-off";
    public static final String DEMO_ASYNC = "weir-demo-audit-async";
    public static final String DEMO_SYNC = "weir-demo-audit-sync";
    public static final String HAPROXY = "haproxy";
    public static final String DYNALITE = "dynalite";

    private Ratios() {}

    /** Every comparison, in print order; a comparison whose scenario did not run has a null value and says why. */
    public static List<Ratio> compute(Map<String, ScenarioFigures> scenarios) {
        List<Ratio> out = new ArrayList<>();
        for (String weir : List.of(ALLOW_ALL, DEMO_ASYNC)) {
            String c = weir + " ÷ " + STORE;
            out.add(ratio(scenarios, c, "throughput", weir, STORE, ScenarioFigures::saturation));
            out.add(ratio(scenarios, c, "p50", weir, STORE, ScenarioFigures::p50));
            out.add(ratio(scenarios, c, "p99", weir, STORE, ScenarioFigures::p99));
            out.add(ratio(scenarios, c, "CPU µs/req, all processes", weir, STORE, ScenarioFigures::totalCpuSaturated));
        }
        for (String weir : List.of(ALLOW_ALL, DEMO_ASYNC)) {
            String c = weir + " ÷ " + HAPROXY;
            out.add(ratio(scenarios, c, "throughput", weir, HAPROXY, ScenarioFigures::saturation));
            out.add(ratio(scenarios, c, "p50", weir, HAPROXY, ScenarioFigures::p50));
            out.add(ratio(scenarios, c, "p99", weir, HAPROXY, ScenarioFigures::p99));
            out.add(ratio(scenarios, c, "CPU µs/req, the proxy alone", weir, HAPROXY, ScenarioFigures::proxyCpuSaturated));
        }
        String c = STORE + " ÷ " + DYNALITE;
        out.add(ratio(scenarios, c, "throughput", STORE, DYNALITE, ScenarioFigures::saturation));
        out.add(ratio(scenarios, c, "p99", STORE, DYNALITE, ScenarioFigures::p99));
        out.add(ratio(scenarios, c, "CPU µs/req", STORE, DYNALITE, ScenarioFigures::totalCpuSaturated));
        for (String audit : List.of(DEMO_ASYNC, DEMO_SYNC)) {
            String a = audit + " ÷ " + DEMO_OFF;
            out.add(ratio(scenarios, a, "throughput", audit, DEMO_OFF, ScenarioFigures::saturation));
            out.add(ratio(scenarios, a, "p99", audit, DEMO_OFF, ScenarioFigures::p99));
            out.add(ratio(scenarios, a, "CPU µs/req, weir alone", audit, DEMO_OFF, ScenarioFigures::proxyCpuSaturated));
        }
        return out;
    }

    private static Ratio ratio(Map<String, ScenarioFigures> scenarios, String comparison, String metric, String numerator,
                               String denominator, ToDoubleFunction<ScenarioFigures> figure) {
        ScenarioFigures a = scenarios.get(numerator);
        ScenarioFigures b = scenarios.get(denominator);
        for (ScenarioFigures s : new ScenarioFigures[] {a, b}) {
            String name = s == a ? numerator : denominator;
            if (s == null) return Ratio.missing(comparison, metric, numerator, denominator, name + " was not run");
            if (!s.available()) return Ratio.missing(comparison, metric, numerator, denominator, name + " unavailable");
        }
        return Ratio.of(comparison, metric, numerator, denominator, figure.applyAsDouble(a), figure.applyAsDouble(b));
    }

    /** The comparisons as an aligned text table, one line per comparison with its metrics side by side. */
    public static String table(List<Ratio> ratios) {
        StringBuilder sb = new StringBuilder();
        String current = null;
        String missing = null;
        for (Ratio r : ratios) {
            if (!r.comparison().equals(current)) {
                if (current != null) sb.append('\n');
                current = r.comparison();
                missing = null;
                sb.append(String.format("%-44s", current));
            }
            if (r.value() == null) {
                // A scenario that did not run makes every metric of the comparison missing: say so once.
                if (!r.missing().equals(missing)) sb.append("  n/a (").append(r.missing()).append(')');
                missing = r.missing();
                continue;
            }
            sb.append(String.format("  %s %s", r.metric(), r.formatted()));
        }
        if (current != null) sb.append('\n');
        return sb.toString();
    }
}
