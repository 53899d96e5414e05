package dev.weir.protocol.sigv4;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Signs outgoing requests (the proxy's own upstream credentials) with SigV4 in header form. */
public final class SigV4Signer {
    private final Credentials credentials;
    private final String region;
    private final String service;
    /** The signing key of the last date signed for: it changes once a day, deriving it costs four HMACs. */
    private volatile DatedKey key;

    private record DatedKey(String date, byte[] key) {}

    /** The X-Amz-Date of the last second signed in: requests in the same second share it. */
    private volatile Stamp stamp;

    private record Stamp(long epochSecond, String amzDate) {}

    public SigV4Signer(Credentials credentials, String region, String service) {
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
        Stamp st = stamp;
        if (st == null || st.epochSecond() != now.getEpochSecond()) {
            st = new Stamp(now.getEpochSecond(), SigV4.formatAmzDate(now));
            stamp = st;
        }
        String amzDate = st.amzDate();
        String date = amzDate.substring(0, 8);
        List<Map.Entry<String, String>> all = new ArrayList<>(headers);
        all.add(Map.entry("X-Amz-Date", amzDate));
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, String> h : all) {
            String n = h.getKey().toLowerCase(Locale.ROOT);
            if (!names.contains(n)) names.add(n);
        }
        names.sort(null);
        HttpRequestView view = new HttpRequestView(method, rawPath, "", all, body);
        String scope = date + '/' + region + '/' + service + '/' + SigV4.TERMINATOR;
        String canonical = SigV4.canonicalRequest(view, names, SigV4.sha256Hex(body), false);
        String sts = SigV4.stringToSign(amzDate, scope, canonical);
        String sig = SigV4.signature(signingKey(date), sts);
        String auth = SigV4.ALGORITHM + " Credential=" + credentials.accessKeyId() + '/' + scope
                + ", SignedHeaders=" + String.join(";", names) + ", Signature=" + sig;
        return List.of(Map.entry("X-Amz-Date", amzDate), Map.entry("Authorization", auth));
    }

    private byte[] signingKey(String date) {
        DatedKey k = key;
        if (k == null || !k.date().equals(date)) {
            k = new DatedKey(date, SigV4.signingKey(credentials.secretAccessKey(), date, region, service));
            key = k;
        }
        return k.key();
    }
}
