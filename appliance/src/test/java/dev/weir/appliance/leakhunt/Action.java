package dev.weir.appliance.leakhunt;

/**
 * A field clause of an allow ({@code mask PATH FN}, {@code remove PATH}, {@code null PATH}) and
 * what the model takes it to reveal of the value at the path ({@link Reveal}).
 *
 * @param function the mask function as written (show_last(4), hmac(key: "k1"), ...); null for remove and null
 */
record Action(Kind kind, String function, Reveal reveal) {
    enum Kind { MASK, REMOVE, NULL }

    static final Action REMOVE = new Action(Kind.REMOVE, null, Reveal.NONE);
    static final Action NULL = new Action(Kind.NULL, null, Reveal.PRESENCE);

    static Action mask(String function, Reveal reveal) {
        return new Action(Kind.MASK, function, reveal);
    }

    String render(String path) {
        return switch (kind) {
            case MASK -> "mask " + path + " " + function;
            case REMOVE -> "remove " + path;
            case NULL -> "null " + path;
        };
    }
}
