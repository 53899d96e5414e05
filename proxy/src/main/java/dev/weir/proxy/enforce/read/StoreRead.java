package dev.weir.proxy.enforce.read;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.policy.predicate.Residual;
import dev.weir.policy.predicate.Unexpressible;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.policy.decision.RowFilter;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.expr.KeyCondition;
import dev.weir.protocol.expr.KeyConditions;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.RangeCondition;
import dev.weir.protocol.expr.ast.ConditionExpr;
import dev.weir.protocol.expr.parse.ExpressionParser;
import dev.weir.protocol.expr.render.ExpressionWriter;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.protocol.model.Operation;
import dev.weir.protocol.wire.JsonBodies;
import dev.weir.protocol.wire.Utf8;
import dev.weir.proxy.schema.TableSchema;
import dev.weir.proxy.upstream.UpstreamResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The Query or Scan weir sends to the store to page a client's read itself ({@link Pager}):
 * built from the parsed request, never from the client's text. It asks for the client's table
 * or index, key condition, direction, consistency and segment, and for whole items: without
 * the client's filter, projection, Select COUNT or capacity flags, which weir applies (or
 * withholds) itself; {@code ExclusiveStartKey} and {@code Limit} are set per read.
 *
 * <p>The caller's row filter goes along as the store's FilterExpression when it has an exact
 * store form ({@link Residual}), so that most hidden rows stay in the store; weir still judges
 * every row the store returns, so the pages are the same with or without it. Not pushed down:
 * a filter with no exact form, one over DynamoDB's expression limits (4 KB, 300 operators), and on a
 * Query one that reads a key attribute of the table or index (a Query's FilterExpression may
 * not name its key attributes). All expressions are written by one {@link ExpressionWriter},
 * so the names and values sent are exactly those the texts use.
 */
public final class StoreRead {
    /** DynamoDB's limit on the length of an expression. */
    static final int MAX_EXPRESSION_BYTES = 4096;
    /** Reads answers whose member names are attribute names clients wrote: keeps none of them between parses. */
    private static final ObjectMapper JSON = JsonBodies.mapper();

    private final Operation op;
    private final ObjectNode template;
    private final boolean rowFilterPushed;
    private final boolean admitsNone;

    private StoreRead(Operation op, ObjectNode template, boolean rowFilterPushed, boolean admitsNone) {
        this.op = op;
        this.template = template;
        this.rowFilterPushed = rowFilterPushed;
        this.admitsNone = admitsNone;
    }

    /**
     * The store read for a client's read of {@code table} by a caller with {@code view}.
     *
     * @param schema the table's keys and indexes (the client's index is known to exist)
     */
    public static StoreRead of(ClientRead read, String table, TableSchema schema, ReadView view) {
        Map<String, Optional<AttributeValue>> fixed = fixedByKeyCondition(read, schema);
        Residual rows = fixed == null ? null : rowsOfThisRead(view, fixed);
        ConditionExpr pushed = pushable(read, schema, view, rows, fixed);
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("TableName", Objects.requireNonNull(table));
        if (read.index() != null) body.put("IndexName", read.index());
        ExpressionWriter writer = new ExpressionWriter();
        String key = read.keyCondition() == null ? null : writer.condition(read.keyCondition().expression());
        String filter = null;
        if (pushed != null) {
            try {
                filter = writer.condition(pushed);
            } catch (IllegalArgumentException noText) {
                filter = null;
            }
            if (filter != null && (filter.getBytes(StandardCharsets.UTF_8).length > MAX_EXPRESSION_BYTES
                    || !ExpressionParser.conditionWithinLimits(filter))) {
                writer = new ExpressionWriter();
                key = read.keyCondition() == null ? null : writer.condition(read.keyCondition().expression());
                filter = null;
            }
        }
        if (key != null) body.put("KeyConditionExpression", key);
        if (filter != null) body.put("FilterExpression", filter);
        if (!writer.names().isEmpty()) {
            ObjectNode names = body.putObject("ExpressionAttributeNames");
            writer.names().forEach(names::put);
        }
        if (!writer.values().isEmpty()) {
            ObjectNode values = body.putObject("ExpressionAttributeValues");
            writer.values().forEach((k, v) -> values.set(k, AttributeValueJson.toJson(v)));
        }
        body.setAll(read.passed());
        String select = select(read, schema);
        if (select != null) body.put("Select", select);
        return new StoreRead(read.op(), body, filter != null, Residual.FALSE.equals(rows));
    }

    /** The operation sent (the client's). */
    public Operation operation() {
        return op;
    }

