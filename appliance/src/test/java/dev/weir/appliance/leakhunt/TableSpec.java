package dev.weir.appliance.leakhunt;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.model.AttributeValue;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One table of a sequence: hash key {@link Attrs#HASH} (S), an optional range key
 * {@link Attrs#RANGE} (S or N), and its secondary indexes.
 *
 * @param rangeType  "S" or "N", or null without a range key
 * @param streamView the view type of the change stream created with the table (NEW_AND_OLD_IMAGES,
 *                   KEYS_ONLY, NEW_IMAGE or OLD_IMAGE), or null for a table without one
 */
record TableSpec(String name, String rangeType, List<Index> indexes, String streamView) {

    /**
     * A secondary index. An LSI's hash key is the table's; its range key, and a GSI's keys, are
     * ordinary attributes (hidden ones included: that is the ordering test). A GSI may have up to
     * four partition and four sort attributes (multi-attribute keys, issue 19).
     *
     * @param hashKeys   the partition attributes, in key schema order
     * @param rangeKeys  the sort attributes, in key schema order (none, one, or more for a GSI)
     * @param projection ALL, KEYS_ONLY or INCLUDE (then {@code include} lists the attributes)
     */
    record Index(String name, boolean global, List<String> hashKeys, List<String> rangeKeys, String projection, List<String> include) {
        Index {
            hashKeys = List.copyOf(hashKeys);
            rangeKeys = List.copyOf(rangeKeys);
        }

        Set<String> keyAttributes() {
            Set<String> s = new LinkedHashSet<>(hashKeys);
            s.addAll(rangeKeys);
            return s;
        }

        boolean multiAttribute() {
            return hashKeys.size() > 1 || rangeKeys.size() > 1;
        }
    }

    boolean hasRange() {
        return rangeType != null;
    }

    String arn() {
        return "arn:aws:dynamodb:us-east-1:000000000000:table/" + name;
    }

    Index index(String indexName) {
        for (Index i : indexes) if (i.name.equals(indexName)) return i;
        return null;
    }

    /** The table's key attributes. */
    Set<String> keyAttributes() {
        Set<String> s = new LinkedHashSet<>();
        s.add(Attrs.HASH);
        if (hasRange()) s.add(Attrs.RANGE);
        return s;
    }

    /** The primary key of an item (its key attributes), or null when one is missing. */
    Map<String, AttributeValue> keyOf(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> k = new LinkedHashMap<>();
        for (String a : keyAttributes()) {
            AttributeValue v = item.get(a);
            if (v == null) return null;
            k.put(a, v);
        }
        return k;
    }

    static String typeOf(String attribute) {
        if (attribute.equals(Attrs.HASH)) return "S";
        return Attrs.kind(attribute) == Attrs.Kind.N ? "N" : "S";
    }

    String keyType(String attribute) {
        return attribute.equals(Attrs.RANGE) ? rangeType : typeOf(attribute);
    }

    /** The CreateTable request. */
    ObjectNode createRequest() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode req = f.objectNode().put("TableName", name).put("BillingMode", "PAY_PER_REQUEST");
        Set<String> defined = new LinkedHashSet<>(keyAttributes());
        for (Index i : indexes) defined.addAll(i.keyAttributes());
        ArrayNode defs = req.putArray("AttributeDefinitions");
        for (String a : defined) defs.addObject().put("AttributeName", a).put("AttributeType", keyType(a));
        keySchema(req.putArray("KeySchema"), Attrs.HASH, hasRange() ? Attrs.RANGE : null);
        if (streamView != null) req.putObject("StreamSpecification").put("StreamEnabled", true).put("StreamViewType", streamView);
        for (boolean global : new boolean[] {true, false}) {
            ArrayNode list = null;
            for (Index i : indexes) {
                if (i.global != global) continue;
                if (list == null) list = req.putArray(global ? "GlobalSecondaryIndexes" : "LocalSecondaryIndexes");
                ObjectNode n = list.addObject().put("IndexName", i.name);
                ArrayNode schema = n.putArray("KeySchema");
                i.hashKeys.forEach(h -> schema.addObject().put("AttributeName", h).put("KeyType", "HASH"));
                i.rangeKeys.forEach(k -> schema.addObject().put("AttributeName", k).put("KeyType", "RANGE"));
                ObjectNode p = n.putObject("Projection").put("ProjectionType", i.projection);
                if (i.projection.equals("INCLUDE")) {
                    ArrayNode inc = p.putArray("NonKeyAttributes");
                    i.include.forEach(inc::add);
                }
            }
        }
        return req;
    }

    private static void keySchema(ArrayNode schema, String hash, String range) {
        schema.addObject().put("AttributeName", hash).put("KeyType", "HASH");
        if (range != null) schema.addObject().put("AttributeName", range).put("KeyType", "RANGE");
    }
}
