package dev.weir.proxy.identity;

import dev.weir.protocol.error.DynamoError;
import dev.weir.protocol.sigv4.HttpRequestView;
import dev.weir.protocol.sigv4.SigV4Verifier;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Identifies the caller of a request from its AWS Signature V4, against the current
 * principal directory. No valid signature, no identity.
 */
public final class Identifier {
    /** Either a principal or the error to send. */
    public sealed interface Identity permits Known, Unknown {}

    /**
     * An identified caller; {@code payloadHash} is the SHA-256 (hex) of the body its signature
     * covers (null when a certificate alone identified it), for signing the same body anew.
     */
    public record Known(Principal principal, String payloadHash) implements Identity {
        public Known(Principal principal) {
            this(principal, null);
        }
    }

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

    /**
     * Identifies the caller. A verified client certificate that the principals file maps to
     * a principal (one of its names equal, type and value, to the principal's
     * {@code tls_identity}) identifies it; a request that is also signed must then be signed
     * by that same principal. A certificate that names two principals identifies neither and
     * is refused. Without a mapped certificate, the SigV4 signature decides alone.
     */
    public Identity identify(HttpRequestView request, TlsPeer peer) {
        PrincipalDirectory dir = directory.get();
        List<Principal> named = dir.byTlsPeer(peer);
        if (named.size() > 1) {
            return new Unknown(DynamoError.accessDenied("The TLS client certificate names more than one principal"), null);
        }
        Principal byCertificate = named.isEmpty() ? null : named.getFirst();
        if (byCertificate != null && !signed(request)) return new Known(byCertificate);
        return switch (verifier.verify(request)) {
            case SigV4Verifier.Verified v -> {
                Principal p = dir.byAccessKey(v.accessKeyId());
                if (p == null) yield new Unknown(DynamoError.unrecognizedClient(), v.accessKeyId());
                if (byCertificate != null && !byCertificate.name().equals(p.name())) {
                    yield new Unknown(DynamoError.accessDenied("The request is signed by a different principal than "
                            + "the one its TLS client certificate identifies"), v.accessKeyId());
                }
                yield new Known(p, v.payloadHash());
            }
            case SigV4Verifier.Failed f -> new Unknown(f.error(), f.accessKeyId());
        };
    }

    private static boolean signed(HttpRequestView request) {
        return request.header("Authorization") != null
                || (request.rawQuery() != null && request.rawQuery().contains("X-Amz-Signature="));
    }
}
