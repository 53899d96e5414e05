package dev.weir.proxy.enforce.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.protocol.wire.JsonBodies;
import dev.weir.proxy.enforce.read.ReadView;

import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * One stream record cut through the caller's read view (docs/streams.md, "Through the
 * firewall"). Keys, OldImage and NewImage are each shown through the view exactly as items of
 * a read are (masks, removed fields); row visibility is decided per image by the view's row
 * filter on that image, and the record is shown as the change the caller can see:
 *
 * <pre>
 *   INSERT  shown iff visible(new)
 *   REMOVE  shown iff visible(old)
 *   MODIFY  both visible → MODIFY; only new → INSERT (no OldImage); only old → REMOVE (no NewImage); neither → dropped
 *           a MODIFY whose two images look the same through the view → dropped (only hidden values changed)
 * </pre>
 *
 * A restricted view reads only NEW_AND_OLD_IMAGES streams ({@link StreamAccess}): with
 * fewer images weir could not tell a visible change from a hidden one. Should one reach this
 * code anyway, an image the stream does not carry is not visible and a MODIFY without both
 * images is dropped: weir shows less rather than guess. A caller without a row filter sees every record
 * as the store wrote it, its images through the field view. The record is built anew from the
 * members named here (anything else the upstream sends is withheld); {@code SizeBytes} is
 * recomputed from what is shown, never the upstream's figure, when the view is restricted.
 *
 * <p>The caller must read every key attribute of the table in clear ({@link StreamAccess}),
 * so {@code Keys} are shown as they are.
 */
public final class RecordCut {
    private static final ObjectMapper JSON = JsonBodies.mapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RecordCut() {}

    /**
     * The record as the caller sees it, or empty when it sees no side of the change.
     *
     * @param record one member of the upstream's {@code Records}
     * @param type   the stream's view type
     */
    public static Optional<ObjectNode> cut(JsonNode record, ReadView view, ViewType type) {
        if (view.isUnrestricted()) return Optional.of(copyOf(record));
        if (view.isEmpty()) return Optional.empty();
        JsonNode ddb = record.get("dynamodb");
        if (ddb == null || !ddb.isObject()) throw new IllegalArgumentException("a stream record without its dynamodb member");
        String event = text(record, "eventName");
        Map<String, AttributeValue> oldImage = image(ddb, "OldImage");
        Map<String, AttributeValue> newImage = image(ddb, "NewImage");
        boolean everyRow = view.rows().isAll();
        boolean visibleOld = everyRow || (type.carriesOld() && oldImage != null && view.admits(oldImage));
        boolean visibleNew = everyRow || (type.carriesNew() && newImage != null && view.admits(newImage));
        String shownEvent;
        boolean showOld, showNew;
        switch (event == null ? "" : event) {
            case "INSERT" -> { shownEvent = visibleNew ? "INSERT" : null; showOld = false; showNew = true; }
            case "REMOVE" -> { shownEvent = visibleOld ? "REMOVE" : null; showOld = true; showNew = false; }
            case "MODIFY" -> {
                shownEvent = visibleOld && visibleNew ? "MODIFY" : visibleNew ? "INSERT" : visibleOld ? "REMOVE" : null;
                showOld = visibleOld;
                showNew = visibleNew;
            }
            default -> throw new IllegalArgumentException("a stream record whose eventName is not INSERT, MODIFY or REMOVE");
        }
        if (shownEvent == null) return Optional.empty();
        Map<String, AttributeValue> shownNew = showNew && newImage != null ? view.show(newImage) : null;
        Map<String, AttributeValue> shownOld = showOld && oldImage != null ? view.show(oldImage) : null;
        // A change the caller cannot see (only hidden fields, or a masked value whose mask shows the same) is no
        // change to it: showing the record would tell it that, and when, a hidden value changed.
        if ("MODIFY".equals(shownEvent) && (shownNew == null || shownOld == null || shownNew.equals(shownOld))) {
            return Optional.empty();
        }
        // Without both images a MODIFY cannot be told from a change of hidden values only (shown as INSERT or
        // REMOVE here, it would tell the same): dropped. StreamAccess refuses such streams to restricted views.
        if ("MODIFY".equals(event) && !(type.carriesOld() && type.carriesNew())) return Optional.empty();

        ObjectNode shownDdb = NODES.objectNode();
        copy(ddb, shownDdb, "ApproximateCreationDateTime");
        long size = 0;
        Map<String, AttributeValue> keys = image(ddb, "Keys");
        if (keys != null) size += put(shownDdb, "Keys", view.show(keys));
        if (shownNew != null) size += put(shownDdb, "NewImage", shownNew);
        if (shownOld != null) size += put(shownDdb, "OldImage", shownOld);
        copy(ddb, shownDdb, "SequenceNumber");
        shownDdb.put("SizeBytes", size);
        copy(ddb, shownDdb, "StreamViewType");

        ObjectNode out = NODES.objectNode();
        copy(record, out, "eventID");
        out.put("eventName", shownEvent);
        copy(record, out, "eventVersion");
        copy(record, out, "eventSource");
        copy(record, out, "awsRegion");
        out.set("dynamodb", shownDdb);
        if (oldImage != null && oldImage.equals(shownOld)) userIdentity(record, out);
        return Optional.of(out);
    }

    /** The record as the store sent it, for a caller whose view is unrestricted (a deep copy: the page is rebuilt). */
    private static ObjectNode copyOf(JsonNode record) {
        if (!(record instanceof ObjectNode o)) throw new IllegalArgumentException("a stream record that is not an object");
        return o.deepCopy();
    }

    private static Map<String, AttributeValue> image(JsonNode ddb, String member) {
        JsonNode n = ddb.get(member);
        return n == null || n.isNull() ? null : AttributeValueJson.item(n, member);
    }

    /** Puts a shown image and returns its size: the bytes of its DynamoDB JSON as shown, a function of what the caller sees. */
    private static long put(ObjectNode ddb, String member, Map<String, AttributeValue> shown) {
        ObjectNode json = AttributeValueJson.toJson(shown);
        ddb.set(member, json);
        try {
            return JSON.writeValueAsBytes(json).length;
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A record's {@code userIdentity}, which DynamoDB writes on a deletion by time to live only
     * ({@code {"Type":"Service","PrincipalId":"dynamodb.amazonaws.com"}}): its two text members
     * and nothing else, so whatever else an upstream might put there never reaches a restricted
     * view; a trigger tells a TTL deletion by it. The caller learns from it that the item's
     * time-to-live attribute held a time now past, so it is shown only when the caller sees the
     * whole old image in clear (the attribute among it): a view that hides or masks any of it
     * gets the REMOVE without the identity, as a deletion by hand reads (docs/threat-model.md).
     */
    private static void userIdentity(JsonNode record, ObjectNode out) {
        JsonNode id = record.get("userIdentity");
        if (id == null || !id.isObject()) return;
        String type = text(id, "Type");
        String principal = text(id, "PrincipalId");
        if (type == null && principal == null) return;
        ObjectNode shown = out.putObject("userIdentity");
        if (principal != null) shown.put("PrincipalId", principal);
        if (type != null) shown.put("Type", type);
    }

    private static void copy(JsonNode from, ObjectNode to, String member) {
        JsonNode v = from.get(member);
        if (v != null && !v.isNull()) to.set(member, v.deepCopy());
    }

    private static String text(JsonNode n, String member) {
        JsonNode v = n.get(member);
        return v != null && v.isTextual() ? v.textValue() : null;
    }
}
