package dev.weir.policy.trigger;

/** A stream record's {@code eventName}, as the trigger's role sees it. */
public enum ChangeEvent {
    INSERT, MODIFY, REMOVE;

    /** The event of that name, or null. */
    public static ChangeEvent named(String name) {
        for (ChangeEvent e : values()) if (e.name().equals(name)) return e;
        return null;
    }
}
