package dev.weir.store.item;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.expr.Condition;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.protocol.model.Operation;
import dev.weir.store.api.RequestFields;
import dev.weir.store.expression.LegacyParameters;
import dev.weir.store.expression.RequestExpressions;
import dev.weir.store.table.IndexKind;
import dev.weir.store.table.TableDefinition;
import dev.weir.store.value.ItemValidator;

import java.util.List;
import java.util.Map;

/** Checks and response parts that the item operations share. */
public final class ItemRequests {
    /** The legacy (non-expression) parameters and the expression parameter that replaced each. */
    private static final Map<String, String> LEGACY = Map.of("Expected", "ConditionExpression",
            "ConditionalOperator", "ConditionExpression", "AttributesToGet", "ProjectionExpression",
            "AttributeUpdates", "UpdateExpression", "KeyConditions", "KeyConditionExpression",
            "QueryFilter", "FilterExpression", "ScanFilter", "FilterExpression");

    private ItemRequests() {}

    /**
     * Refuses legacy parameters in the actions of a transaction, whose API never had them:
     * DynamoDB would ignore them, and a condition silently ignored is a wrong write.
     */
    public static void rejectLegacy(JsonNode action, String operation) {
        for (String m : List.of("Expected", "ConditionalOperator", "AttributesToGet", "AttributeUpdates",
                "KeyConditions", "QueryFilter", "ScanFilter")) {
            if (RequestFields.present(action, m)) {
                throw DynamoException.validation(m + " is not a parameter of " + operation + "; use " + LEGACY.get(m));
            }
        }
    }

    /** Whether the failed condition's exception should carry the current item. */
    public static boolean returnItemOnFailure(JsonNode request) {
        return "ALL_OLD".equals(RequestFields.text(request, "ReturnValuesOnConditionCheckFailure"));
    }

    /** The Item or Key member as an item, numbers canonical, sets checked. */
    public static Map<String, AttributeValue> item(JsonNode node, String what) {
        return ItemValidator.canonicalItem(AttributeValueJson.item(node, what));
    }

    /** Adds ItemCollectionMetrics (tables with local secondary indexes) when SIZE was asked for. */
    public static void addItemCollectionMetrics(JsonNode request, ObjectNode response, TableDefinition table, PrimaryKey key,
                                                ItemStore items) {
        if (!"SIZE".equals(RequestFields.text(request, "ReturnItemCollectionMetrics"))) return;
        if (!ItemCollections.tracked(table)) return;
        response.set("ItemCollectionMetrics", itemCollectionMetrics(table, key, items.itemCollectionSize(table, key.hash())));
    }

    /**
     * One ItemCollectionMetrics: the partition key, and the collection's size as DynamoDB
     * estimates it, a range of whole gigabytes around the size (e.g. [0.0, 1.0] for a small one).
     */
    public static ObjectNode itemCollectionMetrics(TableDefinition table, PrimaryKey key, long sizeBytes) {
        ObjectNode m = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        m.putObject("ItemCollectionKey").set(table.keySchema().hash().name(), AttributeValueJson.toJson(key.hash()));
        double lower = Math.floor(sizeBytes / (double) (1L << 30));
        m.putArray("SizeEstimateRangeGB").add(lower).add(lower + 1);
        return m;
    }

    /**
     * The condition of a PutItem or DeleteItem: its ConditionExpression or its legacy Expected
     * (never both), or null. Checks, in DynamoDB's order, that legacy and expression
     * parameters are not mixed and that every expression name and value is used.
     */
    static Condition condition(Operation op, JsonNode request) {
        LegacyParameters.checkNotMixed(op, request);
        RequestExpressions expressions = RequestExpressions.of(request);
        Condition conditionExpression = expressions.condition("ConditionExpression");
        expressions.finish();
        return LegacyParameters.either(conditionExpression, LegacyParameters.of(op, request).condition());
    }

    static void onlyNoneOrAllOld(String returnValues) {
        if (returnValues != null && !returnValues.equals("NONE") && !returnValues.equals("ALL_OLD")) {
            throw DynamoException.validation("ReturnValues can only be ALL_OLD or NONE");
        }
    }
}
