package dev.weir.store.http;

import dev.weir.protocol.http.AcceptEncoding;
import dev.weir.protocol.http.ContentCoding;

import java.util.List;

/**
 * Compressed answers, for a client that accepts them ({@code Accept-Encoding}): the coding is
 * chosen as DynamoDB chooses it, gzip or deflate ({@link AcceptEncoding}, weir's own, shared
 * through the protocol module). As DynamoDB does, small answers go uncompressed (compressing
 * would make them larger), and the {@code x-amz-crc32} of a compressed answer is the CRC-32 of
 * the compressed bytes, the bytes on the wire (the AWS SDKs check it before inflating).
 */
final class ResponseBodies {
    /**
     * Answers shorter than this are sent as they are: DynamoDB's threshold, 4 KB (not published by
     * AWS; ScyllaDB Alternator's test_compressed_response.py, which passes against DynamoDB,
     * finds it so): {@link ContentCoding#COMPRESS_FROM_BYTES}, weir's too.
     */
    static final int COMPRESS_FROM_BYTES = ContentCoding.COMPRESS_FROM_BYTES;

    private ResponseBodies() {}

    /** The coding an answer to a request with these {@code Accept-Encoding} headers (in arrival order) may go in. */
    static ContentCoding accepted(List<String> acceptEncoding) {
        return AcceptEncoding.choose(acceptEncoding);
    }

    /** The answer's bytes on the wire: compressed in {@code coding} from the threshold on, else as they are. */
    static byte[] encode(ContentCoding coding, byte[] body) {
        return body.length >= COMPRESS_FROM_BYTES ? coding.encode(body) : body;
    }
}
