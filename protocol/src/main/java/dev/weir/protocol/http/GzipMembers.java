package dev.weir.protocol.http;

import java.io.ByteArrayOutputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A gzip body (RFC 1952) decoded strictly: one member or several one after another (the
 * standard allows it and DynamoDB takes it), each with its header checked, its data inflated,
 * and its CRC-32 and length compared with its trailer; nothing else may follow. The JDK's
 * {@code GZIPInputStream} ignores bytes after a member that do not start another, so a body
 * could carry what weir never read; this refuses them. DynamoDB itself ignores them (ScyllaDB
 * Alternator's test_gzip_request_with_extra_junk records it as a DynamoDB bug), so the bundled
 * store, which answers as DynamoDB does, decodes with {@code strict} false: once one member is
 * read, bytes that do not start with a gzip header end the body.
 */
final class GzipMembers {
    private static final int FTEXT = 1, FHCRC = 2, FEXTRA = 4, FNAME = 8, FCOMMENT = 16;

    private GzipMembers() {}

    static byte[] decode(byte[] body, int limit, boolean strict) throws ContentCoding.Refused {
        if (body.length == 0) throw malformed("the body is empty, not gzip");
        ByteArrayOutputStream all = null;
        byte[] single = null;
        int at = 0;
        Inflater inflater = new Inflater(true);
        try {
            while (at < body.length) {
                if (!strict && at > 0 && !startsMember(body, at)) break;
                at = header(body, at);
                inflater.reset();
                inflater.setInput(body, at, body.length - at);
                int room = limit - (all != null ? all.size() : single != null ? single.length : 0);
                byte[] data = Inflation.inflate(inflater, room);
                if (!inflater.finished()) throw malformed("the gzip data is cut short");
                at = body.length - inflater.getRemaining();
                if (at + 8 > body.length) throw malformed("the gzip trailer is cut short");
                CRC32 crc = new CRC32();
                crc.update(data);
                if ((int) crc.getValue() != intLe(body, at) || data.length != intLe(body, at + 4)) {
                    throw malformed("the gzip trailer does not match the data");
                }
                at += 8;
                if (single == null && all == null) {
                    single = data;
                } else {
                    if (all == null) {
                        all = new ByteArrayOutputStream(single.length + data.length);
                        all.writeBytes(single);
                    }
                    all.writeBytes(data);
                }
            }
        } catch (DataFormatException e) {
            throw malformed("the gzip data is not deflate data");
        } finally {
            inflater.end();
        }
        return all != null ? all.toByteArray() : single;
    }

    /** Whether the bytes at {@code at} start with gzip's magic number. */
    private static boolean startsMember(byte[] b, int at) {
        return at + 1 < b.length && (b[at] & 0xff) == 0x1f && (b[at + 1] & 0xff) == 0x8b;
    }

    /** Checks the member header at {@code at}; returns where its compressed data starts. */
    private static int header(byte[] b, int at) throws ContentCoding.Refused {
        if (at + 10 > b.length) throw malformed("the gzip header is cut short");
        if ((b[at] & 0xff) != 0x1f || (b[at + 1] & 0xff) != 0x8b) throw malformed("the body is not gzip");
        if (b[at + 2] != 8) throw malformed("the gzip member does not use deflate");
        int flags = b[at + 3] & 0xff;
        if ((flags & ~(FTEXT | FHCRC | FEXTRA | FNAME | FCOMMENT)) != 0) throw malformed("the gzip header has reserved flags set");
        int start = at;
        at += 10;
        if ((flags & FEXTRA) != 0) {
            if (at + 2 > b.length) throw malformed("the gzip header is cut short");
            int xlen = (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
            at += 2 + xlen;
        }
        if ((flags & FNAME) != 0) at = pastZero(b, at);
        if ((flags & FCOMMENT) != 0) at = pastZero(b, at);
        if ((flags & FHCRC) != 0) {
            if (at + 2 > b.length) throw malformed("the gzip header is cut short");
            CRC32 crc = new CRC32();
            crc.update(b, start, at - start);
            int want = (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
            if (((int) crc.getValue() & 0xffff) != want) throw malformed("the gzip header's CRC does not match");
            at += 2;
        }
        if (at > b.length) throw malformed("the gzip header is cut short");
        return at;
    }

    private static int pastZero(byte[] b, int at) throws ContentCoding.Refused {
        for (int i = at; i < b.length; i++) if (b[i] == 0) return i + 1;
        throw malformed("the gzip header is cut short");
    }

    private static int intLe(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }

    private static ContentCoding.Refused malformed(String why) {
        return new ContentCoding.Refused(ContentCoding.Refused.Kind.MALFORMED, why);
    }
}
