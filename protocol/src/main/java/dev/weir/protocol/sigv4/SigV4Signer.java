package dev.weir.protocol.sigv4;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Signs outgoing requests (the proxy's own upstream credentials) with SigV4 in header form.
 * The canonical request and the string to sign are written as bytes straight into the
 * thread's hash engines ({@link Engines}); what is the same from one request to the next (the
 * signing key and scope of the day, the date of the second, the fixed start of weir's upstream
 * POST) is kept in immutable values behind volatile fields, so several event loops sign at once.
 */
public final class SigV4Signer {
    private static final String POST_SIGNED_HEADERS = "content-type;host;x-amz-date;x-amz-target";
    private static final byte[] TARGET_LINE = "\nx-amz-target:".getBytes(StandardCharsets.US_ASCII);
    /** The canonical POST after the target's value: the end of the headers, the signed headers' names, the newline before the body's hash. */
    private static final byte[] POST_END = ("\n\n" + POST_SIGNED_HEADERS + "\n").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ALGORITHM_LINE = (SigV4.ALGORITHM + "\n").getBytes(StandardCharsets.US_ASCII);

    private final Credentials credentials;
    private final String region;
    private final String service;
    /** The signing key of the last date signed for: it changes once a day, deriving it costs four HMACs. */
    private volatile DatedKey key;

    /**
     * A day's signing key, its credential scope ({@code date/region/service/aws4_request}) as
     * UTF-8, and the Authorization of {@link #signPost} up to its signature, as Latin-1 bytes
     * when every character is one (else null: the header is concatenated as a String).
     */
    private record DatedKey(String date, byte[] key, String scope, byte[] scopeUtf8, String postPrefix, byte[] postPrefixLatin1) {}

    /** The X-Amz-Date of the last second signed in: requests in the same second share it. */
    private volatile Stamp stamp;

    private record Stamp(long epochSecond, String amzDate, byte[] amzDateUtf8, String date, Map.Entry<String, String> header) {}

    /** The canonical request of {@link #signPost} up to the date, for the last path, host and content type signed. */
    private volatile PostStart postStart;

