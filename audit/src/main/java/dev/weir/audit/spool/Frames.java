package dev.weir.audit.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The record framing, {@code [length:int][crc32c:int][payload]}, and how a reader finds its
 * way through damaged bytes. The writer and every reader use this one walk, so the offset a
 * record has is the same for all of them: each good frame is one offset, and so is each
 * damaged span that a good frame follows.
 *
 * <p>A frame is good when its length is between 1 and {@link #MAX_RECORD}, its payload lies
 * within the readable bytes and its checksum matches (a length of 0 is never written, so a run
 * of zeros, which some file systems leave after a crash, is never a record). After a bad
 * frame, the reader first trusts its length (a flipped bit in a payload damages one record),
 * then looks for the next good frame byte by byte, considering only lengths up to
 * {@link #RESYNC_MAX} so the search stays cheap (a large record right after damage is lost
 * with it). Bytes after which no good frame follows are a torn tail.
 */
final class Frames {
    static final int HEADER = 8;
    /** The largest payload the spool takes (an audit event is a few hundred bytes). */
    static final int MAX_RECORD = 16 << 20;
    /** The largest payload looked for when searching past damaged bytes. */
    static final int RESYNC_MAX = 64 << 10;

    private Frames() {}

    sealed interface Frame {
        long start();

        long end();
    }

    /** A whole record. */
    record Good(long start, long end, byte[] payload) implements Frame {}

    /** Damaged bytes from {@code start} to {@code end}, where a good frame begins. */
    record Bad(long start, long end, String why) implements Frame {}

    /** No good frame from {@code start} to the limit: a torn write (or damage reaching the end). */
    record Torn(long start, long end) implements Frame {}

    /** The frame at {@code pos}, reading no byte at or past {@code limit}. */
    static Frame at(SegmentReader in, long pos, long limit, CRC32C crc) throws IOException {
        byte[] header = new byte[HEADER];
        byte[] good = good(in, pos, limit, header, MAX_RECORD, crc);
        if (good != null) return new Good(pos, pos + HEADER + good.length, good);
        if (pos + HEADER <= limit && in.read(pos, header, limit)) {
            int len = ByteBuffer.wrap(header).getInt(0);
            if (len > 0 && len <= MAX_RECORD && pos + HEADER + len < limit) {
                long q = pos + HEADER + len;
                if (good(in, q, limit, new byte[HEADER], MAX_RECORD, crc) != null) {
                    return new Bad(pos, q, "checksum mismatch in a record of " + len + " bytes");
                }
            }
        }
        byte[] h = new byte[HEADER];
        for (long q = pos + 1; q + HEADER < limit; q++) {
            if (good(in, q, limit, h, RESYNC_MAX, crc) != null) return new Bad(pos, q, (q - pos) + " unreadable bytes");
        }
        return new Torn(pos, limit);
    }

    /** The payload of a good frame at {@code pos} with a length up to {@code max}, else null. */
    private static byte[] good(SegmentReader in, long pos, long limit, byte[] header, int max, CRC32C crc) throws IOException {
        if (pos + HEADER > limit || !in.read(pos, header, limit)) return null;
        ByteBuffer h = ByteBuffer.wrap(header);
        int len = h.getInt(0);
        if (len <= 0 || len > max || pos + HEADER + len > limit) return null;
        byte[] payload = new byte[len];
        if (!in.read(pos + HEADER, payload, limit)) return null;
        crc.reset();
        crc.update(payload);
        return (int) crc.getValue() == h.getInt(4) ? payload : null;
    }
}
