package dev.weir.bench.load;

import dev.weir.protocol.sigv4.Credentials;

/** A DynamoDB-API server the load goes to, and the key pair its requests are signed with. */
public record Endpoint(String name, String host, int port, Credentials credentials) {
    /** The value of the {@code Host} header (and of the signed {@code host} header). */
    public String hostHeader() {
        return host + ':' + port;
    }

    @Override public String toString() {
        return name + " (" + hostHeader() + ")";
    }
}