    private record PostStart(String rawPath, String host, String contentType, byte[] bytes) {}

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
        Stamp st = stamp(now);
        List<Map.Entry<String, String>> all = new ArrayList<>(headers);
        all.add(st.header());
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, String> h : all) {
            String n = h.getKey().toLowerCase(Locale.ROOT);
            if (!names.contains(n)) names.add(n);
        }
        names.sort(null);
        HttpRequestView view = new HttpRequestView(method, rawPath, "", all, body);
        String payloadHash = SigV4.sha256Hex(body);
        Engines engines = Engines.get();
        SigV4.writeCanonicalRequest(engines.canonical.clear(), view, names, payloadHash, false);
        DatedKey k = signingKey(st.date());
        byte[] signature = sign(engines, st, k);
        String auth = SigV4.ALGORITHM + " Credential=" + credentials.accessKeyId() + '/' + k.scope()
                + ", SignedHeaders=" + String.join(";", names) + ", Signature=" + ByteText.hexString(signature, 32);
        return List.of(st.header(), Map.entry("Authorization", auth));
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
        Stamp st = stamp(now);
        DatedKey k = signingKey(st.date());
        byte[] signature = postSignature(rawPath, host, contentType, target, body, payloadHash, st, k);
        String auth = k.postPrefixLatin1() != null
                ? new String(authorization(k.postPrefixLatin1(), signature), StandardCharsets.ISO_8859_1)
                : k.postPrefix() + ByteText.hexString(signature, 32);
        return List.of(st.header(), Map.entry("Authorization", auth));
    }

    /**
     * The values of the two headers {@link #signPost} adds, as bytes: X-Amz-Date's (shared by the
     * requests of one second: not to be written to) and Authorization's (Latin-1, one byte per
     * character; UTF-8 should the configured credentials or region hold a character beyond
     * Latin-1, which no header may carry, so the caller's check refuses it).
     */
    public record PostHeaders(byte[] amzDate, byte[] authorization) {}

    /**
     * As {@link #signPost(String, String, String, String, byte[], String, Instant)}, the headers'
     * values as bytes for a caller that writes them into a request's head: no String is made
     * and checked per request (issue 16).
     */
    public PostHeaders signPostHeaders(String rawPath, String host, String contentType, String target, byte[] body,
                                       String payloadHash, Instant now) {
        Stamp st = stamp(now);
        DatedKey k = signingKey(st.date());
        byte[] signature = postSignature(rawPath, host, contentType, target, body, payloadHash, st, k);
        byte[] auth = k.postPrefixLatin1() != null
                ? authorization(k.postPrefixLatin1(), signature)
                : (k.postPrefix() + ByteText.hexString(signature, 32)).getBytes(StandardCharsets.UTF_8);
        return new PostHeaders(st.amzDateUtf8(), auth);
    }

    private byte[] postSignature(String rawPath, String host, String contentType, String target, byte[] body, String payloadHash,
                                 Stamp st, DatedKey k) {
        PostStart start = postStart(rawPath, host, contentType);
        Engines engines = Engines.get();
        ByteText canonical = engines.canonical.clear();
        canonical.raw(start.bytes()).raw(st.amzDateUtf8()).raw(TARGET_LINE).canonicalValue(target).raw(POST_END);
        if (payloadHash != null) canonical.utf8(payloadHash);
        else canonical.hex(engines.sha256(body), 32);
        return sign(engines, st, k);
    }

    /** The Authorization's bytes: the day's prefix and the signature in hex. */
    private static byte[] authorization(byte[] prefix, byte[] signature) {
        byte[] text = new byte[prefix.length + 64];
        System.arraycopy(prefix, 0, text, 0, prefix.length);
        ByteText.hex(signature, 32, text, prefix.length);
        return text;
    }

    /** The signature (in {@code engines.digest}) of the canonical request written in {@code engines.canonical}. */
    private static byte[] sign(Engines engines, Stamp st, DatedKey k) {
        byte[] canonicalHash = engines.sha256(engines.canonical);
        ByteText toSign = engines.toSign.clear().raw(ALGORITHM_LINE).raw(st.amzDateUtf8()).ascii('\n')
                .raw(k.scopeUtf8()).ascii('\n').hex(canonicalHash, 32);
        return engines.hmac(k.key(), toSign);
    }

    /** The X-Amz-Date of {@code now}, made once per second. */
    private Stamp stamp(Instant now) {
        Stamp st = stamp;
        if (st == null || st.epochSecond() != now.getEpochSecond()) {
            String amzDate = SigV4.formatAmzDate(now);
            st = new Stamp(now.getEpochSecond(), amzDate, amzDate.getBytes(StandardCharsets.UTF_8), amzDate.substring(0, 8),
                    Map.entry("X-Amz-Date", amzDate));
            stamp = st;
        }
        return st;
    }

    private PostStart postStart(String rawPath, String host, String contentType) {
        PostStart s = postStart;
        if (s == null || !Objects.equals(s.rawPath(), rawPath) || !s.host().equals(host) || !s.contentType().equals(contentType)) {
            ByteText text = new ByteText(128).utf8("POST\n").canonicalUri(rawPath).utf8("\n\ncontent-type:")
                    .canonicalValue(contentType).utf8("\nhost:").canonicalValue(host).utf8("\nx-amz-date:");
            s = new PostStart(rawPath, host, contentType, java.util.Arrays.copyOf(text.bytes(), text.length()));
            postStart = s;
        }
        return s;
    }

    private DatedKey signingKey(String date) {
        DatedKey k = key;
        if (k == null || !k.date().equals(date)) {
            String scope = date + '/' + region + '/' + service + '/' + SigV4.TERMINATOR;
            String prefix = SigV4.ALGORITHM + " Credential=" + credentials.accessKeyId() + '/' + scope
                    + ", SignedHeaders=" + POST_SIGNED_HEADERS + ", Signature=";
            boolean latin1 = prefix.chars().allMatch(c -> c <= 0xff);
            k = new DatedKey(date, SigV4.signingKey(credentials.secretAccessKey(), date, region, service), scope,
                    scope.getBytes(StandardCharsets.UTF_8), prefix, latin1 ? prefix.getBytes(StandardCharsets.ISO_8859_1) : null);
            key = k;
        }
        return k;
    }
}
