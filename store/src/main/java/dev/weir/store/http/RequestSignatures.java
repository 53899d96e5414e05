package dev.weir.store.http;

import dev.weir.protocol.error.DynamoError;
import dev.weir.protocol.sigv4.Credentials;
import dev.weir.protocol.sigv4.HttpRequestView;
import dev.weir.protocol.sigv4.SigV4Verifier;

import java.time.Clock;

/**
 * Which requests the store answers: those signed (SigV4, as DynamoDB verifies it) with the one
 * key pair it was given, weir's upstream credentials. An unsigned request gets
 * MissingAuthenticationTokenException, another key UnrecognizedClientException, a wrong
 * signature (wrong secret, changed body, changed target) InvalidSignatureException, exactly
 * as from DynamoDB. Signatures are checked against the real time, whatever clock decides
 * item expiry.
 */
public final class RequestSignatures {
    private final SigV4Verifier verifier;

    public RequestSignatures(Credentials credentials) {
        this(credentials, Clock.systemUTC());
    }

    RequestSignatures(Credentials credentials, Clock clock) {
        String keyId = credentials.accessKeyId(), secret = credentials.secretAccessKey();
        this.verifier = new SigV4Verifier(key -> keyId.equals(key) ? secret : null, "dynamodb", clock);
    }

    /**
     * Null when the request is signed with the store's credentials, else the error to answer.
     * Never throws: a request the verifier cannot even read is refused like a bad signature
     * (an exception here would leave the caller's connection without an answer).
     */
    public DynamoError check(HttpRequestView request) {
        try {
            return switch (verifier.verify(request)) {
                case SigV4Verifier.Verified v -> null;
                case SigV4Verifier.Failed f -> f.error();
            };
        } catch (RuntimeException e) {
            return DynamoError.invalidSignature();
        }
    }
}
