package dev.weir.proxy.enforce.read;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.protocol.wire.JsonBodies;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * One page of a Query or Scan as weir answers it to a caller whose view is restricted, every
 * part of it a function of the caller's view: the items as shown (and projected), Count (items
 * returned), ScannedCount (visible items evaluated) and LastEvaluatedKey (the key of the last
 * visible item evaluated, or null). No ConsumedCapacity: it would count hidden rows.
 *
 * @param items   null for {@link Select#COUNT}, which returns the counts only
 * @param hidden  how many stored items the view did not admit while the page was built: for
 *                weir's audit only, never part of the answer
 * @param written the whole answer, {@link #toBytes}, as the {@link Pager} wrote it while it took
 *                the items (each exactly as {@link AttributeValueJson#write} writes it) and then
 *                the counts ({@link #finished}), so that nothing is written or copied again;
 *                null: written from {@code items}. Not to be changed: {@link #toBytes} returns it.
 */
public record Page(List<Map<String, AttributeValue>> items, int count, int scannedCount,
                   Map<String, AttributeValue> lastEvaluatedKey, int hidden, byte[] written) {
    /** Reads answers whose member names are attribute names clients wrote: keeps none of them between parses. */
    private static final ObjectMapper JSON = JsonBodies.mapper();

    public Page {
        items = items == null ? null : List.copyOf(items);
        lastEvaluatedKey = lastEvaluatedKey == null ? null : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(lastEvaluatedKey));
        if (items == null) written = null;
    }

    /** A page whose items are written from {@link #items} when its bytes are asked for. */
    public Page(List<Map<String, AttributeValue>> items, int count, int scannedCount, Map<String, AttributeValue> lastEvaluatedKey,
                int hidden) {
        this(items, count, scannedCount, lastEvaluatedKey, hidden, null);
    }

    /** A page built without counting hidden items. */
    public Page(List<Map<String, AttributeValue>> items, int count, int scannedCount, Map<String, AttributeValue> lastEvaluatedKey) {
        this(items, count, scannedCount, lastEvaluatedKey, 0, null);
    }

    /** The response body, in DynamoDB's shape: {@code {"Items":[...],"Count":n,"ScannedCount":m,"LastEvaluatedKey":{...}}}. */
    public ObjectNode toJson() {
        ObjectNode out = JSON.createObjectNode();
        if (items != null) {
            ArrayNode a = out.putArray("Items");
            for (Map<String, AttributeValue> item : items) a.add(AttributeValueJson.toJson(item));
        }
        out.put("Count", count);
        out.put("ScannedCount", scannedCount);
        if (lastEvaluatedKey != null) {
            out.set("LastEvaluatedKey", AttributeValueJson.toJson(lastEvaluatedKey));
        }
        return out;
    }

    /**
     * The page whose items {@code written} holds as the pager wrote them (after
     * {@link ItemsWriter#keeping}'s {@code {"Items":[}): the counts and key are written after
     * them into the same buffer, and the answer taken from it once.
     */
    static Page finished(List<Map<String, AttributeValue>> items, int count, int scannedCount,
                         Map<String, AttributeValue> lastEvaluatedKey, int hidden, ItemsWriter written) {
        Page page = new Page(items, count, scannedCount, lastEvaluatedKey, hidden, null);
        if (written == null || page.items == null) return page;
        return new Page(page.items, count, scannedCount, page.lastEvaluatedKey, hidden, written.answer(page.rest()));
    }

    /**
     * {@link #toJson()} as UTF-8 bytes, written item by item without the tree; the answer as the
     * pager {@link #written wrote} it when it did (the same array each time: not to be changed).
     */
    public byte[] toBytes() {
        if (written != null) return written;
        ByteArrayBuilder out = new ByteArrayBuilder(500);
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            if (items != null) {
                g.writeArrayFieldStart("Items");
                for (Map<String, AttributeValue> item : items) AttributeValueJson.write(g, item);
                g.writeEndArray();
            }
            writeCounts(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** {@code "Count":n,"ScannedCount":m[,"LastEvaluatedKey":{...}]}, the members after the items. */
    private void writeCounts(JsonGenerator g) throws IOException {
        g.writeNumberField("Count", count);
        g.writeNumberField("ScannedCount", scannedCount);
        if (lastEvaluatedKey != null) {
            g.writeFieldName("LastEvaluatedKey");
            AttributeValueJson.write(g, lastEvaluatedKey);
        }
    }

    /** What follows the items in {@link #toBytes}: {@code ,"Count":n,"ScannedCount":m[,"LastEvaluatedKey":{...}]}}. */
    private byte[] rest() {
        ByteArrayBuilder out = new ByteArrayBuilder(200);
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            writeCounts(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] object = out.toByteArray();
        object[0] = ','; // the object's '{' becomes the comma after the items
        return object;
    }
}