    /** Whether the caller's row filter went to the store as its FilterExpression. */
    public boolean rowFilterPushed() {
        return rowFilterPushed;
    }

    /**
     * Whether the caller's view admits no row this read can return: a Query whose key condition
     * fixes a key attribute the row filter decides on to a value no row the caller sees has
     * (the analyst of region {@code eu} querying the region index for {@code us}). The caller's
     * answer is then the empty page whatever the store holds; weir still sends one read (of one
     * item), so that a read the store refuses is refused as the store refuses it.
     */
    public boolean admitsNone() {
        return admitsNone;
    }

    /** The request without ExclusiveStartKey and Limit (a copy). */
    public ObjectNode template() {
        return template.deepCopy();
    }

    /** The body of one store read: start after {@code start} (null: at the beginning), at most {@code limit} items (null: the store's page). */
    public byte[] page(Map<String, AttributeValue> start, Integer limit) {
        ObjectNode body = template.deepCopy();
        if (start != null) body.set("ExclusiveStartKey", AttributeValueJson.toJson(start));
        if (limit != null) body.put("Limit", limit);
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The store's answer to one read as a {@link StorePage}: scanned at the byte level
     * ({@link ScannedPage}), so that the {@link Pager} decodes only what the caller's view
     * needs; a page the scan declines or cannot read is read in one pass over the bytes,
     * straight into attribute values ({@link AttributeValueJson#item(JsonParser, String)}),
     * without a tree. Only {@code Items} and {@code LastEvaluatedKey} are read; the other
     * members are checked to be JSON and passed over. The result is always that of
     * {@link #parseTree}: when the pass finds anything amiss (bad JSON, a refused value, a
     * member twice, no Items), the answer is read again by {@link #parseTree}, which gives the
     * page or the error as it always has; so only a correct page is read the fast way.
     *
     * @throws StoreError when the store answered an error (the caller gets it as the store gave it)
     * @throws UncheckedIOException when the answer is not a readable page
     */
    public static StorePage parse(UpstreamResponse response) {
        if (response.status() != 200) throw new StoreError(response);
        try {
            ScannedPage scanned = ScannedPage.scan(response.body());
            if (scanned != null) return StorePage.of(scanned);
        } catch (IOException | RuntimeException amiss) {
            // read again below, item by item, and by the tree if need be
        }
        try {
            StorePage page = stream(response.body());
            if (page != null) return page;
        } catch (IOException | RuntimeException amiss) {
            // the tree path below reports it, exactly as it always has
        }
        return parseTree(response);
    }

    /**
     * The store's answer read into the item model, in one pass and by the tree when that
     * declines: {@link #parse} as it was before the byte-level scan, which {@link #parse} agrees
     * with. For tests and the benchmark's baseline.
     */
    public static StorePage parseDecoded(UpstreamResponse response) {
        if (response.status() != 200) throw new StoreError(response);
        try {
            StorePage page = stream(response.body());
            if (page != null) return page;
        } catch (IOException | RuntimeException amiss) {
            // the tree path below reports it
        }
        return parseTree(response);
    }

    /**
     * The page read in one pass; null when it is not a plain page (the tree path then decides).
     * Bytes that are not strict UTF-8 go to the tree path: its reader-based parser puts U+FFFD
     * for some malformed bytes that the byte parser would decode ({@link Utf8}).
     */
    static StorePage stream(byte[] body) throws IOException {
        if (!Utf8.isStrict(body)) return null;
        try (JsonParser p = JsonBodies.byteParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return null;
            List<Map<String, AttributeValue>> items = null;
            Map<String, AttributeValue> last = null;
            boolean sawLast = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "Items" -> {
                        if (items != null || value != JsonToken.START_ARRAY) return null;
                        items = new ArrayList<>();
                        while (p.nextToken() != JsonToken.END_ARRAY) items.add(AttributeValueJson.item(p, "Items"));
                    }
                    case "LastEvaluatedKey" -> {
                        if (sawLast) return null;
                        sawLast = true;
                        last = value == JsonToken.VALUE_NULL ? null : AttributeValueJson.item(p, "LastEvaluatedKey");
                    }
                    default -> p.skipChildren();
                }
            }
            return items == null ? null : new StorePage(items, last);
        }
    }

    /**
     * The store's answer read through a JSON tree: the reference reading, which {@link #parse}
     * agrees with and falls back to. For tests and the benchmark's baseline.
     */
    public static StorePage parseTree(UpstreamResponse response) {
        if (response.status() != 200) throw new StoreError(response);
        JsonNode answer;
        try {
            answer = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("an unreadable page from the store", e);
        }
        JsonNode items = answer == null ? null : answer.get("Items");
        if (items == null || !items.isArray()) throw new UncheckedIOException(new IOException("a page from the store without Items"));
        List<Map<String, AttributeValue>> out = new ArrayList<>(items.size());
        for (JsonNode item : items) out.add(AttributeValueJson.item(item, "Items"));
        JsonNode last = answer.get("LastEvaluatedKey");
        return new StorePage(out, last == null || last.isNull() ? null : AttributeValueJson.item(last, "LastEvaluatedKey"));
    }

    /**
     * The key attributes every row a Query can return has, with their values: each partition
     * attribute's, and each sort attribute's the key condition gives by equality (with a
     * multi-attribute sort key, the leading ones, and the last given when it is an equality). Empty for a Scan; null
     * for a key condition the store will refuse (nothing is decided on it).
     */
    private static Map<String, Optional<AttributeValue>> fixedByKeyCondition(ClientRead read, TableSchema schema) {
        if (read.op() != Operation.Query || read.keyCondition() == null) return Map.of();
        List<String> partition = schema.partitionKeys(read.index());
        List<String> sort = schema.sortKeys(read.index());
        try {
            KeyCondition key = KeyConditions.analyze(read.keyCondition(), partition, sort);
            Map<String, Optional<AttributeValue>> fixed = new HashMap<>();
            for (int i = 0; i < partition.size(); i++) fixed.put(partition.get(i), Optional.of(key.hashValues().get(i)));
            for (int i = 0; i < key.sort().size(); i++) {
                if (key.sort().get(i) instanceof RangeCondition.Eq eq) fixed.put(sort.get(i), Optional.of(eq.value()));
            }
            return fixed;
        } catch (DynamoException refusedByTheStore) {
            return null;
        }
    }

    /**
     * The caller's row filter as far as this read decides it, with the attributes the key
     * condition fixes put in: exact on every row that has those values
     * ({@link Residual#of(RowFilter, DecisionRequest, Map)}), so on every row the read can
     * return. Null when it has no exact form or there is nothing to decide (an empty or
     * unrestricted view).
     */
    private static Residual rowsOfThisRead(ReadView view, Map<String, Optional<AttributeValue>> fixed) {
        if (view.isEmpty() || view.rows().isAll()) return null;
        try {
            return Residual.of(view.rows(), view.request(), fixed);
        } catch (Unexpressible e) {
            return null;
        }
    }

    /**
     * The caller's row filter as an exact store condition, or null when it is not pushed down:
     * when it is decided without the stored item, has no exact form, or (on a Query) still reads
     * a key attribute of the table or index, which a Query's FilterExpression may not name. The
     * residual reads what the filter reads, less the attributes the key condition fixed.
     */
    private static ConditionExpr pushable(ClientRead read, TableSchema schema, ReadView view, Residual rows,
                                          Map<String, Optional<AttributeValue>> fixed) {
        if (!(rows instanceof Residual.Tree tree)) return null;
        if (read.op() == Operation.Query) {
            List<String> keys = schema.keyAttributes(read.index());
            for (Path p : view.rows().itemPaths()) {
                if (keys.contains(p.attribute()) && !fixed.containsKey(p.attribute())) return null;
            }
        }
        return tree.condition();
    }

    /**
     * The Select sent besides the client's own ALL_ATTRIBUTES or ALL_PROJECTED_ATTRIBUTES
     * (passed as given): ALL_ATTRIBUTES on a local secondary index that does not project what the client's
     * projection or filter reads (the store would fetch those from the table, as DynamoDB
     * does, were it sent them); none otherwise (the store's default).
     */
    private static String select(ClientRead read, TableSchema schema) {
        if (read.passed().has("Select") || read.index() == null) return null;
        TableSchema.Index index = schema.index(read.index()).orElseThrow();
        if (index.kind() != TableSchema.Kind.LOCAL || index.projection() == TableSchema.ProjectionType.ALL) return null;
        List<Path> reads = new ArrayList<>();
        if (read.projection() != null) reads.addAll(read.projection().paths());
        if (read.filter() != null) reads.addAll(read.filter().paths());
        for (Path p : reads) if (!schema.projects(read.index(), p.attribute())) return Select.ALL_ATTRIBUTES.name();
        return null;
    }

    /** The store answered one of weir's reads with an error; the caller gets that answer as it is. */
    public static final class StoreError extends RuntimeException {
        private final transient UpstreamResponse response;

        public StoreError(UpstreamResponse response) {
            super("the store answered " + response.status(), null, false, false);
            this.response = response;
        }

        public UpstreamResponse response() {
            return response;
        }
    }
}
