package dev.weir.protocol.model;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Every DynamoDB operation, named as in the API, with the group policies can name it by
 * ({@code read}, {@code write}, {@code delete}, {@code admin}), and the API whose target
 * prefix names it: DynamoDB's, or DynamoDB Streams' (the four stream operations, each a read
 * of the stream's table).
 */
public enum Operation {
    GetItem(Group.READ), BatchGetItem(Group.READ), Query(Group.READ), Scan(Group.READ),
    TransactGetItems(Group.READ),
    PutItem(Group.WRITE), UpdateItem(Group.WRITE), BatchWriteItem(Group.WRITE),
    TransactWriteItems(Group.WRITE),
    DeleteItem(Group.DELETE),
    CreateTable(Group.ADMIN), DeleteTable(Group.ADMIN), UpdateTable(Group.ADMIN),
    DescribeTable(Group.ADMIN), ListTables(Group.ADMIN),
    UpdateTimeToLive(Group.ADMIN), DescribeTimeToLive(Group.ADMIN),
    TagResource(Group.ADMIN), UntagResource(Group.ADMIN), ListTagsOfResource(Group.ADMIN),
    DescribeEndpoints(Group.ADMIN), DescribeLimits(Group.ADMIN),
    ListStreams(Group.READ, Api.STREAMS), DescribeStream(Group.READ, Api.STREAMS),
    GetShardIterator(Group.READ, Api.STREAMS), GetRecords(Group.READ, Api.STREAMS);

    /** The API an operation belongs to: its {@code X-Amz-Target} prefix. */
    public enum Api {
        DYNAMODB("DynamoDB_20120810."), STREAMS("DynamoDBStreams_20120810.");

        private final String prefix;

        Api(String prefix) {
            this.prefix = prefix;
        }

        public String prefix() {
            return prefix;
        }
    }

    /** The groups a policy may name instead of listing operations one by one. */
    public enum Group {
        READ, WRITE, DELETE, ADMIN;

        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final Map<String, Operation> BY_NAME = new HashMap<>();

    static {
        for (Operation op : values()) BY_NAME.put(op.name(), op);
    }

    private final Group group;
    private final Api api;

    Operation(Group group) {
        this(group, Api.DYNAMODB);
    }

    Operation(Group group, Api api) {
        this.group = group;
        this.api = api;
    }

    public Api api() {
        return api;
    }

    /** True for the DynamoDB Streams operations. */
    public boolean isStream() {
        return api == Api.STREAMS;
    }

    public Group group() {
        return group;
    }

    /** The operation of that exact API name, or null. */
    public static Operation byName(String name) {
        return BY_NAME.get(name);
    }
}
