package dev.weir.proxy.enforce.request;

import dev.weir.protocol.model.Operation;
import dev.weir.proxy.enforce.stream.IteratorSeal;
import dev.weir.proxy.enforce.stream.SealedIterator;
import dev.weir.proxy.enforce.stream.StreamArn;
import dev.weir.proxy.enforce.verdict.Refusals;
import dev.weir.proxy.upstream.UpstreamAccount;

/**
 * Makes the tables a request names canonical before anything is decided: a table ARN of the
 * upstream's region and account becomes the table's name, so a policy written for
 * {@code people} holds for {@code arn:aws:dynamodb:us-east-1:000000000000:table/people} too.
 * An ARN of another region or account names a table weir does not guard (refused as
 * forbidden); any other ARN (an index's, another service's, a malformed one) is refused as
 * invalid. A plain name is taken as it is: the store judges whether it is a valid name.
 */
final class TableNames {
    private final UpstreamAccount account;
    private final String principal;
    private final Operation operation;

    TableNames(UpstreamAccount account, String principal, Operation operation) {
        this.account = account;
        this.principal = principal;
        this.operation = operation;
    }

    /**
     * The table's name.
     *
     * @param asSent the table name or ARN as the client wrote it
     * @param member where the client wrote it, for the error message ({@code TableName}, {@code RequestItems})
     */
    String canonical(String asSent, String member) {
        if (!TableArn.isArn(asSent)) return asSent;
        TableArn arn = TableArn.parse(asSent);
        if (arn == null) {
            throw Refusals.invalid("Invalid " + member + ": '" + asSent + "' is neither a table name nor the ARN of a table "
                    + "(arn:PARTITION:dynamodb:REGION:ACCOUNT:table/NAME)");
        }
        if (!arn.region().equals(account.region()) || !arn.account().equals(account.accountId())) {
            throw Refusals.of(principal, operation, arn.table()).forbidden("the ARN names a table of account " + arn.account()
                    + " in region " + arn.region() + ", and weir guards the tables of account " + account.accountId()
                    + " in region " + account.region());
        }
        return arn.table();
    }

    /**
     * The table a Streams request reads (canonical): ListStreams' {@code TableName} (none: null,
     * the caller's tables are decided one by one), the table of a DescribeStream's or
     * GetShardIterator's {@code StreamArn} (its region and account must be the upstream's), the
     * table sealed into a GetRecords' {@code ShardIterator} (an iterator weir did not make is
     * DynamoDB's {@code ValidationException}: weir hands out no other).
     */
    String ofStreamRequest(com.fasterxml.jackson.databind.JsonNode body, IteratorSeal seal) {
        switch (operation) {
            case ListStreams -> {
                com.fasterxml.jackson.databind.JsonNode t = body.get("TableName");
                if (t == null || t.isNull()) return null;
                if (!t.isTextual()) throw Refusals.invalid(dev.weir.protocol.error.DynamoError.serialization(
                        "Unexpected value type in payload"));
                return canonical(t.textValue(), "TableName");
            }
            case DescribeStream, GetShardIterator -> {
                com.fasterxml.jackson.databind.JsonNode a = body.get("StreamArn");
                if (a == null || a.isNull()) {
                    throw Refusals.invalid("1 validation error detected: Value null at 'streamArn' failed to satisfy constraint: "
                            + "Member must not be null");
                }
                StreamArn arn = a.isTextual() ? StreamArn.parse(a.textValue()) : null;
                if (arn == null) {
                    throw Refusals.invalid(dev.weir.protocol.error.DynamoError.invalidStreamArn()); // as the store and DynamoDB answer it
                }
                if (!arn.region().equals(account.region()) || !arn.account().equals(account.accountId())) {
                    throw Refusals.of(principal, operation, arn.table()).forbidden("the ARN names a stream of account "
                            + arn.account() + " in region " + arn.region() + ", and weir guards the tables of account "
                            + account.accountId() + " in region " + account.region());
                }
                return arn.table();
            }
            case GetRecords -> {
                com.fasterxml.jackson.databind.JsonNode i = body.get("ShardIterator");
                if (i == null || i.isNull()) {
                    throw Refusals.invalid("1 validation error detected: Value null at 'shardIterator' failed to satisfy "
                            + "constraint: Member must not be null");
                }
                return seal.unseal(i.isTextual() ? i.textValue() : null).map(SealedIterator::table)
                        .orElseThrow(() -> Refusals.invalid("Invalid ShardIterator"));
            }
            default -> throw new IllegalArgumentException(operation + " is not a Streams operation");
        }
    }

    /** The table a tag operation's ResourceArn names; it must be a table ARN of the upstream's account. */
    String ofResourceArn(String arn) {
        if (!TableArn.isArn(arn)) {
            throw Refusals.invalid("Invalid ResourceArn: '" + arn + "' is not the ARN of a table "
                    + "(arn:PARTITION:dynamodb:REGION:ACCOUNT:table/NAME)");
        }
        return canonical(arn, "ResourceArn");
    }
}
