package dev.weir.protocol.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;

/**
 * The JSON reader for DynamoDB bodies, whose member names are attribute names a client chose.
 *
 * <p>Jackson's defaults keep every member name it reads in a table shared by all parses of one
 * mapper (and intern it): 3,000 distinct attribute names of 40 KB, in one request or many,
 * stayed in the heap as 234 MB. This reader keeps nothing between parses. Its longest name
 * is above DynamoDB's 65,535 UTF-8 bytes (Jackson's default, 50,000, was below it), so a
 * name's size is judged by {@link dev.weir.protocol.value.AttributeName#check} with
 * DynamoDB's message; its depth limit stays Jackson's 1,000 levels, far above DynamoDB's 32.
 */
public final class JsonBodies {
    /** Longer than any name DynamoDB takes, even written with escapes. */
    static final int MAX_NAME_CHARS = 4 * 65_536;

    private JsonBodies() {}

    /** A factory that keeps no names between parses and reads names up to {@link #MAX_NAME_CHARS}. */
    public static JsonFactory factory() {
        return JsonFactory.builder()
                .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
                .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
                .streamReadConstraints(StreamReadConstraints.builder().maxNameLength(MAX_NAME_CHARS).build())
                .build();
    }

    /**
     * A parser of one body that reads its bytes as UTF-8 directly: Jackson's byte parser, not
     * the reader-based one (bytes decoded to characters first) that {@link #factory()}'s
     * parsers use for bytes, since Jackson takes the byte parser only when names are canonicalized.
     * Its names are canonicalized in a table of its own factory, made for this parse, so none
     * outlives it; its limits are {@link #factory()}'s. Read the same characters as
     * {@link #factory()}'s parsers only when the body {@link Utf8#isStrict is strict UTF-8}
     * (the caller checks); a crafted set of names whose hashes collide makes it fail
     * (Jackson's guard), where {@link #factory()}'s parsers read on.
     */
    public static JsonParser byteParser(byte[] body) throws IOException {
        return byteFactory().createParser(body);
    }

    /**
     * A factory of {@link #byteParser}s with one name table of its own: for several parses of
     * parts of one body (a store page's values), made for that body and dropped with it.
     */
    public static JsonFactory byteFactory() {
        return JsonFactory.builder()
                .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
                .streamReadConstraints(StreamReadConstraints.builder().maxNameLength(MAX_NAME_CHARS).build())
                .build();
    }

    /**
     * Whether a member named {@code name} may be anywhere in {@code body}, for a quick look
     * before a body is read whole: true when the name's quoted bytes ({@code "name"}) appear, and
     * also whenever the body holds a backslash, since an escape can spell any name
     * (a backslash, u0041 and ttributes, quoted, is {@code Attributes} to every JSON reader, the client's too).
     * False only when no member of the body can have that name. {@code name} is ASCII.
     */
    public static boolean mayName(byte[] body, String name) {
        int n = name.length();
        outer:
        for (int i = 0; i < body.length; i++) {
            byte b = body[i];
            if (b == '\\') return true;
            if (b != '"' || i + n + 1 >= body.length || body[i + n + 1] != '"') continue;
            for (int k = 0; k < n; k++) if (body[i + 1 + k] != name.charAt(k)) continue outer;
            return true;
        }
        return false;
    }

    /** A mapper over {@link #factory()}. */
    public static ObjectMapper mapper() {
        return new ObjectMapper(factory());
    }
}
