package dev.weir.proxy.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.weir.protocol.model.Operation;
import dev.weir.proxy.upstream.LookupCache;
import dev.weir.proxy.upstream.UpstreamResponse;
import dev.weir.proxy.upstream.WeirCall;

import java.time.Duration;
import java.util.Optional;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;

/**
 * The key schemas and indexes of the upstream's tables. weir reads them itself, with its own
 * credentials (DescribeTable), one lookup per table at a time, and keeps each for
 * {@link #TTL}; weir forgets a table's schema when it forwards a CreateTable, UpdateTable or
 * DeleteTable of it ({@link #invalidate}). A schema changed behind weir's back (by a client
 * of the store that does not go through weir) is seen once the kept one expires.
 *
 * <ul>
 *   <li>A table that does not exist: an empty Optional. It is not kept (a table created next
 *       must be seen at once): the request goes on to the store, which answers
 *       ResourceNotFoundException.</li>
 *   <li>A schema that cannot be read (the upstream is down, it refuses weir's credentials, its
 *       answer is not a table description): the future fails, and the request that needed it
 *       is refused (503). weir never enforces a read on a guessed schema.</li>
 * </ul>
 */
public final class TableSchemas {
    /** How long a schema is used before it is asked again. */
    public static final Duration TTL = Duration.ofSeconds(30);

    private static final Set<Operation> CHANGES = EnumSet.of(Operation.CreateTable, Operation.UpdateTable, Operation.DeleteTable);

    private final BiFunction<String, byte[], CompletableFuture<UpstreamResponse>> upstream;
    private final LookupCache<Optional<TableSchema>> cache;

    /**
     * @param upstream sends one request (X-Amz-Target, body) to the upstream, signed as weir
     * @param ttl      how long a schema is used ({@link #TTL} in production)
     * @param nanos    the clock ({@code System::nanoTime} in production)
     */
    public TableSchemas(BiFunction<String, byte[], CompletableFuture<UpstreamResponse>> upstream, Duration ttl,
                        LongSupplier nanos) {
        this.upstream = upstream;
        this.cache = new LookupCache<>(this::describe, ttl, nanos, Optional::isPresent);
    }

    /** The table's schema, or empty when it does not exist; fails when it cannot be read. */
    public CompletableFuture<Optional<TableSchema>> of(String table) {
        return cache.get(table);
    }

    /**
     * Forgets the table's schema (weir forwarded a CreateTable, UpdateTable or DeleteTable of it).
     * A request without a table name (the store refuses it) names no schema to forget.
     */
    public void invalidate(String table) {
        if (table == null) return;
        cache.invalidate(table);
    }

    /** Whether an operation changes a table's schema: weir calls {@link #invalidate} when it forwards one. */
    public static boolean changesSchema(Operation op) {
        return CHANGES.contains(op);
    }

    private CompletableFuture<Optional<TableSchema>> describe(String table) {
        return WeirCall.send(upstream, Operation.DescribeTable, JsonNodeFactory.instance.objectNode().put("TableName", table))
                .thenApply(r -> {
                    if (WeirCall.notFound(r)) return Optional.empty();
                    JsonNode description = WeirCall.ok(r, "DescribeTable").path("Table");
                    TableSchema schema = TableSchema.fromDescription(description);
                    if (!schema.table().equals(table)) {
                        throw new IllegalStateException("DescribeTable of " + table + " described " + schema.table());
                    }
                    return Optional.of(schema);
                });
    }
}
