package dev.weir.store.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads tried on an event loop stay in memory: what would need a file read says so instead of blocking. */
class RocksEngineInMemoryReadTest {
    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aReadThatNeedsAFileThrowsWouldBlockUntilTheBlockIsCached() {
        try (RocksEngine engine = RocksEngine.open(dir)) {
            engine.put(Column.ITEMS, b("k1"), b("v1"));
            // in the memtable: answered from memory
            assertArrayEquals(b("v1"), RocksEngine.withoutIo(() -> engine.get(Column.ITEMS, b("k1"))));
        }
        // reopening replays the log into a table file; the block cache starts empty
        try (RocksEngine engine = RocksEngine.open(dir)) {
            assertThrows(WouldBlock.class, () -> RocksEngine.withoutIo(() -> engine.get(Column.ITEMS, b("k1"))));
            assertThrows(WouldBlock.class, () -> RocksEngine.withoutIo(() -> {
                try (Cursor c = engine.cursor(Column.ITEMS)) {
                    c.seek(b("k"));
                    return c.valid();
                }
            }));
            assertArrayEquals(b("v1"), engine.get(Column.ITEMS, b("k1")));
            // the blocking read cached the block: now the same read stays in memory
            assertArrayEquals(b("v1"), RocksEngine.withoutIo(() -> engine.get(Column.ITEMS, b("k1"))));
            assertNull(engine.get(Column.ITEMS, b("absent")));
            assertTrue(RocksEngine.withoutIo(() -> {
                try (Cursor c = engine.cursor(Column.ITEMS)) {
                    c.seek(b("k"));
                    return c.valid();
                }
            }));
        }
    }

    @Test
    void writesAreRefusedInsideAReadThatMustNotBlock() {
        try (RocksEngine engine = RocksEngine.open(dir)) {
            assertThrows(IllegalStateException.class,
                    () -> RocksEngine.withoutIo(() -> {
                        engine.put(Column.ITEMS, b("k"), b("v"));
                        return null;
                    }));
            assertNull(engine.get(Column.ITEMS, b("k")));
        }
    }
}
