package dev.weir.store.api.validate;

import java.util.List;

import static dev.weir.store.api.validate.Constraint.maxLength;
import static dev.weir.store.api.validate.Constraint.min;
import static dev.weir.store.api.validate.Constraint.minLength;
import static dev.weir.store.api.validate.Constraint.notNull;
import static dev.weir.store.api.validate.Constraint.oneOf;
import static dev.weir.store.api.validate.Constraint.pattern;

/**
 * The structures several operations share (AttributeValue, conditions, key schemas,
 * throughput) and the constraints DynamoDB's model puts on common members. Orders follow
 * DynamoDB's answers as dynalite's tests record them.
 */
final class Shapes {
    private Shapes() {}

    static final String NAME_PATTERN = "[a-zA-Z0-9_.-]+";
    static final String[] COMPARISON_OPERATORS = {"IN", "NULL", "BETWEEN", "LT", "NOT_CONTAINS", "EQ", "GT", "NOT_NULL",
            "NE", "LE", "BEGINS_WITH", "GE", "CONTAINS"};

    /** An AttributeValue: only its members' JSON types are checked here; its meaning is checked where it is read. */
    static final Shape.Struct ATTRIBUTE_VALUE = new Shape.Struct("AttributeValue", Shapes::attributeValueMembers);
    private static volatile List<Member> attributeValueMembers;

    private static List<Member> attributeValueMembers() {
        List<Member> m = attributeValueMembers;
        if (m == null) {
            m = List.of(
                    Member.of("S", Shape.TEXT),
                    Member.of("N", Shape.TEXT),
                    Member.of("B", Shape.BYTES),
                    Member.of("SS", new Shape.ListOf(Shape.TEXT)),
                    Member.of("NS", new Shape.ListOf(Shape.TEXT)),
                    Member.of("BS", new Shape.ListOf(Shape.BYTES)),
                    Member.of("M", new Shape.MapOf(ATTRIBUTE_VALUE)),
                    Member.of("L", new Shape.ListOf(ATTRIBUTE_VALUE)),
                    Member.of("NULL", Shape.FLAG),
                    Member.of("BOOL", Shape.FLAG));
            attributeValueMembers = m;
        }
        return m;
    }

    static final Shape.MapOf ITEM = new Shape.MapOf(ATTRIBUTE_VALUE);
    static final Shape.MapOf NAMES = new Shape.MapOf(Shape.TEXT);
    static final Shape.ListOf TEXTS = new Shape.ListOf(Shape.TEXT);

    static Shape.Struct struct(String name, Member... members) {
        List<Member> list = List.of(members);
        return new Shape.Struct(name, () -> list);
    }

    // --- members

    static Member tableName() {
        return Member.of("TableName", Shape.TEXT, notNull(), pattern(NAME_PATTERN), minLength(3), maxLength(255));
    }

    static Member indexName() {
        return Member.of("IndexName", Shape.TEXT, pattern(NAME_PATTERN), minLength(3), maxLength(255));
    }

    static Member requiredIndexName() {
        return Member.of("IndexName", Shape.TEXT, notNull(), pattern(NAME_PATTERN), minLength(3), maxLength(255));
    }

    static Member returnConsumedCapacity() {
        return Member.of("ReturnConsumedCapacity", Shape.TEXT, oneOf("INDEXES", "TOTAL", "NONE"));
    }

    static Member returnItemCollectionMetrics() {
        return Member.of("ReturnItemCollectionMetrics", Shape.TEXT, oneOf("SIZE", "NONE"));
    }

    static Member returnValues() {
        return Member.of("ReturnValues", Shape.TEXT, oneOf("ALL_NEW", "UPDATED_OLD", "ALL_OLD", "NONE", "UPDATED_NEW"));
    }

    static Member returnValuesOnConditionCheckFailure() {
        return Member.of("ReturnValuesOnConditionCheckFailure", Shape.TEXT, oneOf("ALL_OLD", "NONE"));
    }

    static Member attributesToGet() {
        return Member.of("AttributesToGet", TEXTS, minLength(1), maxLength(255));
    }

    static Member conditionalOperator() {
        return Member.of("ConditionalOperator", Shape.TEXT, oneOf("OR", "AND"));
    }

    static Member expressionAttributeValues() {
        return Member.of("ExpressionAttributeValues", ITEM);
    }

    static Member expressionAttributeNames() {
        return Member.of("ExpressionAttributeNames", NAMES);
    }

    static Member text(String name) {
        return Member.of(name, Shape.TEXT);
    }

    static Member flag(String name) {
        return Member.of(name, Shape.FLAG);
    }

    /** Expected: the legacy condition of PutItem, UpdateItem and DeleteItem. */
    static Member expected() {
        return Member.of("Expected", new Shape.MapOf(struct("ExpectedAttributeValue",
                Member.of("AttributeValueList", new Shape.ListOf(ATTRIBUTE_VALUE)),
                Member.of("ComparisonOperator", Shape.TEXT, oneOf(COMPARISON_OPERATORS)),
                flag("Exists"),
                Member.of("Value", ATTRIBUTE_VALUE))));
    }

    /** KeyConditions, QueryFilter, ScanFilter: maps of Condition. */
    static Member conditions(String name) {
        return Member.of(name, new Shape.MapOf(struct("Condition",
                Member.of("AttributeValueList", new Shape.ListOf(ATTRIBUTE_VALUE)),
                Member.of("ComparisonOperator", Shape.TEXT, notNull(), oneOf(COMPARISON_OPERATORS)))));
    }

