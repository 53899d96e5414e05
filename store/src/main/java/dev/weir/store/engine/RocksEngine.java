package dev.weir.store.engine;

import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.ReadTier;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The RocksDB database under a data directory, with one column family per {@link Column}.
 * Every write is synced to the write-ahead log before it returns, so an acknowledged write
 * survives a crash; RocksDB batches concurrent synced writers into one group commit (its
 * write group: one log write and one sync for every writer waiting), and a write becomes
 * visible to readers only after its sync.
 */
public final class RocksEngine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RocksEngine.class);
    private static final int WAL_FILES_RECYCLED = 4;

    static {
        RocksDB.loadLibrary();
    }

    private final Path dir;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions cfOptions;
    private final WriteOptions syncWrites;
    private final WriteOptions unsyncedWrites;
    private final ReadOptions reads;
    private final ReadOptions cachedReads;
    private final RocksDB db;
    private final List<ColumnFamilyHandle> allHandles;
    private final Map<Column, ColumnFamilyHandle> handles;
    private boolean closed;

    private RocksEngine(Path dir, DBOptions dbOptions, ColumnFamilyOptions cfOptions, RocksDB db,
                        List<ColumnFamilyHandle> allHandles, Map<Column, ColumnFamilyHandle> handles) {
        this.dir = dir;
        this.dbOptions = dbOptions;
        this.cfOptions = cfOptions;
        this.db = db;
        this.allHandles = allHandles;
        this.handles = handles;
        this.syncWrites = new WriteOptions().setSync(true);
        this.unsyncedWrites = new WriteOptions();
        this.reads = new ReadOptions();
        this.cachedReads = new ReadOptions().setReadTier(ReadTier.BLOCK_CACHE_TIER);
    }

    /** Bound while {@link #withoutIo} runs: reads then stay in memory. */
    private static final ScopedValue<Boolean> IN_MEMORY_ONLY = ScopedValue.newInstance();

    /**
     * Runs {@code body} with every read of this thread answered from memory only (the
     * memtables and the block cache): a read that would have to go to a file throws
     * {@link WouldBlock} instead. So a read-only operation can be tried on an event loop,
     * and redone on a worker if the data is not in memory.
     */
    public static <T> T withoutIo(Supplier<T> body) {
        return ScopedValue.where(IN_MEMORY_ONLY, Boolean.TRUE).call(body::get);
    }

    private ReadOptions readOptions() {
        return IN_MEMORY_ONLY.isBound() ? cachedReads : reads;
    }

    /** A write or a disk read attempted inside {@link #withoutIo}: a programming error, never a client's. */
    private static void requireIoAllowed() {
        if (IN_MEMORY_ONLY.isBound()) throw new IllegalStateException("write attempted in a read that must not block");
    }

    static RuntimeException readFailure(String what, RocksDBException e) {
        if (e.getStatus() != null && e.getStatus().getCode() == org.rocksdb.Status.Code.Incomplete && IN_MEMORY_ONLY.isBound()) {
            return WouldBlock.INSTANCE;
        }
        return new StorageException(what, e);
    }

    /** Opens the database under {@code dir}, creating it and any missing column family. */
    public static RocksEngine open(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StorageException("cannot create data directory " + dir, e);
        }
        DBOptions dbOptions = new DBOptions()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                .setMaxBackgroundJobs(2)
                // Reused log files are overwritten in place: syncing them flushes data only, not
                // the file system's metadata (its journal), which makes each group commit cheaper.
                .setRecycleLogFileNum(WAL_FILES_RECYCLED);
        ColumnFamilyOptions cfOptions = new ColumnFamilyOptions();
        List<ColumnFamilyHandle> allHandles = new ArrayList<>();
        try {
            List<byte[]> names = existingFamilies(dir);
            for (Column c : Column.values()) {
                if (names.stream().noneMatch(n -> Arrays.equals(n, c.familyName()))) names.add(c.familyName());
            }
            List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
            for (byte[] name : names) descriptors.add(new ColumnFamilyDescriptor(name, cfOptions));
            RocksDB db = RocksDB.open(dbOptions, dir.toString(), descriptors, allHandles);
            Map<Column, ColumnFamilyHandle> handles = new EnumMap<>(Column.class);
            for (int i = 0; i < names.size(); i++) {
                for (Column c : Column.values()) {
                    if (Arrays.equals(names.get(i), c.familyName())) handles.put(c, allHandles.get(i));
                }
            }
            log.info("opened store data directory {}", dir);
            return new RocksEngine(dir, dbOptions, cfOptions, db, allHandles, handles);
        } catch (RocksDBException e) {
            allHandles.forEach(ColumnFamilyHandle::close);
            cfOptions.close();
            dbOptions.close();
            throw new StorageException("cannot open RocksDB at " + dir, e);
        }
    }

    private static List<byte[]> existingFamilies(Path dir) throws RocksDBException {
        List<byte[]> names = new ArrayList<>();
        if (Files.exists(dir.resolve("CURRENT"))) {
            try (Options options = new Options()) {
                names.addAll(RocksDB.listColumnFamilies(options, dir.toString()));
            }
        }
        if (names.stream().noneMatch(n -> Arrays.equals(n, RocksDB.DEFAULT_COLUMN_FAMILY))) {
            names.addFirst(RocksDB.DEFAULT_COLUMN_FAMILY);
        }
        return names;
    }

    /** The value under a key, or null. */
    public byte[] get(Column column, byte[] key) {
        try {
            return db.get(handles.get(column), readOptions(), key);
        } catch (RocksDBException e) {
            throw readFailure("read failed", e);
        }
    }

    /** Writes one value, synced to the log before returning. */
    public void put(Column column, byte[] key, byte[] value) {
        requireIoAllowed();
        try {
            db.put(handles.get(column), syncWrites, key, value);
        } catch (RocksDBException e) {
            throw new StorageException("write failed", e);
        }
    }

    /** Deletes one key, synced to the log before returning. */
    public void delete(Column column, byte[] key) {
        requireIoAllowed();
        try {
            db.delete(handles.get(column), syncWrites, key);
        } catch (RocksDBException e) {
            throw new StorageException("delete failed", e);
        }
    }

    /** Applies a batch atomically, synced to the log before returning. */
    public void write(Batch batch) {
        write(batch, syncWrites);
    }

    /**
     * Applies a batch atomically without waiting for the log to reach the disk: for work that
     * is redone after a crash anyway (index backfill). A later synced write makes it durable.
     */
    public void writeUnsynced(Batch batch) {
        write(batch, unsyncedWrites);
    }

    private void write(Batch batch, WriteOptions options) {
        requireIoAllowed();
        try (WriteBatch wb = new WriteBatch()) {
            for (Batch.Op op : batch.ops()) {
                if (op.end() != null) wb.deleteRange(handles.get(op.column()), op.key(), op.end());
                else if (op.value() == null) wb.delete(handles.get(op.column()), op.key());
                else wb.put(handles.get(op.column()), op.key(), op.value());
            }
            db.write(options, wb);
        } catch (RocksDBException e) {
            throw new StorageException("batch write failed", e);
        }
    }

    /** A cursor over a consistent snapshot of {@code column}; the caller closes it. */
    public Cursor cursor(Column column) {
        return new Cursor(db.newIterator(handles.get(column), readOptions()));
    }

    /** Visits every entry whose key starts with {@code prefix}, in key order. */
    public void scanPrefix(Column column, byte[] prefix, BiConsumer<byte[], byte[]> visitor) {
        try (RocksIterator it = db.newIterator(handles.get(column), readOptions())) {
            for (it.seek(prefix); it.isValid(); it.next()) {
                byte[] key = it.key();
                if (!startsWith(key, prefix)) break;
                visitor.accept(key, it.value());
            }
            try {
                it.status();
            } catch (RocksDBException e) {
                throw readFailure("scan failed", e);
            }
        }
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** Closes the column families, the database and its options; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            db.syncWal();
        } catch (RocksDBException e) {
            log.warn("final WAL sync failed for {}", dir, e);
        }
        allHandles.forEach(ColumnFamilyHandle::close);
        try {
            db.closeE();
        } catch (RocksDBException e) {
            log.warn("closing RocksDB at {} failed", dir, e);
        }
        syncWrites.close();
        unsyncedWrites.close();
        reads.close();
        cachedReads.close();
        cfOptions.close();
        dbOptions.close();
        log.info("closed store data directory {}", dir);
    }
}
