package dev.weir.proxy.enforce.request;

import java.util.regex.Pattern;

/**
 * A table's ARN, {@code arn:PARTITION:dynamodb:REGION:ACCOUNT:table/NAME}, which DynamoDB
 * accepts wherever a table name goes. Anything else that starts with {@code arn:} (an
 * index's or a stream's ARN, another service's, a malformed one) is not a table ARN.
 */
public record TableArn(String partition, String region, String account, String table) {
    private static final Pattern WORD = Pattern.compile("[a-z0-9-]+");
    private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");
    /** DynamoDB's rule for table names. */
    private static final Pattern TABLE = Pattern.compile("[a-zA-Z0-9_.-]{3,255}");

    /** Whether the text claims to be an ARN (and so must be a table ARN to be served). */
    public static boolean isArn(String text) {
        return text.startsWith("arn:");
    }

    /** The table ARN the text spells, or null when it is not one. */
    public static TableArn parse(String text) {
        String[] p = text.split(":", 6);
        if (p.length != 6 || !p[0].equals("arn") || !WORD.matcher(p[1]).matches() || !p[2].equals("dynamodb")
                || !WORD.matcher(p[3]).matches() || !ACCOUNT.matcher(p[4]).matches() || !p[5].startsWith("table/")) {
            return null;
        }
        String name = p[5].substring("table/".length());
        return TABLE.matcher(name).matches() ? new TableArn(p[1], p[3], p[4], name) : null;
    }
}
