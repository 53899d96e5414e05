package dev.weir.store.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;

/**
 * Compressed answers, for a client that sends {@code Accept-Encoding: gzip}. As DynamoDB does,
 * small answers go uncompressed (gzip would make them larger), and the {@code x-amz-crc32} of a
 * compressed answer is the CRC-32 of the compressed bytes, the bytes on the wire (the AWS SDKs
 * check it before inflating).
 */
final class ResponseBodies {
    /**
     * Answers shorter than this are sent as they are: DynamoDB's threshold, 4 KB (not published by
     * AWS; ScyllaDB Alternator's test_compressed_response.py, which passes against DynamoDB,
     * finds it so; weir's {@code ContentCoding.COMPRESS_FROM_BYTES} is the same).
     */
    static final int GZIP_MIN_BYTES = 4096;

    private ResponseBodies() {}

    /** Whether an {@code Accept-Encoding} header admits gzip (a q of 0 refuses it). */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) return false;
        for (String part : acceptEncoding.split(",")) {
            String[] pieces = part.split(";");
            String coding = pieces[0].strip();
            if (!coding.equalsIgnoreCase("gzip") && !coding.equals("*")) continue;
            boolean refused = false;
            for (int i = 1; i < pieces.length; i++) {
                String param = pieces[i].strip().replace(" ", "");
                if (param.startsWith("q=") && param.substring(2).matches("0(\\.0{0,3})?")) refused = true;
            }
            if (!refused) return true;
        }
        return false;
    }

    static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 3 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
