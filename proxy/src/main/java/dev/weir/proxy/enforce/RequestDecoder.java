package dev.weir.proxy.enforce;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.error.DynamoError;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.expr.legacy.Legacy;
import dev.weir.protocol.model.Operation;
import dev.weir.protocol.wire.Target;

import java.io.IOException;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a request's operation and body, and fails closed on anything the proxy does not
 * understand: an operation it does not enforce yet, or a request member it does not know
 * for that operation, is refused rather than forwarded blindly.
 */
public final class RequestDecoder {
    /**
     * A body that is forwarded unchanged goes upstream as its original bytes, so it must have one
     * meaning for every JSON parser: a member named twice (parsers differ on which one counts)
     * or content after the object (which one parser ignores and another reads) is refused.
     */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** The members the proxy understands, per operation it enforces. */
    private static final Map<Operation, Set<String>> MEMBERS = new EnumMap<>(Operation.class);

    static {
        Set<String> names = Set.of("ExpressionAttributeNames");
        Set<String> namesValues = Set.of("ExpressionAttributeNames", "ExpressionAttributeValues");
        Set<String> capacity = Set.of("ReturnConsumedCapacity");
        MEMBERS.put(Operation.GetItem, union(Set.of("TableName", "Key", "ConsistentRead", "ProjectionExpression"), names, capacity));
        MEMBERS.put(Operation.PutItem, union(Set.of("TableName", "Item", "ConditionExpression", "ReturnValues",
                "ReturnValuesOnConditionCheckFailure", "ReturnItemCollectionMetrics"), namesValues, capacity));
        MEMBERS.put(Operation.UpdateItem, union(Set.of("TableName", "Key", "UpdateExpression", "ConditionExpression",
                "ReturnValues", "ReturnValuesOnConditionCheckFailure", "ReturnItemCollectionMetrics"), namesValues, capacity));
        MEMBERS.put(Operation.DeleteItem, union(Set.of("TableName", "Key", "ConditionExpression", "ReturnValues",
                "ReturnValuesOnConditionCheckFailure", "ReturnItemCollectionMetrics"), namesValues, capacity));
        MEMBERS.put(Operation.Query, union(Set.of("TableName", "IndexName", "KeyConditionExpression", "FilterExpression",
                "ProjectionExpression", "Select", "Limit", "ExclusiveStartKey", "ScanIndexForward", "ConsistentRead"),
                namesValues, capacity));
        MEMBERS.put(Operation.Scan, union(Set.of("TableName", "IndexName", "FilterExpression", "ProjectionExpression",
                "Select", "Limit", "ExclusiveStartKey", "Segment", "TotalSegments", "ConsistentRead"), namesValues, capacity));
        MEMBERS.put(Operation.BatchGetItem, union(Set.of("RequestItems"), capacity));
        MEMBERS.put(Operation.BatchWriteItem, union(Set.of("RequestItems", "ReturnItemCollectionMetrics"), capacity));
        MEMBERS.put(Operation.TransactGetItems, union(Set.of("TransactItems"), capacity));
        MEMBERS.put(Operation.TransactWriteItems, union(Set.of("TransactItems", "ClientRequestToken",
                "ReturnItemCollectionMetrics"), capacity));
        MEMBERS.put(Operation.CreateTable, Set.of("TableName", "AttributeDefinitions", "KeySchema", "BillingMode",
                "ProvisionedThroughput", "GlobalSecondaryIndexes", "LocalSecondaryIndexes", "Tags"));
        MEMBERS.put(Operation.DescribeTable, Set.of("TableName"));
        MEMBERS.put(Operation.DeleteTable, Set.of("TableName"));
        MEMBERS.put(Operation.ListTables, Set.of("ExclusiveStartTableName", "Limit"));
        // Table management: decided like any operation (the admin group), answered with table
        // descriptions or tags, never with items, so nothing in the answer needs filtering.
        MEMBERS.put(Operation.UpdateTable, Set.of("TableName", "AttributeDefinitions", "BillingMode", "ProvisionedThroughput",
                "GlobalSecondaryIndexUpdates", "SSESpecification", "StreamSpecification", "ReplicaUpdates", "TableClass",
                "DeletionProtectionEnabled", "OnDemandThroughput"));
        MEMBERS.put(Operation.UpdateTimeToLive, Set.of("TableName", "TimeToLiveSpecification"));
        MEMBERS.put(Operation.DescribeTimeToLive, Set.of("TableName"));
        MEMBERS.put(Operation.TagResource, Set.of("ResourceArn", "Tags"));
        MEMBERS.put(Operation.UntagResource, Set.of("ResourceArn", "TagKeys"));
        MEMBERS.put(Operation.ListTagsOfResource, Set.of("ResourceArn", "NextToken"));
    }

