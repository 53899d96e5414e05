package dev.weir.store.table;

/** A table's time-to-live setting: items whose {@code attributeName} (epoch seconds) is past expire. */
public record TimeToLive(String attributeName, boolean enabled) {
    public static final TimeToLive DISABLED = new TimeToLive(null, false);
}
