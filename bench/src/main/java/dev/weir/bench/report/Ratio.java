package dev.weir.bench.report;

/**
 * One comparison between two scenarios of the same run: {@code value} = the figure of
 * {@code numerator} ÷ that of {@code denominator}, or null with {@code missing} saying why
 * (a scenario did not run, or the denominator is zero).
 */
public record Ratio(String comparison, String metric, String numerator, String denominator, Double value, String missing) {

    static Ratio of(String comparison, String metric, String numerator, String denominator, double a, double b) {
        if (!(b > 0) || !(a >= 0)) {
            return new Ratio(comparison, metric, numerator, denominator, null, "no figure for " + (b > 0 ? numerator : denominator));
        }
        return new Ratio(comparison, metric, numerator, denominator, Math.round(a / b * 1000) / 1000.0, null);
    }

    static Ratio missing(String comparison, String metric, String numerator, String denominator, String why) {
        return new Ratio(comparison, metric, numerator, denominator, null, why);
    }

    /** "1.23×", or "n/a (why)". */
    public String formatted() {
        return value == null ? "n/a (" + missing + ")" : String.format("%.2f×", value);
    }
}
