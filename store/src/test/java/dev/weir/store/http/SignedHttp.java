package dev.weir.store.http;

import dev.weir.protocol.sigv4.Credentials;
import dev.weir.protocol.sigv4.SigV4Signer;
import dev.weir.store.StoreTestCredentials;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Requests to a store on loopback signed as the AWS SDKs sign them (host, content type,
 * target and date covered), for tests that speak plain HTTP or write raw bytes.
 */
final class SignedHttp {
    static final Credentials CREDENTIALS = StoreTestCredentials.CREDENTIALS;

    private SignedHttp() {}

    /**
     * The headers to send for a POST of {@code body} to {@code host}: the given ones, then
     * X-Amz-Date and Authorization, all signed (Host too, which is not returned: the client
     * sends it). A header given with a null value is signed as absent and not returned.
     */
    static List<Map.Entry<String, String>> sign(Credentials credentials, String host, List<Map.Entry<String, String>> headers,
                                                byte[] body, Instant at) {
        List<Map.Entry<String, String>> toSign = new ArrayList<>();
        toSign.add(Map.entry("Host", host));
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (Map.Entry<String, String> h : headers) {
            toSign.add(Map.entry(h.getKey(), h.getValue() == null ? "" : h.getValue()));
            if (h.getValue() != null) out.add(h);
        }
        out.addAll(new SigV4Signer(credentials, "us-east-1", "dynamodb").sign("POST", "/", toSign, body, at));
        return out;
    }

    /** A POST of a DynamoDB call; {@code target} or {@code contentType} null: signed as absent, not sent. */
    static HttpRequest.Builder post(URI uri, String target, String contentType, String body) {
        return post(CREDENTIALS, uri, target, contentType, body);
    }

    static HttpRequest.Builder post(Credentials credentials, URI uri, String target, String contentType, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(new java.util.AbstractMap.SimpleEntry<>("Content-Type", contentType));
        headers.add(new java.util.AbstractMap.SimpleEntry<>("X-Amz-Target", target));
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        for (Map.Entry<String, String> h : sign(credentials, uri.getAuthority(), headers, bytes, Instant.now())) {
            b.header(h.getKey(), h.getValue());
        }
        return b;
    }

    /** The head lines of a raw signed request (Host, target, content type, date, authorization, length), each ending in CRLF. */
    static String rawHead(String host, String target, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("Host: ").append(host).append("\r\n");
        for (Map.Entry<String, String> h : sign(CREDENTIALS, host, List.of(Map.entry("X-Amz-Target", target),
                Map.entry("Content-Type", "application/x-amz-json-1.0")), bytes, Instant.now())) {
            head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        return head.append("Content-Length: ").append(bytes.length).append("\r\n").toString();
    }
}
