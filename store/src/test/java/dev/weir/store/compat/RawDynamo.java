package dev.weir.store.compat;

import dev.weir.protocol.sigv4.Credentials;
import dev.weir.protocol.sigv4.SigV4Signer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import java.io.InputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A client that sends a {@link CompatCase}'s request exactly as written and hands back the
 * answer's bytes untouched (java.net.http neither decompresses nor retries, and nothing of
 * an SDK reads the error first), signing with SigV4 as the SDKs do when the case is signed.
 */
public final class RawDynamo {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI uri;
    private final Credentials credentials;

    public RawDynamo(URI uri, Credentials credentials) {
        this.uri = uri;
        this.credentials = credentials;
    }

    /** An answer: status, headers and the body as received (compressed when the server compressed it). */
    public record Answer(int status, HttpHeaders headers, byte[] raw) {
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        /** The body, inflated when it came gzip- or deflate-encoded. */
        public String text() {
            String coding = header("content-encoding");
            if (!"gzip".equals(coding) && !"deflate".equals(coding)) return new String(raw, StandardCharsets.UTF_8);
            try (InputStream in = "gzip".equals(coding) ? new GZIPInputStream(new ByteArrayInputStream(raw))
                    : new InflaterInputStream(new ByteArrayInputStream(raw))) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    Answer send(CompatCase c) {
        return send(c.method(), c.target(), c.contentType(), c.body(), c.sign(), c.authorization(), c.requestCoding(),
                c.contentEncodingHeader(), c.trailingBytes(), c.acceptEncoding());
    }

    public Answer send(String method, String target, String contentType, String body, boolean sign, String authorization,
                       boolean gzipRequest, boolean acceptGzip) {
        return send(method, target, contentType, body, sign, authorization, gzipRequest ? "gzip" : null, null, null,
                acceptGzip ? "gzip" : null);
    }

    /**
     * {@code requestCoding} (gzip, deflate or null) compresses the body and names the coding in
     * {@code Content-Encoding}, unless {@code contentEncodingHeader} gives that header's value;
     * {@code trailingBytes} are appended to the body as sent.
     */
    public Answer send(String method, String target, String contentType, String body, boolean sign, String authorization,
                       String requestCoding, String contentEncodingHeader, String trailingBytes, String acceptEncoding) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if ("gzip".equals(requestCoding)) bytes = gzip(bytes);
        if ("deflate".equals(requestCoding)) bytes = deflate(bytes);
        if (trailingBytes != null) {
            byte[] more = trailingBytes.getBytes(StandardCharsets.UTF_8);
            byte[] all = java.util.Arrays.copyOf(bytes, bytes.length + more.length);
            System.arraycopy(more, 0, all, bytes.length, more.length);
            bytes = all;
        }
        String contentEncoding = contentEncodingHeader != null ? contentEncodingHeader : requestCoding;
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        if (contentType != null && !contentType.isEmpty()) headers.add(Map.entry("Content-Type", contentType));
        if (target != null) headers.add(Map.entry("X-Amz-Target", target));
        if (contentEncoding != null) headers.add(Map.entry("Content-Encoding", contentEncoding));
        if (acceptEncoding != null) headers.add(Map.entry("Accept-Encoding", acceptEncoding));
        if (authorization != null) headers.add(Map.entry("Authorization", authorization));
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .method(method, bytes.length == 0 && !method.equals("POST") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(bytes));
        headers.forEach(h -> b.header(h.getKey(), h.getValue()));
        if (sign) {
            List<Map.Entry<String, String>> toSign = new ArrayList<>(headers);
            toSign.add(Map.entry("Host", uri.getAuthority()));
            for (Map.Entry<String, String> h : new SigV4Signer(credentials, "us-east-1", "dynamodb")
                    .sign(method, "/", toSign, bytes, Instant.now())) {
                b.header(h.getKey(), h.getValue());
            }
        }
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] deflate(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(out)) {
            z.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
