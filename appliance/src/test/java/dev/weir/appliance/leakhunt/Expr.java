package dev.weir.appliance.leakhunt;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.expr.parse.ReservedWords;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;

import java.util.Random;

/**
 * The placeholders of one request's expressions ({@code ExpressionAttributeNames} and
 * {@code ExpressionAttributeValues}): names and values are added only when an expression uses
 * them, since DynamoDB refuses unused ones. Reserved words always go through a name
 * placeholder; other names sometimes do.
 */
final class Expr {
    private final Random r;
    private final ObjectNode names = JsonNodeFactory.instance.objectNode();
    private final ObjectNode values = JsonNodeFactory.instance.objectNode();
    private int next;

    Expr(Random r) {
        this.r = r;
    }

    /** A name as it goes into an expression: itself, or a placeholder that stands for it. */
    String name(String attr) {
        if (!ReservedWords.isReserved(attr) && r.nextInt(3) > 0) return attr;
        return placeholder(attr);
    }

    /** Always a placeholder ({@code #nN}). */
    String placeholder(String attr) {
        String ph = "#n" + (next++);
        names.put(ph, attr);
        return ph;
    }

    /** A path (dot-separated keys, {@code [i]} indexes) with each key named through {@link #name}. */
    String path(String path) {
        StringBuilder sb = new StringBuilder();
        for (String part : path.split("\\.")) {
            if (!sb.isEmpty()) sb.append('.');
            int bracket = part.indexOf('[');
            String key = bracket < 0 ? part : part.substring(0, bracket);
            sb.append(name(key));
            if (bracket >= 0) sb.append(part.substring(bracket));
        }
        return sb.toString();
    }

    String value(AttributeValue v) {
        String ph = ":v" + (next++);
        values.set(ph, AttributeValueJson.toJson(v));
        return ph;
    }

    /** Puts the placeholders used so far into {@code body}. */
    void into(ObjectNode body) {
        if (!names.isEmpty()) body.set("ExpressionAttributeNames", names);
        if (!values.isEmpty()) body.set("ExpressionAttributeValues", values);
    }
}
