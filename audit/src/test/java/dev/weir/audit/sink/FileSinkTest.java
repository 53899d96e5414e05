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
}
