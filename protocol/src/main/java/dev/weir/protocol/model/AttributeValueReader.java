package dev.weir.protocol.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.weir.protocol.error.DynamoException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads DynamoDB JSON attribute values straight from a {@link JsonParser}, without a tree, to
 * the same result as {@link AttributeValueJson#item(com.fasterxml.jackson.databind.JsonNode, String)}
 * on the tree of the same text: the same values, and for a value it refuses the same error
 * (type and message).
 *
 * <p>The tree path sees the whole object before judging it, this reader sees it member by
 * member, so it defers its judgement the way the tree's order of checks asks: a value object
 * with two different members is refused as such even when the first member is itself wrong;
 * a repeated member counts once and its last occurrence is the one judged (as in the tree,
 * where it replaced the first); of an item's wrong attributes the one named first is reported.
 * Every method consumes exactly one JSON value (also when it refuses it): on entry the
 * parser's current token is the value's first, on return or on a {@link DynamoException} its
 * last. Malformed JSON is an {@link IOException} from the parser.
 */
final class AttributeValueReader {
    /** Stands, in an item being read, for an attribute whose value was refused (compared by identity). */
    private static final AttributeValue REFUSED = new AttributeValue.Null();

    private AttributeValueReader() {}

    static Map<String, AttributeValue> item(JsonParser p, String what) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            throw AttributeValueJson.notAnItem(what);
        }
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        Map<String, DynamoException> refused = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            try {
                item.put(name, value(p));
            } catch (DynamoException e) {
                if (refused == null) refused = new HashMap<>();
                refused.put(name, e);
                item.put(name, REFUSED);
            }
        }
        if (refused != null) {
            for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
                if (e.getValue() == REFUSED) throw refused.get(e.getKey());
            }
        }
        return item;
    }

    static AttributeValue value(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            String kind = AttributeValueJson.kind(p.currentToken());
            p.skipChildren();
            throw AttributeValueJson.notAValue(kind);
        }
        String type = null;
        boolean several = false;
        AttributeValue result = null;
        DynamoException error = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            if (several || (type != null && !type.equals(name))) {
                several = true;
                p.skipChildren();
                continue;
            }
            type = name;
            try {
                result = typed(name, p);
                error = null;
            } catch (DynamoException e) {
                result = null;
                error = e;
            }
        }
        if (type == null) throw AttributeValueJson.noType(); // {}: empty, as DynamoDB words it
        if (several) throw AttributeValueJson.notOneType();
        if (error != null) throw error;
        return result;
    }

    private static AttributeValue typed(String type, JsonParser p) throws IOException {
        return switch (type) {
            case "S" -> new AttributeValue.S(text(p));
            case "N" -> new AttributeValue.N(text(p));
            case "B" -> new AttributeValue.B(AttributeValueJson.bytes(blobText(p)));
            case "BOOL" -> switch (p.currentToken()) {
                case VALUE_TRUE -> new AttributeValue.Bool(true);
                case VALUE_FALSE -> new AttributeValue.Bool(false);
                default -> {
                    p.skipChildren();
                    throw AttributeValueJson.notBool();
                }
            };
            case "NULL" -> switch (p.currentToken()) {
                case VALUE_TRUE -> new AttributeValue.Null();
                case VALUE_FALSE -> throw AttributeValueJson.nullNotTrue();
                default -> {
                    p.skipChildren();
                    throw AttributeValueJson.notNullTrue();
                }
            };
            case "M" -> new AttributeValue.M(item(p, "M"));
            case "L" -> {
                array(p);
                List<AttributeValue> list = new ArrayList<>();
                DynamoException first = null;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    try {
                        AttributeValue v = value(p);
                        if (first == null) list.add(v);
                    } catch (DynamoException e) {
                        if (first == null) first = e;
                    }
                }
                if (first != null) throw first;
                yield new AttributeValue.L(list);
            }
            case "SS" -> new AttributeValue.SS(texts(p, false));
            case "NS" -> new AttributeValue.NS(texts(p, false));
            case "BS" -> {
                List<String> texts = texts(p, true);
                List<AttributeValue.Bytes> list = new ArrayList<>(texts.size());
                for (String s : texts) list.add(AttributeValueJson.bytes(s));
                yield new AttributeValue.BS(list);
            }
            default -> {
                p.skipChildren();
                throw AttributeValueJson.noType();
            }
        };
    }

    private static String text(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            String kind = AttributeValueJson.kind(p.currentToken());
            p.skipChildren();
            throw AttributeValueJson.notText(kind);
        }
        return p.getText();
    }

    private static String blobText(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            String kind = AttributeValueJson.kind(p.currentToken());
            p.skipChildren();
            throw AttributeValueJson.notBlob(kind);
        }
        return p.getText();
    }

    /** Checks that the current token opens an array (consuming the value and refusing it otherwise). */
    private static void array(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren();
            throw AttributeValueJson.notAnArray();
        }
    }

    /**
     * An array of texts (of base64 texts: {@code blobs}); every element is read before the first
     * one that is no text is refused, as the tree path refuses it.
     */
    private static List<String> texts(JsonParser p, boolean blobs) throws IOException {
        array(p);
        List<String> out = new ArrayList<>();
        String wrong = null;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t == JsonToken.VALUE_STRING) {
                out.add(p.getText());
            } else {
                if (wrong == null) wrong = AttributeValueJson.kind(t);
                p.skipChildren();
            }
        }
        if (wrong != null) throw blobs ? AttributeValueJson.notBlob(wrong) : AttributeValueJson.notText(wrong);
        return out;
    }
}
