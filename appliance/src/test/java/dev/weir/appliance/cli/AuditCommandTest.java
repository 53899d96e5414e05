package dev.weir.appliance.cli;

import dev.weir.audit.chain.ChainedFileSink;
import dev.weir.audit.chain.Ed25519Pem;
import dev.weir.audit.event.AuditEvent;
import dev.weir.audit.format.EcsJsonLines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code weir audit keygen|verify|tail}, in-process, against a directory the chained sink wrote. */
class AuditCommandTest {
    record Run(int exit, String out) {}

    private static synchronized Run weir(String... args) {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int exit = new CommandLine(new WeirCommand()).execute(args);
            return new Run(exit, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
        }
    }

    private static Path trail(Path dir, Path key) throws Exception {
        Path audit = dir.resolve("audit");
        try (ChainedFileSink sink = new ChainedFileSink(new ChainedFileSink.Options(audit, new EcsJsonLines(), 0, null,
                null, Ed25519Pem.readPrivate(key), null))) {
            for (int i = 1; i <= 5; i++) {
                sink.write(AuditEvent.builder().sequence(i).instance("w1").timeMicros(1_700_000_000_000_000L)
                        .principal("analyst").operation("GetItem").table("people").decision("ALLOWED")
                        .ruleIds(List.of("people-read")).maskedFields(List.of("ssn")).status(200).latencyMicros(250).build());
            }
        }
        return audit;
    }

    @Test
    void keygenThenVerifyAnUntouchedTrail(@TempDir Path dir) throws Exception {
        String prefix = dir.resolve("signing").toString();
        Run keygen = weir("audit", "keygen", prefix);
        assertEquals(0, keygen.exit(), keygen.out());
        assertEquals(1, weir("audit", "keygen", prefix).exit(), "never overwrites a key");
        Path audit = trail(dir, Path.of(prefix + ".key"));
        Run verify = weir("audit", "verify", audit.toString(), "--public-key", prefix + ".pub");
        assertEquals(0, verify.exit(), verify.out());
        assertTrue(verify.out().contains("ok: 5 records in 1 files, 1 digests (1 signatures checked)"), verify.out());
    }

    @Test
    void verifyExitsOneAndNamesTheFirstBadRecord(@TempDir Path dir) throws Exception {
        String prefix = dir.resolve("signing").toString();
        weir("audit", "keygen", prefix);
        Path audit = trail(dir, Path.of(prefix + ".key"));
        Path log = audit.resolve("audit-000001.log");
        List<String> lines = Files.readAllLines(log);
        Files.writeString(log, String.join("\n", lines.get(0), lines.get(2), lines.get(1), lines.get(3), lines.get(4)) + "\n");
        Run verify = weir("audit", "verify", audit.toString(), "--public-key", prefix + ".pub");
        assertEquals(1, verify.exit(), verify.out());
        assertTrue(verify.out().startsWith("TAMPERED: first bad record: audit-000001.log:2: "), verify.out());
    }

    /** A gap weir recorded is "ok with gaps" (exit 0); numbers missing with no gap event are INCOMPLETE (exit 2); neither is TAMPERED. */
    @Test
    void verifyTellsRecordedGapsAndUnrecordedLossesFromTampering(@TempDir Path dir) throws Exception {
        Path audit = dir.resolve("audit");
        try (ChainedFileSink sink = new ChainedFileSink(ChainedFileSink.Options.of(audit, new EcsJsonLines()))) {
            for (long i : new long[] {1, 2, 5}) {
                sink.write(AuditEvent.builder().sequence(i).instance("w1").timeMicros(1_700_000_000_000_000L)
                        .principal("analyst").operation("GetItem").table("people").decision("ALLOWED").status(200).build());
            }
            sink.write(AuditEvent.builder().sequence(6).instance("w1").timeMicros(1_700_000_000_000_000L)
                    .operation("weir:AuditGap").decision("DROPPED").note("2 audit events were lost")
                    .lostSequences(List.of("3-4")).build());
        }
        Run gaps = weir("audit", "verify", audit.toString());
        assertEquals(0, gaps.exit(), gaps.out());
        assertTrue(gaps.out().contains("ok with gaps: 4 records in 1 files"), gaps.out());
        assertTrue(gaps.out().contains("2 events lost, each recorded by a gap event"), gaps.out());
        assertTrue(gaps.out().contains("  lost: w1 3-4 (gap event at audit-000001.log:4)"), gaps.out());

        Path other = dir.resolve("other");
        try (ChainedFileSink sink = new ChainedFileSink(ChainedFileSink.Options.of(other, new EcsJsonLines()))) {
            for (long i : new long[] {1, 3}) {
                sink.write(AuditEvent.builder().sequence(i).instance("w1").timeMicros(1).operation("GetItem").build());
            }
        }
        Run incomplete = weir("audit", "verify", other.toString());
        assertEquals(2, incomplete.exit(), incomplete.out());
        assertTrue(incomplete.out().contains("INCOMPLETE: the chain is intact"), incomplete.out());
        assertTrue(incomplete.out().contains("  missing: w1 2"), incomplete.out());
        assertTrue(!incomplete.out().contains("TAMPERED"), incomplete.out());
    }

    @Test
    void tailPrintsReadableLines(@TempDir Path dir) throws Exception {
        String prefix = dir.resolve("signing").toString();
        weir("audit", "keygen", prefix);
        Path audit = trail(dir, Path.of(prefix + ".key"));
        Run tail = weir("audit", "tail", audit.toString(), "-n", "2");
        assertEquals(0, tail.exit(), tail.out());
        assertEquals(List.of(
                "2023-11-14T22:13:20Z #4 analyst GetItem people ALLOWED 200 250us rules=people-read masked=ssn",
                "2023-11-14T22:13:20Z #5 analyst GetItem people ALLOWED 200 250us rules=people-read masked=ssn"),
                tail.out().lines().toList());
    }
}
