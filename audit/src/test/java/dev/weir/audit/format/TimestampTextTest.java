package dev.weir.audit.format;

import dev.weir.audit.event.AuditEvent;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The formats' timestamps are written without a formatter (issue 16): they must be exactly what
 * {@link Instant#toString()} (ECS) and the six-digit RFC 3339 pattern (OCSF, syslog) wrote, for
 * every time, including the edges of the years 0000-9999 and beyond them; and an ECS record
 * written into a sink's batch is exactly its encoding and a line feed.
 */
class TimestampTextTest {
    private static final DateTimeFormatter SIX = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private static void same(long micros) {
        Instant i = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1000L);
        assertEquals(i.toString(), Text.isoInstant(micros), "isoInstant of " + micros);
        assertEquals(SIX.format(i), Text.rfc3339(micros), "rfc3339 of " + micros);
    }

    @Test
    void timestampsAreWhatTheJdkFormattersWrite() {
        long first = -62_167_219_200L * 1_000_000;  // 0000-01-01T00:00:00Z
        long last = 253_402_300_799L * 1_000_000 + 999_999;  // 9999-12-31T23:59:59.999999Z
        for (long edge : List.of(0L, 1L, -1L, 999L, 1000L, 1_000_000L, -1_000_000L, 1_001_000L, 1_000_001L,
                first, first - 1, first + 1, last, last + 1, last - 999_999, 951_782_400_000_000L /* 2000-02-29 */,
                Long.MAX_VALUE / 2, Long.MIN_VALUE / 2)) {
            same(edge);
        }
        SplittableRandom random = new SplittableRandom(16);
        long now = System.currentTimeMillis() * 1000;
        for (int i = 0; i < 200_000; i++) {
            long micros = switch (i % 4) {
                case 0 -> now + random.nextLong(-86_400_000_000L, 86_400_000_000L);  // around now: the cached second
                case 1 -> random.nextLong(first, last);                             // any four-digit year
                case 2 -> (now / 1000 + random.nextLong(-1_000_000, 1_000_000)) * 1000;  // whole milliseconds
                default -> (now / 1_000_000 + random.nextLong(-1_000_000, 1_000_000)) * 1_000_000;  // whole seconds
            };
            same(micros);
        }
    }

    @Test
    void anEcsRecordWrittenIntoABatchIsItsEncodingAndALineFeed() throws Exception {
        EcsJsonLines ecs = new EcsJsonLines();
        ByteArrayOutputStream batch = new ByteArrayOutputStream();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int i = 0; i < 50; i++) {
            AuditEvent e = AuditEvent.builder().sequence(i).instance("weir-a").timeMicros(1_765_000_000_000_000L + i * 1_234_567L)
                    .principal("p\"" + i).operation(i % 2 == 0 ? "GetItem" : null).table("t\n" + i).decision("ALLOWED")
                    .status(200).build();
            ecs.write(e, batch);
            expected.write(ecs.encode(e));
            expected.write('\n');
        }
        assertArrayEquals(expected.toByteArray(), batch.toByteArray());
    }
}
