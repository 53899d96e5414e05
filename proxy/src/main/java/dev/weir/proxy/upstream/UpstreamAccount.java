package dev.weir.proxy.upstream;

import java.util.Objects;

/**
 * The region and account of the upstream's tables. A request may name a table by its ARN;
 * weir serves only ARNs of this region and account (any other names a table weir does not
 * guard). The bundled store's tables live in {@link #DEFAULT}.
 */
public record UpstreamAccount(String region, String accountId) {
    /** The bundled store's region and account ({@code arn:aws:dynamodb:us-east-1:000000000000:table/NAME}). */
    public static final UpstreamAccount DEFAULT = new UpstreamAccount("us-east-1", "000000000000");

    public UpstreamAccount {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(accountId, "accountId");
    }
}
