package dev.weir.proxy.enforce.read;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.Projection;
import dev.weir.protocol.expr.eval.Projector;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueBytes;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.protocol.model.Operation;
import dev.weir.protocol.wire.JsonBodies;
import dev.weir.protocol.wire.Utf8;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The answer of a GetItem, BatchGetItem or TransactGetItems as a caller whose view of some
 * table is restricted may see it, built member by member from the {@link ResponsePlan}: every
 * item goes through its table's {@link ReadView} (a row the view does not admit is left out; a
 * TransactGetItems entry then stays, empty, so positions still match the request), then
 * through the client's projection, applied to the item as the view shows it (weir read it
 * whole). Metadata is kept only when it may be reported; unknown members are withheld.
 */
public final class ReadAnswer {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ReadAnswer() {}

    /**
     * How the items of one table (or one requested item) are shown.
     *
     * @param projection the client's projection, which weir applies after the view (null: whole items as shown)
     * @param keys       for BatchGetItem, the table's Keys as the client gave them: its items are answered in
     *                   that order, whatever order the store (or weir's rounds of reads) gave them in; else empty
     */
    public record Shape(ReadView view, Projection projection, List<Map<String, AttributeValue>> keys) {
        public Shape {
            Objects.requireNonNull(view, "view");
            keys = List.copyOf(keys);
        }

        public Shape(ReadView view, Projection projection) {
            this(view, projection, List.of());
        }

        /** The stored item as shown, or null when the view does not admit it. */
        public Map<String, AttributeValue> show(Map<String, AttributeValue> stored) {
            if (!view.admits(stored)) return null;
            Map<String, AttributeValue> shown = view.show(stored);
            return projection == null ? shown : projection.apply(shown);
        }

        /** Where a stored item's key stands among {@link #keys} (their size when it matches none). */
        int position(Map<String, AttributeValue> stored) {
            for (int i = 0; i < keys.size(); i++) {
                boolean match = true;
                for (Map.Entry<String, AttributeValue> k : keys.get(i).entrySet()) {
                    if (!k.getValue().equals(stored.get(k.getKey()))) {
                        match = false;
                        break;
                    }
                }
                if (match) return i;
            }
            return keys.size();
        }
    }

    /** The answer shown, and how many items the views kept and left out. */
    public record Shown(ObjectNode body, int kept, int dropped) {}

    /** The answer shown as the bytes to send, and how many items the views kept and left out. */
    public record ShownBytes(byte[] body, int kept, int dropped) {}

    private static final ResponsePlan GET_ITEM = ResponsePlan.of(Operation.GetItem);
    private static final byte[] EMPTY = {'{', '}'};

    private static final byte[] ITEM_OPEN = "{\"Item\":".getBytes(StandardCharsets.US_ASCII);

    /**
     * A GetItem answer shown through its one shape, on its bytes: the answer scanned as a page
     * of one item ({@link ScannedPage#scanGetItem}), the row filter decided on the members it
     * reads, and the item written from the answer's bytes as the view shows it
     * ({@link ShowPlan}, as a page's items are: members shown as stored copied, masks and
     * nested removals done on the bytes), then cut to a projection of top-level attributes;
     * a projection of nested paths is applied to the item decoded. The same bytes and counts
     * as {@link #showGetItemDecoded}, which reads every answer this one does not take (not
     * plain, or a value it cannot read: that path then answers, declines or refuses exactly
     * as it always has); an item whose member names hold an escape or repeat is decoded whole,
     * as that path decodes it. Null when the answer is not a plain one (the caller's tree
     * path then decides); a malformed item throws.
     */
    public static ShownBytes showGetItem(byte[] answer, Shape shape) throws IOException {
        ScannedPage page;
        try {
            page = ScannedPage.scanGetItem(answer);
        } catch (IOException | RuntimeException notPlain) {
            page = null; // read again below, where it is refused (or declined) as it always was
        }
        if (page == null) return showGetItemDecoded(answer, shape);
        if (page.size() == 0) return new ShownBytes(EMPTY.clone(), 0, 0);
        if (page.isWhole(0)) return written(shape.show(page.item(0)), answer.length);
        ReadView view = shape.view();
        ShowPlan plan = ShowPlan.forItem(view);
        try {
            if (!view.admits(plan.known(page, 0))) return new ShownBytes(EMPTY.clone(), 0, 1);
            AttributeValueBytes out = new AttributeValueBytes(Math.max(64, answer.length + 16));
            out.raw(ITEM_OPEN, 0, ITEM_OPEN.length);
            Projection projection = shape.projection();
            if (projection == null) {
                plan.write(out, page, 0);
            } else {
                byte[][] names = topLevel(projection);
                if (names != null) plan.writeProjected(out, page, 0, names);
                else out.item(projection.apply(view.show(page.item(0))));
            }
            out.writeByte('}');
            return new ShownBytes(out.toByteArray(), 1, 0);
        } finally {
            plan.done();
        }
    }

