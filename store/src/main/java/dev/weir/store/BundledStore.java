package dev.weir.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.protocol.model.Operation;
import dev.weir.protocol.sigv4.Credentials;
import dev.weir.store.api.RequestDispatcher;
import dev.weir.store.batch.BatchGetItem;
import dev.weir.store.batch.BatchWriteItem;
import dev.weir.store.engine.KeyLocks;
import dev.weir.store.engine.RocksEngine;
import dev.weir.store.http.RequestSignatures;
import dev.weir.store.http.StoreServer;
import dev.weir.store.index.IndexBackfill;
import dev.weir.store.item.DeleteItem;
import dev.weir.store.item.GetItem;
import dev.weir.store.item.ItemStore;
import dev.weir.store.item.PutItem;
import dev.weir.store.item.StatsRecount;
import dev.weir.store.item.UpdateItem;
import dev.weir.store.query.PageScanner;
import dev.weir.store.query.Query;
import dev.weir.store.query.Scan;
import dev.weir.store.stream.StreamCatalog;
import dev.weir.store.stream.StreamsApi;
import dev.weir.store.table.AccountLimits;
import dev.weir.store.table.CreateTable;
import dev.weir.store.table.DeleteTable;
import dev.weir.store.table.DescribeTable;
import dev.weir.store.table.ListTables;
import dev.weir.store.table.TableCatalog;
import dev.weir.store.table.TableStats;
import dev.weir.store.table.TagResource;
import dev.weir.store.table.TimeToLiveOperations;
import dev.weir.store.table.UpdateTable;
import dev.weir.store.transact.ClientTokens;
import dev.weir.store.transact.TransactGetItems;
import dev.weir.store.transact.TransactWriteItems;
import dev.weir.store.ttl.TtlSweeper;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The bundled DynamoDB-compatible store: RocksDB under a data directory, served over the
 * DynamoDB JSON 1.0 protocol on HTTP. It answers only requests signed (SigV4) with the one
 * key pair it is given, weir's upstream credentials: unlike DynamoDB Local it does not trust
 * its network, so another process that reaches its port reads nothing around the firewall.
 * The DynamoDB Streams API ({@code DynamoDBStreams_20120810.*} targets) is served on the same
 * endpoint, under the same signature check.
 *
 * <pre>{@code
 * try (BundledStore store = BundledStore.open(dir, new Credentials(keyId, secret))) {
 *     InetSocketAddress address = store.listen("127.0.0.1", 8000);
 *     ...
 * }
 * }</pre>
 */
public final class BundledStore implements AutoCloseable {
    private static final int LOCK_STRIPES = 4096;
    /**
     * Writers mostly wait for the log sync; as many as there are clients writing at once can
     * then share one sync (RocksDB's write group), so this is sized by clients, not cores.
     */
    private static final int WRITER_THREADS = 64;

    private final RocksEngine engine;
    private final StoreServer server;
    private final IndexBackfill backfill;
    private final TtlSweeper sweeper;
    private boolean closed;

    private BundledStore(RocksEngine engine, StoreServer server, IndexBackfill backfill, TtlSweeper sweeper) {
        this.engine = engine;
        this.server = server;
        this.backfill = backfill;
        this.sweeper = sweeper;
    }

    /**
     * Opens (or creates) the store's database under {@code dataDir}, answering requests signed
     * with {@code credentials} only; does not listen yet.
     */
    public static BundledStore open(Path dataDir, Credentials credentials) {
        return open(dataDir, StoreOptions.signedBy(credentials));
    }

    /** Opens (or creates) the store's database under {@code dataDir} with {@code options}; does not listen yet. */
    public static BundledStore open(Path dataDir, StoreOptions options) {
        RocksEngine engine = RocksEngine.open(dataDir);
        IndexBackfill backfill = null;
        TtlSweeper sweeper = null;
        try {
            ObjectMapper mapper = dev.weir.protocol.wire.JsonBodies.mapper();
            TableCatalog catalog = TableCatalog.load(engine, mapper);
            TableStats stats = new TableStats();
            KeyLocks locks = new KeyLocks(LOCK_STRIPES);
            Clock clock = options.clock();
            StreamCatalog streams = StreamCatalog.load(engine, mapper, clock, catalog::allocateId, options.streamShards(),
                    options.streamShardLifetime());
            ItemStore items = new ItemStore(engine, locks, catalog, stats, clock, options.itemCollectionSizeLimit(), streams);
            ClientTokens tokens = new ClientTokens(engine);
            backfill = new IndexBackfill(engine, locks, catalog, stats);
            sweeper = new TtlSweeper(engine, catalog, items, () -> {
                tokens.purge(locks, clock.millis());
                streams.trim();
            });
            PageScanner scanner = new PageScanner(engine);
            TagResource tags = new TagResource(catalog);
            TimeToLiveOperations ttl = new TimeToLiveOperations(catalog, clock, options.ttlChangeInterval());
            RequestDispatcher.Builder api = RequestDispatcher.builder(mapper);
            StreamsApi.handlers(streams, mapper).forEach(api::onStreams);
            RequestDispatcher dispatcher = api
                    .on(Operation.CreateTable, new CreateTable(catalog, stats, clock, streams))
                    .on(Operation.DescribeTable, new DescribeTable(catalog, stats))
                    .on(Operation.DeleteTable, new DeleteTable(catalog, stats, streams))
                    .on(Operation.UpdateTable, new UpdateTable(catalog, stats, engine, backfill, clock, streams))
                    .on(Operation.TagResource, tags::tag)
                    .on(Operation.UntagResource, tags::untag)
                    .on(Operation.ListTagsOfResource, tags::list)
                    .on(Operation.UpdateTimeToLive, ttl::update)
                    .on(Operation.DescribeTimeToLive, ttl::describe)
                    .on(Operation.ListTables, new ListTables(catalog))
                    .on(Operation.DescribeLimits, AccountLimits::describe)
                    .on(Operation.PutItem, new PutItem(catalog, items))
                    .on(Operation.GetItem, new GetItem(catalog, items))
                    .on(Operation.UpdateItem, new UpdateItem(catalog, items))
                    .on(Operation.DeleteItem, new DeleteItem(catalog, items))
                    .on(Operation.Query, new Query(catalog, items, scanner))
                    .on(Operation.Scan, new Scan(catalog, items, scanner))
                    .on(Operation.BatchGetItem, new BatchGetItem(catalog, items))
                    .on(Operation.BatchWriteItem, new BatchWriteItem(catalog, items))
                    .on(Operation.TransactGetItems, new TransactGetItems(catalog, items))
                    .on(Operation.TransactWriteItems, new TransactWriteItems(catalog, items, tokens, clock))
                    .build();
            StoreServer server = new StoreServer(dispatcher, new RequestSignatures(options.credentials()), readerThreads(),
                    WRITER_THREADS);
            BundledStore store = new BundledStore(engine, server, backfill, sweeper);
            TtlSweeper s = sweeper;
            sweeper.start(() -> StatsRecount.run(engine, catalog, stats, s::isClosed), options.ttlSweepInterval());
            backfill.resumeAll();
            return store;
        } catch (RuntimeException e) {
            if (sweeper != null) sweeper.close();
            if (backfill != null) backfill.close();
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
            sweeper.close();
            backfill.close();
            engine.close();
        }
    }

    /** Reads use the CPU (and sometimes a file): about one thread per core is enough. */
    private static int readerThreads() {
        return Math.clamp(2L * Runtime.getRuntime().availableProcessors(), 2, 16);
    }
}
