package dev.weir.proxy.identity;

import dev.weir.protocol.error.DynamoError;
import dev.weir.protocol.sigv4.HttpRequestView;
import dev.weir.protocol.sigv4.SigV4Verifier;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Identifies the caller of a request from its AWS Signature V4, against the current
 * principal directory. No valid signature, no identity.
 */
public final class Identifier {
    /** Either a principal or the error to send. */
    public sealed interface Identity permits Known, Unknown {}

    public record Known(Principal principal) implements Identity {}

    public record Unknown(DynamoError error, String accessKeyId) implements Identity {}

    private final AtomicReference<PrincipalDirectory> directory;
    private final SigV4Verifier verifier;

    public Identifier(PrincipalDirectory initial, Clock clock) {
        this.directory = new AtomicReference<>(initial);
        this.verifier = new SigV4Verifier(key -> {
            Principal p = directory.get().byAccessKey(key);
            return p == null ? null : p.secretAccessKey();
        }, "dynamodb", clock);
    }

    /** Publishes a new principal directory; requests after this see only the new one. */
    public void publish(PrincipalDirectory next) {
        directory.set(next);
    }

    public Identity identify(HttpRequestView request) {
        return switch (verifier.verify(request)) {
            case SigV4Verifier.Verified v -> {
                Principal p = directory.get().byAccessKey(v.accessKeyId());
                yield p != null ? new Known(p) : new Unknown(DynamoError.unrecognizedClient(), v.accessKeyId());
            }
            case SigV4Verifier.Failed f -> new Unknown(f.error(), f.accessKeyId());
        };
    }
}
