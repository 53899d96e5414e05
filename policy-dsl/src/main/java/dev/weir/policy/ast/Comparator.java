package dev.weir.policy.ast;

/** A comparison operator of a condition. */
public enum Comparator {
    EQ("=="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">=");

    private final String symbol;

    Comparator(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }

    public static Comparator of(String symbol) {
        for (Comparator c : values()) if (c.symbol.equals(symbol)) return c;
        throw new IllegalArgumentException(symbol);
    }
}
