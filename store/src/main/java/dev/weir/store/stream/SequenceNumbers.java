package dev.weir.store.stream;

import dev.weir.protocol.error.DynamoException;

import java.time.Clock;
import java.time.Instant;

/**
 * Sequence numbers as DynamoDB Streams shows them: strings of digits, here 21 wide and zero
 * padded, so their string order is their numeric order. Their value is a time in epoch
 * microseconds (per shard {@code max(previous + 1, now)}), never a count of records: two
 * numbers a reader sees differ by elapsed time, not by how many changes (perhaps hidden from
 * it) happened between them.
 */
public final class SequenceNumbers {
    static final int WIDTH = 21;

    private SequenceNumbers() {}

    public static String format(long micros) {
        String digits = Long.toString(micros);
        return "0".repeat(Math.max(0, WIDTH - digits.length())) + digits;
    }

    /** The value of a client's sequence number, or a ValidationException if it is not one of ours. */
    public static long parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 40 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw DynamoException.validation("Invalid SequenceNumber: " + text);
        }
        String stripped = text.replaceFirst("^0+(?=.)", "");
        if (stripped.length() > 18) throw DynamoException.validation("Invalid SequenceNumber: " + text);
        return Long.parseLong(stripped);
    }

    public static long nowMicros(Clock clock) {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
