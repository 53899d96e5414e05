package dev.weir.bench.load;

import dev.weir.protocol.model.Operation;
import dev.weir.protocol.sigv4.SigV4Signer;
import dev.weir.protocol.wire.Target;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns request bodies into complete, SigV4-signed HTTP/1.1 requests for one endpoint, all
 * signed at one instant before the run, so signing never loads the client while it measures.
 * (A server that checks the request time accepts a signature for 15 minutes.)
 */
public final class RequestSigner {
    private static final String REGION = "us-east-1";
    private static final String SERVICE = "dynamodb";

    private final Endpoint endpoint;
    private final SigV4Signer signer;
    private final Instant signedAt;

    public RequestSigner(Endpoint endpoint, Instant signedAt) {
        this.endpoint = endpoint;
        this.signer = new SigV4Signer(endpoint.credentials(), REGION, SERVICE);
        this.signedAt = signedAt;
    }

    /** The signed headers of a request, for clients that write their own head (JDK HttpClient). */
    public List<Map.Entry<String, String>> headers(Operation operation, byte[] body, Instant at) {
        List<Map.Entry<String, String>> headers = new ArrayList<>(List.of(
                Map.entry("Host", endpoint.hostHeader()),
                Map.entry("Content-Type", Target.CONTENT_TYPE),
                Map.entry(Target.HEADER, Target.of(operation))));
        headers.addAll(signer.sign("POST", "/", headers, body, at));
        return headers;
    }

    /** The whole request as bytes on the wire, in an unreleasable direct buffer. */
    public PreparedRequest prepare(Operation operation, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 512);
        StringBuilder head = new StringBuilder(512).append("POST / HTTP/1.1\r\n");
        for (Map.Entry<String, String> h : headers(operation, body, signedAt)) {
            head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        out.writeBytes(head.toString().getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body);
        byte[] bytes = out.toByteArray();
        ByteBuf buf = Unpooled.directBuffer(bytes.length, bytes.length).writeBytes(bytes);
        return new PreparedRequest(operation, Unpooled.unreleasableBuffer(buf.asReadOnly()));
    }
}