    static Member throughput(boolean required) {
        Shape.Struct s = struct("ProvisionedThroughput",
                Member.of("WriteCapacityUnits", Shape.LONG, notNull(), min(1)),
                Member.of("ReadCapacityUnits", Shape.LONG, notNull(), min(1)));
        return required ? Member.of("ProvisionedThroughput", s, notNull()) : Member.of("ProvisionedThroughput", s);
    }

    static Member keySchema() {
        return Member.of("KeySchema", new Shape.ListOf(struct("KeySchemaElement",
                Member.of("AttributeName", Shape.TEXT, notNull(), minLength(1), maxLength(255)),
                Member.of("KeyType", Shape.TEXT, notNull(), oneOf("HASH", "RANGE")))), notNull(), minLength(1), maxLength(2));
    }

    /**
     * A global index's KeySchema: as {@link #keySchema()} without its most of 2, since a global
     * index may have up to four partition and four sort attributes (DynamoDB's API reference
     * gives CreateGlobalSecondaryIndexAction's KeySchema only a least of 1); more than four of
     * either is refused after the member constraints (store/table/IndexRequests).
     */
    static Member globalIndexKeySchema() {
        return Member.of("KeySchema", new Shape.ListOf(struct("KeySchemaElement",
                Member.of("AttributeName", Shape.TEXT, notNull(), minLength(1), maxLength(255)),
                Member.of("KeyType", Shape.TEXT, notNull(), oneOf("HASH", "RANGE")))), notNull(), minLength(1));
    }

    static Member projection() {
        return Member.of("Projection", struct("Projection",
                Member.of("ProjectionType", Shape.TEXT, oneOf("ALL", "INCLUDE", "KEYS_ONLY")),
                Member.of("NonKeyAttributes", TEXTS, minLength(1), maxLength(20))), notNull());
    }

    static Member attributeDefinitions(boolean required) {
        Shape.ListOf list = new Shape.ListOf(struct("AttributeDefinition",
                Member.of("AttributeName", Shape.TEXT, notNull(), minLength(1), maxLength(255)),
                Member.of("AttributeType", Shape.TEXT, notNull(), oneOf("B", "N", "S"))));
        return required ? Member.of("AttributeDefinitions", list, notNull()) : Member.of("AttributeDefinitions", list);
    }

    static Member billingMode() {
        return Member.of("BillingMode", Shape.TEXT, oneOf("PROVISIONED", "PAY_PER_REQUEST"));
    }

    /**
     * StreamSpecification (CreateTable, UpdateTable): StreamEnabled required, the view type one
     * of DynamoDB's four, in the order its message lists them (the API reference's). Whether a view type goes with
     * the flag is the operation's check (it relates the two members).
     */
    static Member streamSpecification() {
        return Member.of("StreamSpecification", struct("StreamSpecification",
                Member.of("StreamEnabled", Shape.FLAG, notNull()),
                Member.of("StreamViewType", Shape.TEXT, oneOf("NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY"))));
    }

    /**
     * SSESpecification: SSEType one of the API reference's values. The reference puts no
     * length on KMSMasterKeyId; the operation keeps its own bound (1 to 2,048).
     */
    static Member sseSpecification() {
        return Member.of("SSESpecification", struct("SSESpecification",
                flag("Enabled"), Member.of("SSEType", Shape.TEXT, oneOf("AES256", "KMS")), text("KMSMasterKeyId")));
    }

    /** Tags (CreateTable, TagResource): each Key of 1 to 128 characters, each Value of at most 256, both required. */
    static Member tags(Constraint... listConstraints) {
        return Member.of("Tags", new Shape.ListOf(struct("Tag",
                Member.of("Key", Shape.TEXT, notNull(), minLength(1), maxLength(128)),
                Member.of("Value", Shape.TEXT, notNull(), maxLength(256)))), listConstraints);
    }

    /** A table ARN of the tag operations (ResourceArn): required, 1 to 1,283 characters. */
    static Member resourceArn() {
        return Member.of("ResourceArn", Shape.TEXT, notNull(), minLength(1), maxLength(1283));
    }

    /**
     * ReplicaUpdates (UpdateTable): at least one, each action naming its RegionName. The store
     * keeps no replicas and refuses a well-formed request afterwards; its cap of 50 updates, on
     * which the API reference is silent, stays the operation's.
     */
    static Member replicaUpdates() {
        return Member.of("ReplicaUpdates", new Shape.ListOf(struct("ReplicationGroupUpdate",
                Member.of("Create", struct("CreateReplicationGroupMemberAction", Member.of("RegionName", Shape.TEXT, notNull()),
                        text("KMSMasterKeyId"), text("TableClassOverride"))),
                Member.of("Update", struct("UpdateReplicationGroupMemberAction", Member.of("RegionName", Shape.TEXT, notNull()),
                        text("KMSMasterKeyId"), text("TableClassOverride"))),
                Member.of("Delete", struct("DeleteReplicationGroupMemberAction", Member.of("RegionName", Shape.TEXT, notNull()))))),
                minLength(1));
    }

    // --- DynamoDB Streams: the API reference's constraints, in the order the store has always checked them

    /** A StreamArn: required; DynamoDB Streams answers "Invalid StreamArn" for any text that is no stream's ARN, short or not. */
    static Member streamArn() {
        return Member.of("StreamArn", Shape.TEXT, notNull());
    }

    static Member shardId(boolean required) {
        return required ? Member.of("ShardId", Shape.TEXT, notNull(), minLength(28), maxLength(65))
                : Member.of("ExclusiveStartShardId", Shape.TEXT, minLength(28), maxLength(65));
    }
}
