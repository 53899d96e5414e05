package dev.weir.store.stream;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.store.value.ItemSize;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Change records exactly as DynamoDB Streams writes them: eventName from the prior image (a
 * put over an existing item is MODIFY), Keys always, NewImage and OldImage as the view type
 * says, a random eventID (never a counter), and for a deletion by time to live the service's
 * userIdentity.
 */
public final class ChangeRecords {
    static final String REGION = "us-east-1";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ChangeRecords() {}

    /** Whether a write from {@code old} to {@code next} changes nothing (then it has no record). */
    public static boolean unchanged(Map<String, AttributeValue> old, Map<String, AttributeValue> next) {
        if (old == null || next == null) return old == next;
        if (old.size() != next.size()) return false;
        for (Map.Entry<String, AttributeValue> e : old.entrySet()) {
            if (!same(e.getValue(), next.get(e.getKey()))) return false;
        }
        return true;
    }

    /** Value equality with sets compared as sets (their order is not part of the value). */
    private static boolean same(AttributeValue a, AttributeValue b) {
        if (a == null || b == null) return a == b;
        return switch (a) {
            case AttributeValue.SS s when b instanceof AttributeValue.SS t -> new HashSet<>(s.value()).equals(new HashSet<>(t.value()));
            case AttributeValue.NS s when b instanceof AttributeValue.NS t -> new HashSet<>(s.value()).equals(new HashSet<>(t.value()));
            case AttributeValue.BS s when b instanceof AttributeValue.BS t -> new HashSet<>(s.value()).equals(new HashSet<>(t.value()));
            case AttributeValue.M m when b instanceof AttributeValue.M n -> unchanged(m.value(), n.value());
            case AttributeValue.L l when b instanceof AttributeValue.L k -> {
                if (l.value().size() != k.value().size()) yield false;
                for (int i = 0; i < l.value().size(); i++) if (!same(l.value().get(i), k.value().get(i))) yield false;
                yield true;
            }
            default -> Objects.equals(a, b);
        };
    }

    /** The record of one change; {@code byService} marks a deletion by time to live. */
    static ObjectNode of(StreamViewType view, Map<String, AttributeValue> keys, Map<String, AttributeValue> old,
                         Map<String, AttributeValue> next, long seq, long nowMillis, boolean byService) {
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        ObjectNode r = NODES.objectNode();
        r.put("eventID", HexFormat.of().formatHex(id));
        r.put("eventName", old == null ? "INSERT" : next == null ? "REMOVE" : "MODIFY");
        r.put("eventVersion", "1.1");
        r.put("eventSource", "aws:dynamodb");
        r.put("awsRegion", REGION);
        ObjectNode d = r.putObject("dynamodb");
        d.put("ApproximateCreationDateTime", nowMillis / 1000);
        d.set("Keys", AttributeValueJson.toJson(keys));
        long size = ItemSize.of(keys);
        if (next != null && view.hasNewImage()) {
            d.set("NewImage", AttributeValueJson.toJson(next));
            size += ItemSize.of(next);
        }
        if (old != null && view.hasOldImage()) {
            d.set("OldImage", AttributeValueJson.toJson(old));
            size += ItemSize.of(old);
        }
        d.put("SequenceNumber", SequenceNumbers.format(seq));
        d.put("SizeBytes", size);
        d.put("StreamViewType", view.name());
        if (byService) r.putObject("userIdentity").put("PrincipalId", "dynamodb.amazonaws.com").put("Type", "Service");
        return r;
    }

    static final List<String> EVENT_NAMES = List.of("INSERT", "MODIFY", "REMOVE");
}
