package dev.weir.protocol.sigv4;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * TEST ORACLE, not production code: SigV4Signer as it was before issue 16's byte-level rewrite
 * (commit 2e70423), kept verbatim but for its name, so that the differential tests
 * ({@code SigV4DifferentialTest}) can check that every decision, error text and signature of
 * the rewrite is the same.
 */
/* Signs outgoing requests (the proxy's own upstream credentials) with SigV4 in header form. */
final class ReferenceSigV4Signer {
    private final Credentials credentials;
    private final String region;
    private final String service;
    /** The signing key of the last date signed for: it changes once a day, deriving it costs four HMACs. */
    private volatile DatedKey key;

    private record DatedKey(String date, byte[] key) {}

    /** The X-Amz-Date of the last second signed in: requests in the same second share it. */
    private volatile Stamp stamp;

    private record Stamp(long epochSecond, String amzDate) {}

    ReferenceSigV4Signer(Credentials credentials, String region, String service) {
        this.credentials = credentials;
        this.region = region;
        this.service = service;
    }

    /**
     * Returns the headers to add to a request: {@code X-Amz-Date} and {@code Authorization}.
     * {@code headers} must already hold every header to sign (host among them); all of them
     * are signed.
     */
    public List<Map.Entry<String, String>> sign(String method, String rawPath, List<Map.Entry<String, String>> headers,
                                                byte[] body, Instant now) {
        String amzDate = amzDate(now);
        List<Map.Entry<String, String>> all = new ArrayList<>(headers);
        all.add(Map.entry("X-Amz-Date", amzDate));
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, String> h : all) {
            String n = h.getKey().toLowerCase(Locale.ROOT);
            if (!names.contains(n)) names.add(n);
        }
        names.sort(null);
        HttpRequestView view = new HttpRequestView(method, rawPath, "", all, body);
        return headers(amzDate, String.join(";", names), ReferenceSigV4.canonicalRequest(view, names, ReferenceSigV4.sha256Hex(body), false));
    }

    /**
     * As {@link #sign}, for the one shape of request weir sends its store: a {@code POST} of
     * {@code rawPath} whose signed headers are exactly Content-Type, Host and X-Amz-Target (and
     * the X-Amz-Date this adds). The canonical request is written straight from the values, not
     * found by sorting and lower-casing a list of headers: the same signature, for a fraction
     * of the work (SigV4SignerTest compares the two).
     */
    public List<Map.Entry<String, String>> signPost(String rawPath, String host, String contentType, String target, byte[] body,
                                                    Instant now) {
        return signPost(rawPath, host, contentType, target, body, null, now);
    }

    /**
     * As {@link #signPost(String, String, String, String, byte[], Instant)}, with the body's SHA-256
     * (hex) when the caller has it already (null: computed here).
     */
    public List<Map.Entry<String, String>> signPost(String rawPath, String host, String contentType, String target, byte[] body,
                                                    String payloadHash, Instant now) {
        String amzDate = amzDate(now);
        StringBuilder canonical = new StringBuilder(256);
        canonical.append("POST\n").append(ReferenceSigV4.canonicalUri(rawPath)).append("\n\ncontent-type:");
        ReferenceSigV4.appendCanonicalValue(canonical, contentType);
        canonical.append("\nhost:");
        ReferenceSigV4.appendCanonicalValue(canonical, host);
        canonical.append("\nx-amz-date:").append(amzDate).append("\nx-amz-target:");
        ReferenceSigV4.appendCanonicalValue(canonical, target);
        canonical.append("\n\n").append(POST_SIGNED_HEADERS).append('\n')
                .append(payloadHash != null ? payloadHash : ReferenceSigV4.sha256Hex(body));
        return headers(amzDate, POST_SIGNED_HEADERS, canonical.toString());
    }

    /** The X-Amz-Date of {@code now}, made once per second. */
    private String amzDate(Instant now) {
        Stamp st = stamp;
        if (st == null || st.epochSecond() != now.getEpochSecond()) {
            st = new Stamp(now.getEpochSecond(), ReferenceSigV4.formatAmzDate(now));
            stamp = st;
        }
        return st.amzDate();
    }

    /** X-Amz-Date and the Authorization that signs {@code canonical} (whose signed headers are {@code signedHeaders}). */
    private List<Map.Entry<String, String>> headers(String amzDate, String signedHeaders, String canonical) {
        String date = amzDate.substring(0, 8);
        String scope = date + '/' + region + '/' + service + '/' + ReferenceSigV4.TERMINATOR;
        String sig = ReferenceSigV4.signature(signingKey(date), ReferenceSigV4.stringToSign(amzDate, scope, canonical));
        String auth = ReferenceSigV4.ALGORITHM + " Credential=" + credentials.accessKeyId() + '/' + scope
                + ", SignedHeaders=" + signedHeaders + ", Signature=" + sig;
        return List.of(Map.entry("X-Amz-Date", amzDate), Map.entry("Authorization", auth));
    }

    private static final String POST_SIGNED_HEADERS = "content-type;host;x-amz-date;x-amz-target";

    private byte[] signingKey(String date) {
        DatedKey k = key;
        if (k == null || !k.date().equals(date)) {
            k = new DatedKey(date, ReferenceSigV4.signingKey(credentials.secretAccessKey(), date, region, service));
            key = k;
        }
        return k.key();
    }
}
