package dev.weir.protocol.sigv4;

/** An AWS access key pair. {@link #toString()} never shows the secret. */
public record Credentials(String accessKeyId, String secretAccessKey) {
    @Override public String toString() {
        return "Credentials[" + accessKeyId + "]";
    }
}
