package dev.weir.store.engine;

import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * A positioned iterator over one column family, reading a consistent snapshot taken when
 * it was opened. Not thread-safe; close it (try-with-resources) to release the snapshot.
 */
public final class Cursor implements AutoCloseable {
    private final RocksIterator it;

    Cursor(RocksIterator it) {
        this.it = it;
    }

    /** Positions at the first key at or after {@code target}. */
    public void seek(byte[] target) {
        it.seek(target);
    }

    /** Positions at the last key at or before {@code target}. */
    public void seekForPrev(byte[] target) {
        it.seekForPrev(target);
    }

    public void seekToLast() {
        it.seekToLast();
    }

    public boolean valid() {
        if (it.isValid()) return true;
        try {
            it.status();
        } catch (RocksDBException e) {
            throw RocksEngine.readFailure("iteration failed", e);
        }
        return false;
    }

    public void next() {
        it.next();
    }

    public void prev() {
        it.prev();
    }

    public byte[] key() {
        return it.key();
    }

    public byte[] value() {
        return it.value();
    }

    @Override
    public void close() {
        it.close();
    }
}
