package dev.weir.store.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One case of the DynamoDB-compatibility suite: a request (target, body, method, content
 * type, signed or not, encodings) and DynamoDB's answer to it (status, {@code __type},
 * message, and where known the body, CRC-32 and content type). The cases are data
 * ({@code compat/cases.json}), assembled from DynamoDB's public record: its API reference and
 * the answers dynalite's tests record. The appliance runs the same file through weir.
 * Encodings: {@code requestCoding} (gzip or deflate) compresses the body and names it in
 * {@code Content-Encoding}; {@code contentEncodingHeader} sends that header as written instead;
 * {@code trailingBytes} are appended to the body as sent; {@code acceptEncoding} is sent as
 * {@code Accept-Encoding}; {@code contentEncoding} is the answer's, empty for none.
 */
record CompatCase(String group, String name, String target, String body, int status, String type, String message,
                  String method, boolean sign, String contentType, String authorization, String rawBody, String crc32,
                  String responseType, String bodyContains, String requestCoding, String contentEncodingHeader,
                  String trailingBytes, String acceptEncoding, String contentEncoding) {

    static final String FILE = "/compat/cases.json";

    static List<CompatCase> all() {
        try (InputStream in = CompatCase.class.getResourceAsStream(FILE)) {
            if (in == null) throw new IllegalStateException(FILE + " is not on the test class path");
            List<CompatCase> cases = new ArrayList<>();
            for (JsonNode c : new ObjectMapper().readTree(in)) cases.add(of(c));
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CompatCase of(JsonNode c) {
        return new CompatCase(c.path("group").asText(), c.path("name").asText(), text(c, "target"), c.path("body").asText(""),
                c.path("status").asInt(), text(c, "type"), text(c, "message"), c.path("method").asText("POST"),
                c.path("sign").asBoolean(true), c.has("contentType") ? c.get("contentType").asText() : "application/x-amz-json-1.0",
                text(c, "authorization"), text(c, "rawBody"), text(c, "crc32"), text(c, "responseType"), text(c, "bodyContains"),
                text(c, "requestCoding"), text(c, "contentEncodingHeader"), text(c, "trailingBytes"), text(c, "acceptEncoding"),
                text(c, "contentEncoding"));
    }

    private static String text(JsonNode c, String field) {
        JsonNode v = c.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** The member DynamoDB puts the message in: {@code Message} for a SerializationException, else {@code message}. */
    String messageMember() {
        return type != null && type.endsWith("#SerializationException") ? "Message" : "message";
    }

    @Override
    public String toString() {
        return group + ": " + name;
    }
}
