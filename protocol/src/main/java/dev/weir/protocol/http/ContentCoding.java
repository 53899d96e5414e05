package dev.weir.protocol.http;

import java.io.ByteArrayOutputStream;
import java.util.Locale;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The HTTP content codings DynamoDB takes on requests ({@code Content-Encoding}) and gives on
 * answers the client accepts ({@code Accept-Encoding}): gzip (RFC 1952) and deflate (the zlib
 * format, RFC 1950). A request body is decoded strictly and never past a limit: whatever is
 * not exactly the coding it names, cut short, followed by anything that is not another gzip
 * member, or larger than the limit once decoded, is refused ({@link Refused}), so the bytes weir
 * decides on are the bytes the store would decode, and a small body cannot make weir hold a
 * large one.
 */
public enum ContentCoding {
    IDENTITY, GZIP, DEFLATE;

    /**
     * DynamoDB's threshold: answers of at least this many bytes are compressed when the client
     * accepts a coding; smaller ones go as they are.
     */
    public static final int COMPRESS_FROM_BYTES = 4096;

    /**
     * How fast, not how small: level 1. An answer is compressed on the event loop that wrote it;
     * zlib's level 1 costs a few times less CPU than its default for a JSON answer that still
     * comes out at a fraction of its size.
     */
    private static final int LEVEL = Deflater.BEST_SPEED;
    private static final ThreadLocal<Deflater> GZIP_DEFLATERS = ThreadLocal.withInitial(() -> new Deflater(LEVEL, true));
    private static final ThreadLocal<Deflater> ZLIB_DEFLATERS = ThreadLocal.withInitial(() -> new Deflater(LEVEL, false));

    /** Why a request body was not decoded. */
    public static final class Refused extends Exception {
        /** What was wrong: an unknown coding, bytes that are not the coding, or too large once decoded. */
        public enum Kind { UNSUPPORTED, MALFORMED, TOO_LARGE }

        private final Kind kind;

        Refused(Kind kind, String message) {
            super(message, null, false, false);
            this.kind = kind;
        }

        public Kind kind() {
            return kind;
        }
    }

    /** The name on the wire ({@code gzip}, {@code deflate}); {@code identity} for none. */
    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The coding a request's {@code Content-Encoding} names: none (or {@code identity}) is
     * {@link #IDENTITY}; one of {@code gzip} or {@code deflate}, in any case, is that coding;
     * anything else (another coding, several, a list) is refused as DynamoDB refuses it.
     */
    public static ContentCoding ofRequest(String contentEncoding) throws Refused {
        if (contentEncoding == null) return IDENTITY;
        String t = contentEncoding.strip().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "", "identity" -> IDENTITY;
            case "gzip" -> GZIP;
            case "deflate" -> DEFLATE;
            default -> throw new Refused(Refused.Kind.UNSUPPORTED, "unsupported Content-Encoding");
        };
    }

    /** The body decoded; at most {@code limit} bytes, else refused. {@link #IDENTITY} gives the body itself. */
    public byte[] decode(byte[] body, int limit) throws Refused {
        return decode(body, limit, true);
    }

    /**
     * The body decoded as DynamoDB decodes it: as {@link #decode}, except that bytes after the
     * last gzip member that do not start another member are ignored (DynamoDB takes such a
     * body; weir, which must decide on every byte it forwards, refuses it). The bundled store's.
     */
    public byte[] decodeAsDynamoDb(byte[] body, int limit) throws Refused {
        return decode(body, limit, false);
    }

    private byte[] decode(byte[] body, int limit, boolean strict) throws Refused {
        return switch (this) {
            case IDENTITY -> body;
            case GZIP -> GzipMembers.decode(body, limit, strict);
            case DEFLATE -> inflateZlib(body, limit);
        };
    }

    /**
     * DynamoDB's answer to a body that could not be decoded: a 500 ({@code InternalServerError});
     * one text for weir and the bundled store, so the two answer alike. A body too large once
     * decoded is each one's own 413.
     */
    public static String refusalMessage(Refused refused) {
        return switch (refused.kind()) {
            case UNSUPPORTED -> "The request's Content-Encoding is not gzip or deflate";
            case MALFORMED, TOO_LARGE -> "The request body could not be decoded: " + refused.getMessage();
        };
    }

    /** The body in this coding (a new array); {@link #IDENTITY} gives the body itself. */
    public byte[] encode(byte[] body) {
        return switch (this) {
            case IDENTITY -> body;
            case GZIP -> gzip(body);
            case DEFLATE -> deflate(ZLIB_DEFLATERS.get(), body, new ByteArrayOutputStream(body.length / 4 + 64));
        };
    }

    private static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 64);
        // RFC 1952 header: magic, deflate, no flags, no time, no extra flags, OS unknown
        out.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff});
        deflate(GZIP_DEFLATERS.get(), body, out);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(body);
        writeIntLe(out, (int) crc.getValue());
        writeIntLe(out, body.length);
        return out.toByteArray();
    }

    private static byte[] deflate(Deflater d, byte[] body, ByteArrayOutputStream out) {
        d.reset();
        d.setInput(body);
        d.finish();
        byte[] chunk = new byte[Math.min(64 * 1024, Math.max(256, body.length / 2))];
        while (!d.finished()) {
            int n = d.deflate(chunk);
            out.write(chunk, 0, n);
        }
        return out.toByteArray();
    }

    private static void writeIntLe(ByteArrayOutputStream out, int v) {
        out.write(v);
        out.write(v >>> 8);
        out.write(v >>> 16);
        out.write(v >>> 24);
    }

    /** A zlib stream (RFC 1950), wholly: nothing may follow its end. */
    private static byte[] inflateZlib(byte[] body, int limit) throws Refused {
        Inflater inflater = new Inflater(false);
        try {
            inflater.setInput(body);
            byte[] out = Inflation.inflate(inflater, limit);
            if (!inflater.finished() || inflater.getRemaining() != 0) {
                throw new Refused(Refused.Kind.MALFORMED, "the body is not one whole deflate (zlib) stream");
            }
            return out;
        } catch (DataFormatException e) {
            throw new Refused(Refused.Kind.MALFORMED, "the body is not a deflate (zlib) stream");
        } finally {
            inflater.end();
        }
    }
}
