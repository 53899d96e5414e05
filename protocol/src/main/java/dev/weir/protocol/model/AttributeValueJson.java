package dev.weir.protocol.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.error.DynamoError;
import dev.weir.protocol.error.DynamoException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts attribute values and items between DynamoDB JSON and {@link AttributeValue}: from a
 * tree or straight from a parser (the same result either way), to a tree or straight to a
 * generator (the same bytes either way).
 */
public final class AttributeValueJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AttributeValueJson() {}

    /** An item (a map of attribute name to value) from its DynamoDB JSON form. */
    public static Map<String, AttributeValue> item(JsonNode node, String what) {
        if (node == null || !node.isObject()) throw notAnItem(what);
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            item.put(e.getKey(), value(e.getValue()));
        }
        return item;
    }

    /**
     * Checks an item's DynamoDB JSON form as {@link #item(JsonNode, String)} reads it, making
     * nothing: the same refusal, at the same member, or none. For a caller that needs only to
     * know the item is well formed (issue 16: a put under a rule that reads nothing of its item).
     */
    public static void checkItem(JsonNode node, String what) {
        if (node == null || !node.isObject()) throw notAnItem(what);
        for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) checkValue(it.next());
    }

    /** Checks one attribute value as {@link #value(JsonNode)} reads it, making nothing (but a binary's bytes). */
    public static void checkValue(JsonNode node) {
        if (node != null && !node.isNull() && !node.isObject()) throw notAValue(kind(node));
        if (node != null && node.isObject() && node.isEmpty()) throw noType(); // {}: empty, as DynamoDB words it
        if (node == null || !node.isObject() || node.size() != 1) throw notOneType();
        String type = node.fieldNames().next();
        JsonNode v = node.get(type);
        switch (type) {
            case "S", "N" -> text(v);
            case "B" -> bytes(blobText(v));
            case "BOOL" -> {
                if (v == null || !v.isBoolean()) throw notBool();
            }
            case "NULL" -> {
                if (v == null || !v.isBoolean()) throw notNullTrue();
                if (!v.booleanValue()) throw nullNotTrue();
            }
            case "M" -> checkItem(v, "M");
            case "L" -> {
                for (JsonNode el : array(v)) checkValue(el);
            }
            case "SS", "NS" -> {
                for (JsonNode el : array(v)) text(el);
            }
            case "BS" -> {
                JsonNode list = array(v);
                for (JsonNode el : list) blobText(el); // every element a text before any is decoded
                for (JsonNode el : list) bytes(el.textValue());
            }
            default -> throw noType();
        }
    }

    /** One attribute value from its DynamoDB JSON form, such as {@code {"S":"x"}}. */
    public static AttributeValue value(JsonNode node) {
        if (node != null && !node.isNull() && !node.isObject()) throw notAValue(kind(node));
        if (node != null && node.isObject() && node.isEmpty()) throw noType(); // {}: empty, as DynamoDB words it
        if (node == null || !node.isObject() || node.size() != 1) throw notOneType();
        Map.Entry<String, JsonNode> e = node.fields().next();
        JsonNode v = e.getValue();
        return switch (e.getKey()) {
            case "S" -> new AttributeValue.S(text(v));
            case "N" -> new AttributeValue.N(text(v));
            case "B" -> new AttributeValue.B(bytes(blobText(v)));
            case "BOOL" -> {
                if (v == null || !v.isBoolean()) throw notBool();
                yield new AttributeValue.Bool(v.booleanValue());
            }
            case "NULL" -> {
                if (v == null || !v.isBoolean()) throw notNullTrue();
                if (!v.booleanValue()) throw nullNotTrue();
                yield new AttributeValue.Null();
            }
            case "M" -> new AttributeValue.M(item(v, "M"));
            case "L" -> {
                List<AttributeValue> list = new ArrayList<>();
                for (JsonNode el : array(v)) list.add(value(el));
                yield new AttributeValue.L(list);
            }
            case "SS" -> new AttributeValue.SS(texts(v));
            case "NS" -> new AttributeValue.NS(texts(v));
            case "BS" -> {
                List<AttributeValue.Bytes> list = new ArrayList<>();
                List<String> texts = new ArrayList<>();
                for (JsonNode el : array(v)) texts.add(blobText(el)); // every element a text before any is decoded
                for (String t : texts) list.add(bytes(t));
                yield new AttributeValue.BS(list);
            }
            default -> throw noType();
        };
    }

    /**
     * An item read straight from a parser, without a tree: the same item, or the same
     * refusal, as {@link #item(JsonNode, String)} gives for the tree of the same text. The
     * parser's current token must be the item's first ({@code START_OBJECT} for an item);
     * on return, and on a {@link DynamoException}, it is the item's last, so the caller may
     * read on.
     *
     * @throws IOException when the text is not JSON
     */
    public static Map<String, AttributeValue> item(JsonParser parser, String what) throws IOException {
        return AttributeValueReader.item(parser, what);
    }

    /** One attribute value read straight from a parser, as {@link #item(JsonParser, String)} reads an item. */
    public static AttributeValue value(JsonParser parser) throws IOException {
        return AttributeValueReader.value(parser);
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
     * Writes an item as {@link #toJson(Map)} would be written, without building the tree: the
     * same members in the same order, so the same bytes from the same generator.
     */
    public static void write(JsonGenerator g, Map<String, AttributeValue> item) throws IOException {
        g.writeStartObject();
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            g.writeFieldName(e.getKey());
            write(g, e.getValue());
        }
        g.writeEndObject();
    }

    /** Writes one value as {@link #toJson(AttributeValue)} would be written. */
    public static void write(JsonGenerator g, AttributeValue value) throws IOException {
        g.writeStartObject();
        switch (value) {
            case AttributeValue.S s -> g.writeStringField("S", s.value());
            case AttributeValue.N n -> g.writeStringField("N", n.value());
            case AttributeValue.B b -> g.writeStringField("B", b.value().base64());
            case AttributeValue.Bool b -> g.writeBooleanField("BOOL", b.value());
            case AttributeValue.Null ignored -> g.writeBooleanField("NULL", true);
            case AttributeValue.M m -> {
                g.writeFieldName("M");
                write(g, m.value());
            }
            case AttributeValue.L l -> {
                g.writeArrayFieldStart("L");
                for (AttributeValue el : l.value()) write(g, el);
                g.writeEndArray();
            }
            case AttributeValue.SS ss -> strings(g, "SS", ss.value());
            case AttributeValue.NS ns -> strings(g, "NS", ns.value());
            case AttributeValue.BS bs -> {
                g.writeArrayFieldStart("BS");
                for (AttributeValue.Bytes b : bs.value()) g.writeString(b.base64());
                g.writeEndArray();
            }
        }
        g.writeEndObject();
    }

    private static void strings(JsonGenerator g, String type, Iterable<String> values) throws IOException {
        g.writeArrayFieldStart(type);
        for (String v : values) g.writeString(v);
        g.writeEndArray();
    }

    private static DynamoException serialization(String message) {
        return new DynamoException(DynamoError.serialization(message));
    }

    private static String text(JsonNode v) {
        if (v == null || !v.isTextual()) throw notText(kind(v));
        return v.textValue();
    }

    private static String blobText(JsonNode v) {
        if (v == null || !v.isTextual()) throw notBlob(kind(v));
        return v.textValue();
    }

    /** The name DynamoDB's JSON reader gives a value's token, as its messages quote it ({@code TRUE_VALUE}); ARRAY, OBJECT or NULL otherwise. */
    static String kind(JsonNode v) {
        if (v == null || v.isNull()) return "NULL";
        if (v.isBoolean()) return v.booleanValue() ? "TRUE_VALUE" : "FALSE_VALUE";
        if (v.isIntegralNumber()) return "NUMBER_VALUE";
        if (v.isNumber()) return "DECIMAL_VALUE";
        if (v.isTextual()) return "STRING_VALUE";
        return v.isArray() ? "ARRAY" : "OBJECT";
    }

    /** As {@link #kind(JsonNode)}, for the token a streaming reader is on. */
    static String kind(com.fasterxml.jackson.core.JsonToken t) {
        if (t == null) return "NULL";
        return switch (t) {
            case VALUE_TRUE -> "TRUE_VALUE";
            case VALUE_FALSE -> "FALSE_VALUE";
            case VALUE_NUMBER_INT -> "NUMBER_VALUE";
            case VALUE_NUMBER_FLOAT -> "DECIMAL_VALUE";
            case VALUE_STRING -> "STRING_VALUE";
            case START_ARRAY -> "ARRAY";
            case START_OBJECT -> "OBJECT";
            default -> "NULL";
        };
    }

    // The refusals, one place for the tree path and the streaming reader (AttributeValueReader).

    static DynamoException notAnItem(String what) {
        return DynamoException.validation("1 validation error detected: Value null at '" + what
                + "' failed to satisfy constraint: Member must not be null");
    }

    static DynamoException notOneType() {
        return DynamoException.validation(
                "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
    }

    static DynamoException noType() {
        return DynamoException.validation(
                "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
    }

    /** A string member (S, N, an element of SS or NS) that is a value of {@code kind}, in DynamoDB's deserializer's words. */
    static DynamoException notText(String kind) {
        return switch (kind) {
            case "ARRAY" -> serialization("Unrecognized collection type class java.lang.String");
            case "OBJECT" -> serialization("Start of structure or map found where not expected");
            case "NULL" -> serialization("NUMBER_VALUE cannot be converted to String");
            default -> serialization(kind + " cannot be converted to String");
        };
    }

    /** A binary member (B, an element of BS) that is no string. */
    static DynamoException notBlob(String kind) {
        return switch (kind) {
            case "ARRAY" -> serialization("Unrecognized collection type class java.nio.ByteBuffer");
            case "OBJECT" -> serialization("Start of structure or map found where not expected");
            default -> serialization("only base-64-encoded strings are convertible to bytes");
        };
    }

    /** An attribute value (an item's attribute, a list element, a map value) that is no JSON object. */
    static DynamoException notAValue(String kind) {
        return switch (kind) {
            case "ARRAY" -> serialization("Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue");
            case "NULL" -> notOneType();
            default -> serialization("Unexpected value type in payload");
        };
    }

    static DynamoException notBool() {
        return serialization("BOOL must be true or false");
    }

    static DynamoException notNullTrue() {
        return serialization("NULL must be true");
    }

    static DynamoException nullNotTrue() {
        return DynamoException.validation("One or more parameter values were invalid: "
                + "Null attribute value types must have the value of true");
    }

    static DynamoException notAnArray() {
        return serialization("Unexpected value type in payload");
    }

    /** A binary value's base64 text decoded; text that is no base64 is refused as DynamoDB refuses it, never thrown as a fault. */
    static AttributeValue.Bytes bytes(String base64) {
        try {
            return AttributeValue.Bytes.ofBase64(base64);
        } catch (IllegalArgumentException notBase64) {
            throw serialization("Base64 encoded value is invalid: " + notBase64.getMessage());
        }
    }

    private static JsonNode array(JsonNode v) {
        if (v == null || !v.isArray()) throw notAnArray();
        return v;
    }

    private static List<String> texts(JsonNode v) {
        List<String> out = new ArrayList<>();
        for (JsonNode el : array(v)) out.add(text(el));
        return out;
    }
}
