package dev.weir.proxy.enforce.request;

import dev.weir.protocol.model.Operation;
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

    /** The table a tag operation's ResourceArn names; it must be a table ARN of the upstream's account. */
    String ofResourceArn(String arn) {
        if (!TableArn.isArn(arn)) {
            throw Refusals.invalid("Invalid ResourceArn: '" + arn + "' is not the ARN of a table "
                    + "(arn:PARTITION:dynamodb:REGION:ACCOUNT:table/NAME)");
        }
        return canonical(arn, "ResourceArn");
    }
}