    /**
     * The attributes a {@link Projector} keeps when each of its paths is one top-level
     * attribute (kept whole), as UTF-8, distinct, in the order it writes them; null for any
     * other projection.
     */
    private static byte[][] topLevel(Projection projection) {
        if (!(projection instanceof Projector)) return null;
        List<Path> paths = projection.paths();
        List<String> names = new ArrayList<>(paths.size());
        for (Path p : paths) {
            if (!p.isTopLevel()) return null;
            if (!names.contains(p.attribute())) names.add(p.attribute());
        }
        byte[][] out = new byte[names.size()][];
        for (int i = 0; i < out.length; i++) out[i] = names.get(i).getBytes(StandardCharsets.UTF_8);
        return out;
    }

    /** {@code {"Item":shown}}, or {@code {}} when the view did not admit the item (null). */
    private static ShownBytes written(Map<String, AttributeValue> shown, int capacity) {
        if (shown == null) return new ShownBytes(EMPTY.clone(), 0, 1);
        AttributeValueBytes out = new AttributeValueBytes(Math.max(64, capacity + 16));
        out.raw(ITEM_OPEN, 0, ITEM_OPEN.length);
        out.item(shown);
        out.writeByte('}');
        return new ShownBytes(out.toByteArray(), 1, 0);
    }

    /**
     * A GetItem answer shown through its one shape, read with Jackson's streaming parser into
     * the item model and written without a tree (the path before {@link #showGetItem} worked
     * on the bytes, which falls back to it; public for the benchmark that compares the two,
     * and GetItemBytesTest): the bytes Jackson writes for {@link #show}'s
     * answer to the same text, which has
     * at most the shown {@code Item} (capacity figures are not reported to a restricted caller,
     * and every other member is withheld, whatever it holds or how often). Null when the answer is
     * not a plain one (not strict UTF-8, an {@code Item} twice or not an object, a member of an
     * unexpected kind, anything after the answer): the tree path then gives the answer or the refusal, exactly
     * as it always has. A malformed item throws as the tree path would.
     */
    public static ShownBytes showGetItemDecoded(byte[] answer, Shape shape) throws IOException {
        if (!Utf8.isStrict(answer)) return null;
        Map<String, AttributeValue> stored = null;
        boolean sawItem = false;
        try (JsonParser p = JsonBodies.byteParser(answer)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (GET_ITEM.role(name)) {
                    case ITEM -> {
                        // Only the Item's last copy counts in a tree: a second one is left to the tree path.
                        if (sawItem || value != JsonToken.START_OBJECT) return null;
                        sawItem = true;
                        stored = AttributeValueJson.item(p, "Item");
                    }
                    case METADATA, WITHHELD -> p.skipChildren();
                    default -> {
                        return null;
                    }
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) return null;
        }
        if (!sawItem) return new ShownBytes(EMPTY.clone(), 0, 0);
        return written(shape.show(stored), answer.length);
    }

