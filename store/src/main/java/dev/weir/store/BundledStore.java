package dev.weir.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.protocol.model.Operation;
import dev.weir.store.api.RequestDispatcher;
import dev.weir.store.engine.KeyLocks;
import dev.weir.store.engine.RocksEngine;
import dev.weir.store.http.StoreServer;
import dev.weir.store.item.GetItem;
import dev.weir.store.item.ItemStore;
import dev.weir.store.item.PutItem;
import dev.weir.store.table.CreateTable;
import dev.weir.store.table.DescribeTable;
import dev.weir.store.table.ListTables;
import dev.weir.store.table.TableCatalog;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The bundled DynamoDB-compatible store: RocksDB under a data directory, served over the
 * DynamoDB JSON 1.0 protocol on HTTP. Signatures are not verified (as with DynamoDB Local);
 * the proxy in front of it does that.
 *
 * <pre>{@code
 * try (BundledStore store = BundledStore.open(dir)) {
 *     InetSocketAddress address = store.listen("127.0.0.1", 8000);
 *     ...
 * }
 * }</pre>
 */
public final class BundledStore implements AutoCloseable {
    private static final int LOCK_STRIPES = 4096;

    private final RocksEngine engine;
    private final StoreServer server;
    private boolean closed;

    private BundledStore(RocksEngine engine, StoreServer server) {
        this.engine = engine;
        this.server = server;
    }

    /** Opens (or creates) the store's database under {@code dataDir}; does not listen yet. */
    public static BundledStore open(Path dataDir) {
        RocksEngine engine = RocksEngine.open(dataDir);
        try {
            ObjectMapper mapper = new ObjectMapper();
            TableCatalog catalog = TableCatalog.load(engine, mapper);
            ItemStore items = new ItemStore(engine, new KeyLocks(LOCK_STRIPES));
            RequestDispatcher dispatcher = RequestDispatcher.builder(mapper)
                    .on(Operation.CreateTable, new CreateTable(catalog, Clock.systemUTC()))
                    .on(Operation.DescribeTable, new DescribeTable(catalog))
                    .on(Operation.ListTables, new ListTables(catalog))
                    .on(Operation.PutItem, new PutItem(catalog, items))
                    .on(Operation.GetItem, new GetItem(catalog, items))
                    .build();
            return new BundledStore(engine, new StoreServer(dispatcher, workerThreads()));
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    /** Starts the HTTP server on {@code host}:{@code port} (0 for any free port); returns the bound address. */
    public InetSocketAddress listen(String host, int port) {
        return server.listen(host, port);
    }

    /** Stops the server (letting running operations finish), then closes the database. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            server.close();
        } finally {
            engine.close();
        }
    }

    /** Enough threads that synced writes of concurrent clients share a group commit, few enough to stay small. */
    private static int workerThreads() {
        return Math.clamp(4L * Runtime.getRuntime().availableProcessors(), 4, 32);
    }
}