    static {
        // The legacy twins of the expression parameters, analysed by the same translator as the store's.
        for (Operation op : List.copyOf(MEMBERS.keySet())) {
            MEMBERS.put(op, union(MEMBERS.get(op), Set.copyOf(Legacy.parameters(op))));
        }
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        java.util.HashSet<String> all = new java.util.HashSet<>();
        for (Set<String> s : sets) all.addAll(s);
        return Set.copyOf(all);
    }

    /** Reads the target and the JSON body; errors are DynamoDB's own for these cases. */
    public DecodedRequest decode(String target, byte[] body) {
        Operation op = Target.parse(target);
        JsonNode tree;
        try {
            tree = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (JsonProcessingException e) {
            String problem = e.getOriginalMessage();
            if (problem != null && problem.startsWith("Duplicate field")) {
                throw new DynamoException(DynamoError.serialization("The request body names a member more than once."));
            }
            if (problem != null && problem.startsWith("Trailing token")) {
                throw new DynamoException(DynamoError.serialization("The request body has content after its JSON object."));
            }
            throw new DynamoException(DynamoError.serialization("Start of structure or map found where not expected."));
        } catch (IOException e) {
            throw new DynamoException(DynamoError.serialization("Could not read the request body."));
        }
        if (!(tree instanceof ObjectNode obj)) {
            throw new DynamoException(DynamoError.serialization("Start of structure or map found where not expected."));
        }
        JsonNode table = obj.get("TableName");
        String name = table != null && table.isTextual() ? table.textValue() : tableOfArn(obj.get("ResourceArn"));
        return new DecodedRequest(op, name, obj);
    }

    /**
     * The table a tag operation's ResourceArn names ({@code arn:aws:dynamodb:REGION:ACCOUNT:table/NAME}),
     * so that policies decide it on that table; null (decided as table {@code *}) for anything else.
     */
    static String tableOfArn(JsonNode arn) {
        if (arn == null || !arn.isTextual()) return null;
        String s = arn.textValue();
        int at = s.indexOf(":table/");
        if (!s.startsWith("arn:") || at < 0) return null;
        String rest = s.substring(at + ":table/".length());
        int slash = rest.indexOf('/');
        String name = slash < 0 ? rest : rest.substring(0, slash);
        return name.isEmpty() ? null : name;
    }

    /**
     * Refuses what the proxy cannot enforce: an operation it does not handle yet, or a member
     * it does not know for the operation.
     */
    public void requireSupported(DecodedRequest req) {
        Set<String> known = MEMBERS.get(req.operation());
        if (known == null) {
            throw DynamoException.validation("weir does not enforce " + req.operation()
                    + " yet, so the request was refused rather than forwarded unchecked");
        }
        for (Iterator<String> it = req.body().fieldNames(); it.hasNext(); ) {
            String member = it.next();
            if (!known.contains(member)) {
                throw DynamoException.validation("weir does not support the parameter '" + member + "' of "
                        + req.operation() + ", so the request was refused rather than forwarded unchecked");
            }
        }
        if (req.operation() == Operation.PutItem || req.operation() == Operation.DeleteItem) {
            JsonNode rv = req.body().get("ReturnValues");
            if (rv != null && !rv.asText().equals("NONE") && !rv.asText().equals("ALL_OLD")) {
                throw DynamoException.validation("ReturnValues can only be ALL_OLD or NONE");
            }
        }
    }
}
