package dev.weir.audit.chain;

import dev.weir.audit.event.AuditEvent;
import dev.weir.audit.format.EcsJsonLines;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hash chain and signed digests: every kind of tampering is found and the first bad record named. */
class ChainTest {
    static KeyPair keys;

    @BeforeAll
    static void keys() {
        keys = Ed25519Pem.generate();
    }

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2025-01-01T00:00:00Z");
        public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
        public Clock withZone(java.time.ZoneId z) { return this; }
        public Instant instant() { return now; }
    }

    static AuditEvent event(long seq) {
        return AuditEvent.builder().sequence(seq).instance("i").timeMicros(1_700_000_000_000_000L + seq)
                .principal("p" + seq).operation("GetItem").table("people").decision("ALLOWED").status(200).build();
    }

    /** Writes 3 files of 10 records each (rotation by size), digests every 4 records' worth of time. */
    static Path write(Path dir) throws IOException {
        ManualClock clock = new ManualClock();
        int recordBytes = new EcsJsonLines().encode(event(10)).length + 1;
        try (ChainedFileSink sink = new ChainedFileSink(new ChainedFileSink.Options(dir, new EcsJsonLines(),
                recordBytes * 10L + 5, Duration.ofDays(1), Duration.ofSeconds(4), keys.getPrivate(), clock))) {
            for (int i = 1; i <= 30; i++) {
                sink.write(event(i));
                clock.now = clock.now.plusSeconds(1);
                sink.flush();
            }
        }
        return dir;
    }

    static ChainVerifier.Report verify(Path dir) throws IOException {
        return ChainVerifier.verify(dir, keys.getPublic());
    }

    static List<String> lines(Path f) throws IOException {
        return new ArrayList<>(Files.readAllLines(f, StandardCharsets.UTF_8));
    }

    static void put(Path f, List<String> lines) throws IOException {
        Files.writeString(f, lines.isEmpty() ? "" : String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    static void assertFirstBad(ChainVerifier.Report r, String file, long record) {
        assertFalse(r.ok(), "tampering went unnoticed");
        ChainVerifier.Problem first = r.problems().getFirst();
        assertEquals(file + ":" + record, first.file() + ":" + first.record(), r.problems().toString());
    }

    /**
     * While the sink writes, the newest file may hold records its chain does not list yet (the
     * sink writes a record before its chain entry), the last one torn: a live check leaves that
     * tail alone and still finds a record changed before it; the offline check calls the tail
     * what it would be in a finished file.
     */
    /** A chain entry is the bytes {@code bytes + " " + hex(head) + "\n"} for every byte count's length, and any head. */
    @Test
    void chainEntriesAreTheTextTheyStandFor() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(4096);
        for (int i = 0; i < 20_000; i++) {
            long bytes = switch (i % 4) {
                case 0 -> i / 4;
                case 1 -> Long.MAX_VALUE - r.nextInt(1000);
                case 2 -> (long) Math.pow(10, r.nextInt(19)) - r.nextInt(2);
                default -> r.nextLong(Long.MAX_VALUE);
            };
            byte[] head = new byte[32];
            r.nextBytes(head);
            buf.clear();
            buf.put((byte) 'x');  // an entry goes after what the buffer holds
            ChainedFileSink.chainEntry(buf, bytes, head);
            String expected = "x" + bytes + " " + ChainFiles.hex(head) + "\n";
            assertEquals(expected, new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void aLiveCheckLeavesTheNewestFilesTailAloneAndStillFindsTampering(@TempDir Path dir) throws Exception {
        Path f = write(dir).resolve("audit-000003.log");
        List<String> l = lines(f);
        String extra = new String(new EcsJsonLines().encode(event(31)), StandardCharsets.UTF_8);
        Files.writeString(f, String.join("\n", l) + "\n" + extra + "\n" + extra.substring(0, 40), StandardCharsets.UTF_8);
        ChainVerifier.Report live = ChainVerifier.verifyLive(dir, keys.getPublic());
        assertTrue(live.ok(), live.problems().toString());
        assertEquals(30, live.records());
        assertTrue(live.notes().stream().anyMatch(n -> n.contains("2 records at the end of audit-000003.log")), live.notes().toString());
        assertFalse(verify(dir).ok(), "offline, the same tail is a record outside the chain");

        l.set(3, l.get(3).replace("\"p24\"", "\"p99\""));
        Files.writeString(f, String.join("\n", l) + "\n" + extra + "\n", StandardCharsets.UTF_8);
        assertFirstBad(ChainVerifier.verifyLive(dir, keys.getPublic()), "audit-000003.log", 4);
        Path older = dir.resolve("audit-000002.log");
        List<String> o = lines(older);
        put(older, o.subList(0, 9));
        assertFalse(ChainVerifier.verifyLive(dir, keys.getPublic()).ok(), "an older file cut short is tampering, live or not");
    }

    @Test
    void anUntouchedDirectoryVerifies(@TempDir Path dir) throws Exception {
        write(dir);
        assertEquals(List.of(1L, 2L, 3L), ChainFiles.logNumbers(dir));
        ChainVerifier.Report r = verify(dir);
        assertTrue(r.ok(), r.problems().toString());
        assertEquals(30, r.records());
        assertEquals(3, r.files());
        assertEquals(r.digests(), r.signaturesChecked());
        assertEquals(0, r.unsignedTail());
        assertTrue(r.digests() >= 6, "periodic and final digests: " + r.digests());
    }

    @Test
    void aModifiedRecordIsNamed(@TempDir Path dir) throws Exception {
        Path f = write(dir).resolve("audit-000002.log");
        List<String> l = lines(f);
        l.set(3, l.get(3).replace("\"p14\"", "\"p99\""));
        put(f, l);
        assertFirstBad(verify(dir), "audit-000002.log", 4);
    }

    @Test
    void aRemovedRecordIsNamed(@TempDir Path dir) throws Exception {
        Path f = write(dir).resolve("audit-000002.log");
        List<String> l = lines(f);
        l.remove(5);
        put(f, l);
        assertFirstBad(verify(dir), "audit-000002.log", 6);
    }

    @Test
    void anInsertedRecordIsNamed(@TempDir Path dir) throws Exception {
        Path f = write(dir).resolve("audit-000001.log");
        List<String> l = lines(f);
        l.add(2, new String(new EcsJsonLines().encode(event(77)), StandardCharsets.UTF_8));
        put(f, l);
        assertFirstBad(verify(dir), "audit-000001.log", 3);
    }

    @Test
    void reorderedRecordsAreNamed(@TempDir Path dir) throws Exception {
        Path f = write(dir).resolve("audit-000003.log");
        List<String> l = lines(f);
        Collections.swap(l, 6, 7);
        put(f, l);
        assertFirstBad(verify(dir), "audit-000003.log", 7);
    }

    @Test
    void aTruncatedFileIsNamed(@TempDir Path dir) throws Exception {
        Path f = write(dir).resolve("audit-000003.log");
        List<String> l = lines(f);
        put(f, l.subList(0, 8));
        assertFirstBad(verify(dir), "audit-000003.log", 9);
    }

    @Test
    void truncatingTheRecordsAndTheirChainTogetherIsCaughtBySignedDigests(@TempDir Path dir) throws Exception {
        write(dir);
        put(dir.resolve("audit-000003.log"), lines(dir.resolve("audit-000003.log")).subList(0, 8));
        put(dir.resolve("audit-000003.chain"), lines(dir.resolve("audit-000003.chain")).subList(0, 9));
        assertFirstBad(verify(dir), "audit-000003.log", 9);
    }

    @Test
    void rewritingRecordsAndTheirChainIsCaughtBySignedDigests(@TempDir Path dir) throws Exception {
        write(dir);
        Path f = dir.resolve("audit-000001.log");
        List<String> l = lines(f);
        l.set(4, l.get(4).replace("\"p5\"", "\"pX\""));
        put(f, l);
        // recompute the whole chain, as an attacker without the signing key can
        MessageDigest sha = ChainFiles.sha256();
        byte[] h = ChainFiles.GENESIS;
        List<String> chain = new ArrayList<>(List.of(ChainFiles.CHAIN_MAGIC + " prev=" + ChainFiles.hex(h)));
        long end = 0;
        for (String rec : l) {
            byte[] b = rec.getBytes(StandardCharsets.UTF_8);
            h = ChainFiles.next(sha, h, b, 0, b.length);
            end += b.length + 1;
            chain.add(end + " " + ChainFiles.hex(h));
        }
        put(dir.resolve("audit-000001.chain"), chain);
        ChainVerifier.Report r = verify(dir);
        assertFalse(r.ok());
        assertTrue(r.problems().stream().anyMatch(p -> p.file().equals("audit-000001.log")
                && p.message().contains("do not match signed digest")), r.problems().toString());
        assertTrue(r.problems().getFirst().record() <= 5, r.problems().toString());
    }

    @Test
    void aRemovedFileIsNamed(@TempDir Path dir) throws Exception {
        write(dir);
        Files.delete(dir.resolve("audit-000002.log"));
        Files.delete(dir.resolve("audit-000002.chain"));
        ChainVerifier.Report r = verify(dir);
        assertFirstBad(r, "audit-000002.log", 0);
    }

    @Test
    void aRemovedOrForgedDigestIsFound(@TempDir Path dir) throws Exception {
        write(dir);
        Path d = dir.resolve(ChainFiles.DIGESTS);
        List<String> l = lines(d);
        l.remove(1);
        put(d, l);
        assertFirstBad(verify(dir), ChainFiles.DIGESTS, 2);

        Path other = write(dir.resolve("other"));
        ChainVerifier.Report wrongKey = ChainVerifier.verify(other, Ed25519Pem.generate().getPublic());
        assertFirstBad(wrongKey, ChainFiles.DIGESTS, 1);
        assertTrue(wrongKey.problems().getFirst().message().contains("bad signature"));
    }

    @Test
    void rotationByTimeAndRestartContinueTheChain(@TempDir Path dir) throws Exception {
        ManualClock clock = new ManualClock();
        ChainedFileSink.Options o = new ChainedFileSink.Options(dir, new EcsJsonLines(), 1 << 20,
                Duration.ofMinutes(10), Duration.ofMinutes(1), keys.getPrivate(), clock);
        ChainedFileSink sink = new ChainedFileSink(o);
        sink.write(event(1));
        clock.now = clock.now.plus(Duration.ofMinutes(11));
        sink.write(event(2));
        sink.flush();
        // a crash: no close; a torn record after the chained ones
        Files.writeString(dir.resolve("audit-000002.log"), "{\"torn", java.nio.file.StandardOpenOption.APPEND);
        sink = new ChainedFileSink(o);
        sink.write(event(3));
        sink.close();
        assertEquals(List.of(1L, 2L, 3L), ChainFiles.logNumbers(dir));
        ChainVerifier.Report r = verify(dir);
        assertTrue(r.ok(), r.problems().toString());
        assertEquals(3, r.records());
    }

    /** A file is rotated at exactly its maximum age, not a nanosecond before; an age beyond time never rotates. */
    @Test
    void rotationByTimeHappensAtTheAgeToTheNanosecond(@TempDir Path dir) throws Exception {
        ManualClock clock = new ManualClock();
        clock.now = clock.now.plusNanos(123_456_789);  // an instant inside a millisecond
        Instant opened = clock.now;
        try (ChainedFileSink sink = new ChainedFileSink(new ChainedFileSink.Options(dir.resolve("a"), new EcsJsonLines(), 1 << 20,
                Duration.ofMinutes(10), Duration.ofMinutes(1), keys.getPrivate(), clock))) {
            sink.write(event(1));
            clock.now = opened.plus(Duration.ofMinutes(10)).minusNanos(1);
            sink.write(event(2));
            sink.flush();
            assertEquals(List.of(1L), ChainFiles.logNumbers(dir.resolve("a")), "a nanosecond short of the age");
            clock.now = opened.plus(Duration.ofMinutes(10));
            sink.write(event(3));
            sink.flush();
            assertEquals(List.of(1L, 2L), ChainFiles.logNumbers(dir.resolve("a")), "at the age");
        }
        assertTrue(verify(dir.resolve("a")).ok());
        try (ChainedFileSink sink = new ChainedFileSink(new ChainedFileSink.Options(dir.resolve("b"), new EcsJsonLines(), 1 << 20,
                Duration.ofSeconds(Long.MAX_VALUE), Duration.ofMinutes(1), keys.getPrivate(), clock))) {
            sink.write(event(1));
            clock.now = clock.now.plus(Duration.ofDays(365 * 1000));
            sink.write(event(2));
        }
        assertEquals(List.of(1L), ChainFiles.logNumbers(dir.resolve("b")));
    }

    @Test
    void pemKeysRoundTrip(@TempDir Path dir) throws Exception {
        Ed25519Pem.write(keys, dir.resolve("k.key"), dir.resolve("k.pub"));
        assertTrue(Files.readString(dir.resolve("k.key")).startsWith("-----BEGIN PRIVATE KEY-----"));
        Digest d = Digest.signed(1, "t", "f", 1, "00", false, "00", Ed25519Pem.readPrivate(dir.resolve("k.key")));
        assertTrue(d.verify(Ed25519Pem.readPublic(dir.resolve("k.pub"))));
        assertEquals(d, Digest.parse(d.line()));
    }
}
