package dev.weir.store.table;

/**
 * A table's time-to-live setting: items whose {@code attributeName} (epoch seconds) is past
 * expire. {@code changedAtMillis} is when UpdateTimeToLive last changed it (0 if never): DynamoDB
 * refuses another change within a fixed interval of it ({@link TimeToLiveOperations}).
 */
public record TimeToLive(String attributeName, boolean enabled, long changedAtMillis) {
    public static final TimeToLive DISABLED = new TimeToLive(null, false, 0);
}
