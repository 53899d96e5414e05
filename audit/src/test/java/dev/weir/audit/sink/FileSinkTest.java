package dev.weir.audit.sink;

import dev.weir.audit.event.AuditEvent;
import dev.weir.audit.format.EcsJsonLines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileSinkTest {
    @Test
    void aRecordACrashLeftHalfWrittenIsCutOffBeforeAppending(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("audit.jsonl");
        Files.writeString(file, "{\"whole\":1}\n{\"whole\":2}\n{\"torn\":");
        try (FileSink sink = new FileSink(file, new EcsJsonLines())) {
            sink.write(AuditEvent.builder().sequence(3).instance("i").operation("GetItem").decision("ALLOWED").build());
            sink.flush();
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(3, lines.size(), lines.toString());
        assertEquals("{\"whole\":2}", lines.get(1));
        assertTrue(lines.get(2).startsWith("{") && lines.get(2).contains("\"event.sequence\":3"), lines.get(2));
    }

    @Test
    void aFileWithOnlyATornRecordStartsEmptyAndAWholeFileIsKept(@TempDir Path dir) throws Exception {
        Path torn = dir.resolve("torn.jsonl");
        Files.writeString(torn, "{\"torn\":");
        new FileSink(torn, new EcsJsonLines()).close();
        assertEquals("", Files.readString(torn));
        Path whole = dir.resolve("whole.jsonl");
        Files.writeString(whole, "{\"a\":1}\n");
        new FileSink(whole, new EcsJsonLines()).close();
        assertEquals("{\"a\":1}\n", Files.readString(whole));
    }

    /** A full disk mid-batch: the file is cut back to its last whole line, the shipper's retry of the batch leaves no repeat. */
    @Test
    void aFailedFlushLeavesWholeLinesOnlyAndTheRetryNoRepeat(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("audit.jsonl");
        dev.weir.audit.spool.FullDisk disk = new dev.weir.audit.spool.FullDisk();
        try (FileSink sink = new FileSink(file, new EcsJsonLines(), disk)) {
            for (int i = 1; i <= 3; i++) sink.write(AuditEvent.builder().sequence(i).instance("i").build());
            sink.flush();
            long whole = Files.size(file);
            disk.free(100);
            for (int i = 4; i <= 6; i++) sink.write(AuditEvent.builder().sequence(i).instance("i").build());
            org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, sink::flush);
            assertEquals(whole, Files.size(file), "the short write was cut off");
            disk.free(Long.MAX_VALUE);
            for (int i = 4; i <= 6; i++) sink.write(AuditEvent.builder().sequence(i).instance("i").build());
            sink.flush();
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(6, lines.size(), lines.toString());
        for (int i = 0; i < 6; i++) assertTrue(lines.get(i).contains("\"event.sequence\":" + (i + 1)), lines.get(i));
    }
}
