package dev.weir.protocol.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.error.DynamoError;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.value.DynamoNumber;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts attribute values and items between DynamoDB JSON and {@link AttributeValue}.
 *
 * <p>Reading checks what DynamoDB checks of every value as it enters, each in time linear in
 * its size: numbers (also in number sets) against DynamoDB's limits by {@link DynamoNumber#check},
 * before anything parses them, and attribute names (of items and maps) against DynamoDB's
 * 64 KB. Weir's request parser and the bundled store both read through here, so neither
 * spends more than a scan on a value that DynamoDB would refuse.
 */
public final class AttributeValueJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** DynamoDB's longest attribute name, in UTF-8 bytes. */
    public static final int MAX_NAME_BYTES = 65_535;

    private AttributeValueJson() {}

    /** An item (a map of attribute name to value) from its DynamoDB JSON form. */
    public static Map<String, AttributeValue> item(JsonNode node, String what) {
        if (node == null || !node.isObject()) {
            throw DynamoException.validation("1 validation error detected: Value null at '" + what
                    + "' failed to satisfy constraint: Member must not be null");
        }
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            checkName(e.getKey());
            item.put(e.getKey(), value(e.getValue()));
        }
        return item;
    }

    /** One attribute value from its DynamoDB JSON form, such as {@code {"S":"x"}}. */
    public static AttributeValue value(JsonNode node) {
        if (node == null || !node.isObject() || node.size() != 1) {
            throw DynamoException.validation(
                    "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
        }
        Map.Entry<String, JsonNode> e = node.fields().next();
        JsonNode v = e.getValue();
        return switch (e.getKey()) {
            case "S" -> new AttributeValue.S(text(v));
            case "N" -> new AttributeValue.N(number(text(v)));
            case "B" -> new AttributeValue.B(bytes(text(v)));
            case "BOOL" -> {
                if (v == null || !v.isBoolean()) throw serialization("BOOL must be true or false");
                yield new AttributeValue.Bool(v.booleanValue());
            }
            case "NULL" -> {
                if (v == null || !v.isBoolean()) throw serialization("NULL must be true");
                if (!v.booleanValue()) {
                    throw DynamoException.validation("One or more parameter values were invalid: "
                            + "Null attribute value types must have the value of true");
                }
                yield new AttributeValue.Null();
            }
            case "M" -> new AttributeValue.M(item(v, "M"));
            case "L" -> {
                List<AttributeValue> list = new ArrayList<>();
                for (JsonNode el : array(v)) list.add(value(el));
                yield new AttributeValue.L(list);
            }
            case "SS" -> new AttributeValue.SS(texts(v));
            case "NS" -> {
                List<String> members = texts(v);
                for (String m : members) DynamoNumber.check(m);
                yield new AttributeValue.NS(members);
            }
            case "BS" -> {
                List<AttributeValue.Bytes> list = new ArrayList<>();
                for (String s : texts(v)) list.add(bytes(s));
                yield new AttributeValue.BS(list);
            }
            default -> throw DynamoException.validation(
                    "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
        };
    }

    public static ObjectNode toJson(Map<String, AttributeValue> item) {
        ObjectNode o = NODES.objectNode();
        item.forEach((k, v) -> o.set(k, toJson(v)));
        return o;
    }

    public static ObjectNode toJson(AttributeValue value) {
        ObjectNode o = NODES.objectNode();
        switch (value) {
            case AttributeValue.S s -> o.put("S", s.value());
            case AttributeValue.N n -> o.put("N", n.value());
            case AttributeValue.B b -> o.put("B", b.value().base64());
            case AttributeValue.Bool b -> o.put("BOOL", b.value());
            case AttributeValue.Null ignored -> o.put("NULL", true);
            case AttributeValue.M m -> o.set("M", toJson(m.value()));
            case AttributeValue.L l -> {
                ArrayNode a = o.putArray("L");
                l.value().forEach(el -> a.add(toJson(el)));
            }
            case AttributeValue.SS ss -> ss.value().forEach(o.putArray("SS")::add);
            case AttributeValue.NS ns -> ns.value().forEach(o.putArray("NS")::add);
            case AttributeValue.BS bs -> {
                ArrayNode a = o.putArray("BS");
                bs.value().forEach(b -> a.add(b.base64()));
            }
        }
        return o;
    }

    /**
     * Refuses an attribute name over DynamoDB's 64 KB (65,535 UTF-8 bytes is the longest
     * allowed), with DynamoDB's message; counted without encoding the name.
     */
    public static void checkName(String name) {
        if (name.length() <= MAX_NAME_BYTES / 3) return;
        if (utf8Length(name) > MAX_NAME_BYTES) {
            throw DynamoException.validation(
                    "1 validation error detected: Attribute name is too large, must be less than 65536 bytes");
        }
    }

    private static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) n++;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else n += 3;
        }
        return n;
    }

    private static String number(String text) {
        DynamoNumber.check(text);
        return text;
    }

    private static DynamoException serialization(String message) {
        return new DynamoException(DynamoError.serialization(message));
    }

    private static String text(JsonNode v) {
        if (v == null || !v.isTextual()) {
            throw serialization("NUMBER_VALUE cannot be converted to String");
        }
        return v.textValue();
    }

    /** A binary value's base64 text decoded; text that is no base64 is refused as DynamoDB refuses it, never thrown as a fault. */
    private static AttributeValue.Bytes bytes(String base64) {
        try {
            return AttributeValue.Bytes.ofBase64(base64);
        } catch (IllegalArgumentException notBase64) {
            throw serialization("Base64 encoded value is invalid: " + notBase64.getMessage());
        }
    }

    private static JsonNode array(JsonNode v) {
        if (v == null || !v.isArray()) {
            throw serialization("Unexpected value type in payload");
        }
        return v;
    }

    private static List<String> texts(JsonNode v) {
        List<String> out = new ArrayList<>();
        for (JsonNode el : array(v)) out.add(text(el));
        return out;
    }
}