    /**
     * @param op       GetItem, BatchGetItem or TransactGetItems
     * @param answer   the store's 200 answer (BatchGetItem: every round merged, no keys left unprocessed)
     * @param tables   BatchGetItem: each table's shape, by the table's name in the answer
     * @param entries  GetItem: one shape; TransactGetItems: one per requested item, in order
     * @param metadata whether capacity figures may be reported ({@link Metadata#mayReport})
     * @throws IllegalStateException when the answer does not fit the request (weir then withholds it)
     */
    public static Shown show(Operation op, JsonNode answer, Map<String, Shape> tables, List<Shape> entries, boolean metadata) {
        if (op == Operation.Query || op == Operation.Scan) throw new IllegalArgumentException(op + " is paged by weir");
        ResponsePlan plan = ResponsePlan.of(op);
        if (!(answer instanceof ObjectNode in)) throw new IllegalStateException("an answer that is not an object");
        ObjectNode out = NODES.objectNode();
        int[] counts = new int[2];
        for (Map.Entry<String, JsonNode> member : in.properties()) {
            JsonNode value = member.getValue();
            switch (plan.role(member.getKey())) {
                case ITEM -> {
                    Map<String, AttributeValue> shown = entries.getFirst().show(item(value));
                    count(counts, shown);
                    if (shown != null) out.set(member.getKey(), AttributeValueJson.toJson(shown));
                }
                case ITEMS_BY_TABLE -> out.set(member.getKey(), byTable(value, tables, counts));
                case ENTRIES -> out.set(member.getKey(), entries(value, entries, counts));
                case KEYS_BY_TABLE -> {
                    if (!value.isObject() || !value.isEmpty()) {
                        throw new IllegalStateException("keys left unprocessed would depend on the sizes of hidden items");
                    }
                    out.set(member.getKey(), NODES.objectNode());
                }
                case METADATA -> {
                    if (metadata) out.set(member.getKey(), value);
                }
                case ITEMS, KEY, COUNT -> throw new IllegalStateException(member.getKey() + " in a " + op + " answer");
                case WITHHELD -> { }
            }
        }
        return new Shown(out, counts[0], counts[1]);
    }

    private static ObjectNode byTable(JsonNode value, Map<String, Shape> tables, int[] counts) {
        if (!value.isObject()) throw new IllegalStateException("Responses is not a map of tables");
        ObjectNode out = NODES.objectNode();
        for (Map.Entry<String, JsonNode> table : value.properties()) {
            Shape shape = tables.get(table.getKey());
            if (shape == null) throw new IllegalStateException("the store answered for a table the request did not name");
            if (!table.getValue().isArray()) throw new IllegalStateException("a table's items are not a list");
            List<Map<String, AttributeValue>> stored = new ArrayList<>();
            for (JsonNode item : table.getValue()) stored.add(item(item));
            if (!shape.keys().isEmpty()) {
                List<Map<String, AttributeValue>> ordered = new ArrayList<>(stored);
                ordered.sort(java.util.Comparator.comparingInt(shape::position));
                stored = ordered;
            }
            ArrayNode items = out.putArray(table.getKey());
            for (Map<String, AttributeValue> item : stored) {
                Map<String, AttributeValue> shown = shape.show(item);
                count(counts, shown);
                if (shown != null) items.add(AttributeValueJson.toJson(shown));
            }
        }
        return out;
    }

    private static ArrayNode entries(JsonNode value, List<Shape> shapes, int[] counts) {
        if (!value.isArray()) throw new IllegalStateException("Responses is not a list");
        if (value.size() > shapes.size()) throw new IllegalStateException("more responses than requested items");
        ArrayNode out = NODES.arrayNode();
        for (int i = 0; i < value.size(); i++) {
            ObjectNode entry = out.addObject();
            JsonNode stored = value.get(i).get("Item");
            if (stored == null || stored.isNull()) continue;
            Map<String, AttributeValue> shown = shapes.get(i).show(item(stored));
            count(counts, shown);
            if (shown != null) entry.set("Item", AttributeValueJson.toJson(shown));
        }
        return out;
    }

    private static Map<String, AttributeValue> item(JsonNode node) {
        if (node == null || !node.isObject()) throw new IllegalStateException("an item that is not an object");
        return AttributeValueJson.item(node, "Item");
    }

    private static void count(int[] counts, Map<String, AttributeValue> shown) {
        counts[shown == null ? 1 : 0]++;
    }
}
