package dev.weir.proxy.enforce.write;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.policy.predicate.Residual;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.ast.ConditionExpr;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.protocol.model.Operation;
import dev.weir.proxy.enforce.request.Part;
import dev.weir.proxy.enforce.verdict.Refusals;

import java.util.Map;

/**
 * "No item is stored under the key the part names", as a condition on the stored item: what
 * weir OR-s with each of its conditions, since a new item shows nothing, moves nothing and
 * belongs to no one yet.
 *
 * <ul>
 *   <li>A part with a {@code Key} (UpdateItem, DeleteItem, ConditionCheck):
 *       {@code attribute_not_exists(k)} for its first key attribute (a stored item has every
 *       attribute of its key).</li>
 *   <li>A PutItem, whose key attributes weir does not know without the table's schema:
 *       {@code attribute_not_exists(a1) AND ...} over every top-level attribute of the new item
 *       that could be a key attribute (a string, number or binary): the key is among them, so
 *       this holds exactly when nothing is stored under the item's key.</li>
 * </ul>
 */
public final class Absent {
    private Absent() {}

    /** The condition for the part's item; an invalid Key or Item is refused as DynamoDB would. */
    public static Residual of(Part part) {
        if (part.acts() == Operation.PutItem) {
            Map<String, AttributeValue> item = AttributeValueJson.item(part.body().get("Item"), "Item");
            Residual all = Residual.TRUE;
            for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
                if (e.getValue() instanceof AttributeValue.S || e.getValue() instanceof AttributeValue.N
                        || e.getValue() instanceof AttributeValue.B) {
                    all = all.and(notExists(e.getKey()));
                }
            }
            if (all instanceof Residual.Always) throw Refusals.invalid("One or more parameter values were invalid: "
                    + "Missing the key attributes in the item");
            return all;
        }
        JsonNode key = part.body().get("Key");
        if (key == null || !key.isObject() || key.isEmpty()) throw Refusals.invalid("Key is required");
        return notExists(key.fieldNames().next());
    }

    private static Residual notExists(String attribute) {
        return new Residual.Tree(new ConditionExpr.AttributeNotExists(Path.of(attribute)));
    }
}
