package dev.weir.proxy.enforce.request;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.protocol.expr.legacy.Legacy;
import dev.weir.protocol.model.Operation;
import dev.weir.proxy.enforce.verdict.Refusals;

import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The operations weir enforces and the request members it understands for each. Fail closed:
 * an operation it does not enforce yet, or a member it does not know for the operation, is
 * refused (unenforceable) rather than forwarded unchecked.
 */
final class KnownMembers {
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
        MEMBERS.put(Operation.CreateTable, Set.of("TableName", "AttributeDefinitions", "KeySchema", "BillingMode", "StreamSpecification",
                "ProvisionedThroughput", "GlobalSecondaryIndexes", "LocalSecondaryIndexes", "Tags"));
        MEMBERS.put(Operation.DescribeTable, Set.of("TableName"));
        MEMBERS.put(Operation.DeleteTable, Set.of("TableName"));
        MEMBERS.put(Operation.ListTables, Set.of("ExclusiveStartTableName", "Limit"));
        // DescribeLimits: no members; names no table, so decided by rules on table * (the admin group). Its answer is
        // the account's four throughput quotas, nothing of any table. (DescribeEndpoints stays refused: its answer
        // would name the upstream's address, which a client would then use instead of weir.)
        MEMBERS.put(Operation.DescribeLimits, Set.of());
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
        // DynamoDB Streams: each a read of the stream's table (docs/streams.md, "Through the firewall").
        MEMBERS.put(Operation.ListStreams, Set.of("TableName", "Limit", "ExclusiveStartStreamArn"));
        MEMBERS.put(Operation.DescribeStream, Set.of("StreamArn", "Limit", "ExclusiveStartShardId"));
        MEMBERS.put(Operation.GetShardIterator, Set.of("StreamArn", "ShardId", "ShardIteratorType", "SequenceNumber"));
        MEMBERS.put(Operation.GetRecords, Set.of("ShardIterator", "Limit"));
        // The legacy twins of the expression parameters, analysed by the same translator as the store's.
        for (Operation op : List.copyOf(MEMBERS.keySet())) {
            MEMBERS.put(op, union(MEMBERS.get(op), Set.copyOf(Legacy.parameters(op))));
        }
    }

    private KnownMembers() {}

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> all = new HashSet<>();
        for (Set<String> s : sets) all.addAll(s);
        return Set.copyOf(all);
    }

    /** Refuses an operation weir does not enforce, a member it does not know, and a ReturnValues PutItem and DeleteItem cannot take. */
    static void require(Operation op, JsonNode body) {
        Set<String> known = MEMBERS.get(op);
        if (known == null) {
            throw Refusals.unsupported("weir does not enforce " + op + " yet, so the request was refused rather than forwarded unchecked");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String member = it.next();
            if (!known.contains(member)) {
                throw Refusals.unsupported("weir does not support the parameter '" + member + "' of " + op
                        + ", so the request was refused rather than forwarded unchecked");
            }
        }
        if (op == Operation.PutItem || op == Operation.DeleteItem) {
            JsonNode rv = body.get("ReturnValues");
            if (rv != null && !rv.asText().equals("NONE") && !rv.asText().equals("ALL_OLD")) {
                throw Refusals.invalid("ReturnValues can only be ALL_OLD or NONE");
            }
        }
    }
}
