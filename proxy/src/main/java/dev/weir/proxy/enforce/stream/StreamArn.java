package dev.weir.proxy.enforce.stream;

import java.util.regex.Pattern;

/**
 * A stream's ARN, {@code arn:PARTITION:dynamodb:REGION:ACCOUNT:table/NAME/stream/LABEL}: the
 * stream belongs to the table it names, and every decision on the stream is a decision on
 * that table. Made canonical like a table ARN: the table name is taken from it, and its region
 * and account must be the upstream's (checked by the caller of {@link #parse}).
 */
public record StreamArn(String partition, String region, String account, String table, String label) {
    private static final Pattern WORD = Pattern.compile("[a-z0-9-]+");
    private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");
    /** DynamoDB's rule for table names. */
    private static final Pattern TABLE = Pattern.compile("[a-zA-Z0-9_.-]{3,255}");
    /** A stream label: DynamoDB's are ISO-8601 times ({@code 2026-12-06T12:00:00.000}); any short printable word is taken. */
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9:._-]{1,64}");

    /** The stream ARN the text spells, or null when it is not one. */
    public static StreamArn parse(String text) {
        if (text == null) return null;
        String[] p = text.split(":", 6);
        if (p.length != 6 || !p[0].equals("arn") || !WORD.matcher(p[1]).matches() || !p[2].equals("dynamodb")
                || !WORD.matcher(p[3]).matches() || !ACCOUNT.matcher(p[4]).matches() || !p[5].startsWith("table/")) {
            return null;
        }
        String[] r = p[5].split("/", -1);
        if (r.length != 4 || !r[0].equals("table") || !r[2].equals("stream")) return null;
        if (!TABLE.matcher(r[1]).matches() || !LABEL.matcher(r[3]).matches()) return null;
        return new StreamArn(p[1], p[3], p[4], r[1], r[3]);
    }

    @Override public String toString() {
        return "arn:" + partition + ":dynamodb:" + region + ":" + account + ":table/" + table + "/stream/" + label;
    }
}
