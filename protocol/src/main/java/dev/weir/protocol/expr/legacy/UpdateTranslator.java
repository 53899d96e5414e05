package dev.weir.protocol.expr.legacy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.ast.Operand;
import dev.weir.protocol.expr.ast.UpdateAction;
import dev.weir.protocol.expr.ast.UpdateExpr;
import dev.weir.protocol.model.AttributeValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * AttributeUpdates to an update syntax tree, action by action:
 * <ul>
 *   <li>PUT (the default) with a Value is {@code SET a = :v};</li>
 *   <li>DELETE without a Value is {@code REMOVE a}, with a set Value {@code DELETE a :v};</li>
 *   <li>ADD of a number or a set is {@code ADD a :v}; ADD of a list appends, as
 *       {@code SET a = list_append(if_not_exists(a, :empty), :v)}.</li>
 * </ul>
 */
final class UpdateTranslator {
    static final List<String> ACTIONS = List.of("ADD", "PUT", "DELETE");
    private static final Set<String> ADDABLE = Set.of("N", "SS", "NS", "BS", "L");
    private static final Set<String> SETS = Set.of("SS", "NS", "BS");

    private final ValueReader reader;
    private final Placeholders placeholders;

    UpdateTranslator(ValueReader reader, Placeholders placeholders) {
        this.reader = reader;
        this.placeholders = placeholders;
    }

    UpdateExpr translate(JsonNode attributeUpdates) {
        List<UpdateAction> actions = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : attributeUpdates.properties()) {
            String attribute = e.getKey();
            JsonNode u = ConditionTranslator.requireObject(e.getValue());
            String action = Members.oneOf(u, "Action", "attributeUpdates." + attribute + ".member.action", ACTIONS);
            if (action == null) action = "PUT";
            AttributeValue value = Members.present(u, "Value") ? reader.read(u.get("Value")) : null;
            Path path = Path.of(attribute);
            if (value == null) {
                if (!action.equals("DELETE")) {
                    throw Members.invalid("Only DELETE action is allowed when no attribute value is specified");
                }
                actions.add(new UpdateAction.Remove(path));
                continue;
            }
            String type = value.typeTag();
            switch (action) {
                case "PUT" -> actions.add(new UpdateAction.Set(path, placeholders.next(value)));
                case "DELETE" -> {
                    if (!SETS.contains(type)) {
                        throw Members.invalid("DELETE action with value is not supported for the type " + type);
                    }
                    actions.add(new UpdateAction.Delete(path, placeholders.next(value)));
                }
                default -> {
                    if (!ADDABLE.contains(type)) throw Members.invalid("ADD action is not supported for the type " + type);
                    if (type.equals("L")) {
                        Operand empty = placeholders.next(new AttributeValue.L(List.of()));
                        actions.add(new UpdateAction.Set(path, new Operand.ListAppend(
                                new Operand.IfNotExists(path, empty), placeholders.next(value))));
                    } else {
                        actions.add(new UpdateAction.Add(path, placeholders.next(value)));
                    }
                }
            }
        }
        return new UpdateExpr(actions);
    }
}
