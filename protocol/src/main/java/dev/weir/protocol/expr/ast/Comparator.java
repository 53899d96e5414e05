package dev.weir.protocol.expr.ast;

/** The comparison operators of conditions. */
public enum Comparator {
    EQ("="), NE("<>"), LT("<"), LE("<="), GT(">"), GE(">=");

    private final String symbol;

    Comparator(String symbol) { this.symbol = symbol; }

    public String symbol() { return symbol; }

    public static Comparator ofSymbol(String symbol) {
        for (Comparator c : values()) if (c.symbol.equals(symbol)) return c;
        throw new IllegalArgumentException("not a comparator: " + symbol);
    }

    /** The comparator with its operands swapped: {@code a < b} is {@code b > a}. */
    public Comparator flipped() {
        return switch (this) {
            case EQ, NE -> this;
            case LT -> GT;
            case LE -> GE;
            case GT -> LT;
            case GE -> LE;
        };
    }
}
