package dev.weir.store.api.validate;

import dev.weir.protocol.model.Operation;

import java.util.EnumMap;
import java.util.Map;

import static dev.weir.store.api.validate.Constraint.keys;
import static dev.weir.store.api.validate.Constraint.max;
import static dev.weir.store.api.validate.Constraint.maxLength;
import static dev.weir.store.api.validate.Constraint.min;
import static dev.weir.store.api.validate.Constraint.minLength;
import static dev.weir.store.api.validate.Constraint.notNull;
import static dev.weir.store.api.validate.Constraint.oneOf;
import static dev.weir.store.api.validate.Constraint.pattern;
import static dev.weir.store.api.validate.Shapes.*;

/**
 * Every DynamoDB operation's request as data: its members in the order DynamoDB validates them,
 * each with its JSON type and constraints. The order is DynamoDB's own (it is neither
 * alphabetical nor the API reference's): for the operations dynalite records, its record;
 * members it does not record come after them, in the API reference's order.
 */
final class OperationShapes {
    private OperationShapes() {}

    static final Map<Operation, Shape.Struct> ALL = build();

    private static Map<Operation, Shape.Struct> build() {
        Map<Operation, Shape.Struct> m = new EnumMap<>(Operation.class);
        m.put(Operation.GetItem, struct("GetItemInput",
                returnConsumedCapacity(), attributesToGet(), tableName(),
                Member.of("Key", ITEM, notNull()), flag("ConsistentRead"), text("ProjectionExpression"),
                expressionAttributeNames()));
        m.put(Operation.PutItem, struct("PutItemInput",
                returnConsumedCapacity(), tableName(), Member.of("Item", ITEM, notNull()), conditionalOperator(), expected(),
                returnValues(), returnItemCollectionMetrics(), text("ConditionExpression"), expressionAttributeValues(),
                expressionAttributeNames(), returnValuesOnConditionCheckFailure()));
        m.put(Operation.DeleteItem, struct("DeleteItemInput",
                returnConsumedCapacity(), tableName(), returnValues(), returnItemCollectionMetrics(),
                Member.of("Key", ITEM, notNull()), conditionalOperator(), expected(), text("ConditionExpression"),
                expressionAttributeValues(), expressionAttributeNames(), returnValuesOnConditionCheckFailure()));
        m.put(Operation.UpdateItem, struct("UpdateItemInput",
                returnConsumedCapacity(), tableName(), returnItemCollectionMetrics(), returnValues(),
                Member.of("Key", ITEM, notNull()), conditionalOperator(), expected(),
                Member.of("AttributeUpdates", new Shape.MapOf(struct("AttributeValueUpdate",
                        text("Action"), Member.of("Value", ATTRIBUTE_VALUE)))),
                text("ConditionExpression"), text("UpdateExpression"), expressionAttributeValues(),
                expressionAttributeNames(), returnValuesOnConditionCheckFailure()));
        m.put(Operation.Query, struct("QueryInput",
                Member.of("Limit", Shape.INTEGER, min(1)), Member.of("ExclusiveStartKey", ITEM), returnConsumedCapacity(),
                attributesToGet(), conditions("QueryFilter"),
                Member.of("Select", Shape.TEXT, oneOf("SPECIFIC_ATTRIBUTES", "COUNT", "ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES")),
                conditionalOperator(), conditions("KeyConditions"), tableName(), flag("ConsistentRead"), indexName(),
                flag("ScanIndexForward"), text("KeyConditionExpression"), text("FilterExpression"),
                text("ProjectionExpression"), expressionAttributeValues(), expressionAttributeNames()));
        m.put(Operation.Scan, struct("ScanInput",
                Member.of("Limit", Shape.INTEGER, min(1)), returnConsumedCapacity(), attributesToGet(),
                Member.of("Segment", Shape.INTEGER, min(0), max(999_999)),
                Member.of("Select", Shape.TEXT, oneOf("SPECIFIC_ATTRIBUTES", "COUNT", "ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES")),
                conditions("ScanFilter"), conditionalOperator(),
                Member.of("TotalSegments", Shape.INTEGER, min(1), max(1_000_000)), tableName(),
                Member.of("ExclusiveStartKey", ITEM), indexName(), text("FilterExpression"), text("ProjectionExpression"),
                expressionAttributeValues(), expressionAttributeNames(), flag("ConsistentRead")));
        m.put(Operation.BatchGetItem, struct("BatchGetItemInput",
                returnConsumedCapacity(),
                Member.of("RequestItems", new Shape.MapOf(struct("KeysAndAttributes",
                                Member.of("Keys", new Shape.ListOf(ITEM), notNull(), minLength(1), maxLength(100)),
                                attributesToGet(), flag("ConsistentRead"), text("ProjectionExpression"),
                                expressionAttributeNames())),
                        notNull(), minLength(1), keys(maxLength(255), minLength(3), pattern(NAME_PATTERN)))));
        m.put(Operation.BatchWriteItem, struct("BatchWriteItemInput",
                returnConsumedCapacity(), returnItemCollectionMetrics(),
                Member.of("RequestItems", new Shape.MapOf(new Shape.ListOf(struct("WriteRequest",
                                Member.of("DeleteRequest", struct("DeleteRequest", Member.of("Key", ITEM, notNull()))),
                                Member.of("PutRequest", struct("PutRequest", Member.of("Item", ITEM, notNull()))))),
                                java.util.List.of(notNull(), minLength(1), maxLength(25))),
                        notNull(), minLength(1), keys(maxLength(255), minLength(3), pattern(NAME_PATTERN)))));
        m.put(Operation.TransactGetItems, struct("TransactGetItemsInput",
                Member.of("TransactItems", new Shape.ListOf(struct("TransactGetItem",
                        Member.of("Get", struct("Get", Member.of("Key", ITEM, notNull()), tableName(),
                                text("ProjectionExpression"), expressionAttributeNames()), notNull()))),
                        notNull(), minLength(1), maxLength(100)),
                returnConsumedCapacity()));
        m.put(Operation.TransactWriteItems, struct("TransactWriteItemsInput",
                returnConsumedCapacity(), returnItemCollectionMetrics(),
                Member.of("ClientRequestToken", Shape.TEXT, minLength(1), maxLength(36)),
                Member.of("TransactItems", new Shape.ListOf(struct("TransactWriteItem",
                        Member.of("Put", struct("Put", tableName(), expressionAttributeValues(), expressionAttributeNames(),
                                returnValuesOnConditionCheckFailure(), text("ConditionExpression"),
                                Member.of("Item", ITEM, notNull()))),
                        Member.of("Update", struct("Update", tableName(), expressionAttributeValues(), expressionAttributeNames(),
                                returnValuesOnConditionCheckFailure(), text("ConditionExpression"),
                                Member.of("Key", ITEM, notNull()), Member.of("UpdateExpression", Shape.TEXT, notNull()))),
                        Member.of("Delete", struct("Delete", tableName(), expressionAttributeValues(), expressionAttributeNames(),
                                returnValuesOnConditionCheckFailure(), text("ConditionExpression"),
                                Member.of("Key", ITEM, notNull()))),
                        Member.of("ConditionCheck", struct("ConditionCheck", tableName(), expressionAttributeValues(),
                                expressionAttributeNames(), returnValuesOnConditionCheckFailure(),
                                Member.of("ConditionExpression", Shape.TEXT, notNull()), Member.of("Key", ITEM, notNull()))))),
                        notNull(), minLength(1), maxLength(100))));
        m.put(Operation.CreateTable, struct("CreateTableInput",
                attributeDefinitions(true), tableName(), throughput(false), keySchema(),
                Member.of("LocalSecondaryIndexes", new Shape.ListOf(struct("LocalSecondaryIndex",
                        projection(), requiredIndexName(), keySchema()))),
                Member.of("GlobalSecondaryIndexes", new Shape.ListOf(struct("GlobalSecondaryIndex",
                        projection(), requiredIndexName(), throughput(false), globalIndexKeySchema()))),
                streamSpecification(), billingMode(), sseSpecification(), tags(),
                Member.of("TableClass", Shape.TEXT, oneOf("STANDARD", "STANDARD_INFREQUENT_ACCESS")),
                flag("DeletionProtectionEnabled"), text("ResourcePolicy")));
        m.put(Operation.UpdateTable, struct("UpdateTableInput",
                tableName(), throughput(false),
                Member.of("GlobalSecondaryIndexUpdates", new Shape.ListOf(struct("GlobalSecondaryIndexUpdate",
                        Member.of("Update", struct("UpdateGlobalSecondaryIndexAction", requiredIndexName(), throughput(false))),
                        Member.of("Create", struct("CreateGlobalSecondaryIndexAction",
                                projection(), requiredIndexName(), throughput(false), globalIndexKeySchema())),
                        Member.of("Delete", struct("DeleteGlobalSecondaryIndexAction", requiredIndexName()))))),
                attributeDefinitions(false), billingMode(), streamSpecification(), sseSpecification(),
                replicaUpdates(),
                Member.of("TableClass", Shape.TEXT, oneOf("STANDARD", "STANDARD_INFREQUENT_ACCESS")),
                flag("DeletionProtectionEnabled")));
        m.put(Operation.DescribeTable, struct("DescribeTableInput", tableName()));
        m.put(Operation.DeleteTable, struct("DeleteTableInput", tableName()));
        m.put(Operation.ListTables, struct("ListTablesInput",
                Member.of("Limit", Shape.INTEGER, min(1), max(100)),
                Member.of("ExclusiveStartTableName", Shape.TEXT, pattern(NAME_PATTERN), minLength(3), maxLength(255))));
        m.put(Operation.DescribeTimeToLive, struct("DescribeTimeToLiveInput", tableName()));
        m.put(Operation.UpdateTimeToLive, struct("UpdateTimeToLiveInput",
                tableName(),
                Member.of("TimeToLiveSpecification", struct("TimeToLiveSpecification",
                        Member.of("AttributeName", Shape.TEXT, notNull(), minLength(1), maxLength(255)),
                        Member.of("Enabled", Shape.FLAG, notNull())), notNull())));
        m.put(Operation.TagResource, struct("TagResourceInput", resourceArn(), tags(notNull())));
        m.put(Operation.UntagResource, struct("UntagResourceInput", resourceArn(), Member.of("TagKeys", TEXTS, notNull())));
        m.put(Operation.ListTagsOfResource, struct("ListTagsOfResourceInput", resourceArn(), text("NextToken")));
        // DynamoDB Streams, served on the same endpoint
        m.put(Operation.ListStreams, struct("ListStreamsInput",
                Member.of("Limit", Shape.INTEGER, min(1), max(100)),
                Member.of("TableName", Shape.TEXT, pattern(NAME_PATTERN), minLength(3), maxLength(255)),
                text("ExclusiveStartStreamArn")));
        m.put(Operation.DescribeStream, struct("DescribeStreamInput",
                streamArn(), Member.of("Limit", Shape.INTEGER, min(1), max(100)), shardId(false)));
        m.put(Operation.GetShardIterator, struct("GetShardIteratorInput",
                streamArn(), shardId(true),
                Member.of("ShardIteratorType", Shape.TEXT, notNull(),
                        oneOf("TRIM_HORIZON", "LATEST", "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER")),
                Member.of("SequenceNumber", Shape.TEXT, minLength(21), maxLength(40))));
        // a Limit above 1,000 is no constraint violation: DynamoDB Streams answers LimitExceededException (the operation's)
        m.put(Operation.GetRecords, struct("GetRecordsInput",
                Member.of("ShardIterator", Shape.TEXT, notNull(), minLength(1), maxLength(2048)),
                Member.of("Limit", Shape.INTEGER, min(1))));
        return m;
    }
}
