package dev.weir.audit.event;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The spool's own encoding of an event: exact (every SIEM format is derived from the decoded
 * event, not from these bytes), and cheap, since every spooled event is encoded once by the
 * writer and decoded by the shippers. Exact for every string that is well-formed UTF-16: a lone
 * surrogate (a string no client can send, since weir reads requests as UTF-8, but a Java string
 * can hold) is written as {@code ?}, as {@link String#getBytes} writes it, and decodes as that;
 * {@link Encoder#lossless} says whether an event met one.
 *
 * <p>Version 3 is binary: the byte {@code 0x03}, then the record's components in declaration
 * order; numbers as unsigned LEB128 varints (zigzag for the signed ones), a string as varint
 * (UTF-8 length + 1) and its bytes (0 for null), a list as a varint count and its strings.
 * Version 2 is the same without the last component ({@code lostSequences}), version 1 without
 * the last three ({@code requestId}, {@code phase}, {@code lostSequences}), and records that
 * start with <code>{</code> are the earlier JSON encoding: all are still read, so a spool written
 * by an earlier weir drains after an upgrade.
 */
public final class EventCodec {
    private static final byte VERSION = 3;
    private static final byte VERSION_2 = 2;
    private static final byte VERSION_1 = 1;
    private static final ObjectMapper LEGACY_JSON = new ObjectMapper()
            .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
            .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private EventCodec() {}

    public static byte[] encode(AuditEvent e) {
        return new Encoder().encode(e);
    }

    /**
     * Encodes events one after another into a buffer it keeps, so an event costs its record's
     * bytes and no more (the audit writer's; one thread at a time).
     */
    public static final class Encoder {
        /** The most a kept buffer grows to; an event larger than this gets a buffer of its own. */
        private static final int KEPT_BYTES = 64 * 1024;
        private final Out out = new Out();

        /** The record of {@code e}. */
        public byte[] encode(AuditEvent e) {
            Out o = out;
            o.len = 0;
            o.lossless = true;
            byte[] bytes = EventCodec.encode(o, e);
            if (o.buf.length > KEPT_BYTES) o.buf = new byte[Out.FIRST_BYTES];
            return bytes;
        }

        /** Whether the last event encoded decodes to an equal event: it held no string with a lone surrogate. */
        public boolean lossless() {
            return out.lossless;
        }
    }

    private static byte[] encode(Out o, AuditEvent e) {
        o.buf[o.len++] = VERSION;
        o.signed(e.sequence());
        o.string(e.instance());
        o.signed(e.timeMicros());
        o.string(e.principal());
        o.list(e.roles());
        o.string(e.accessKeyId());
        o.string(e.sourceAddress());
        o.signed(e.sourcePort());
        o.string(e.operation());
        o.string(e.table());
        o.string(e.decision());
        o.list(e.ruleIds());
        o.string(e.policyHash());
        o.list(e.maskedFields());
        o.list(e.removedFields());
        o.signed(e.status());
        o.string(e.errorType());
        o.signed(e.latencyMicros());
        o.string(e.tlsSubject());
        o.string(e.index());
        o.list(e.itemKeys());
        o.list(e.readPaths());
        o.list(e.writtenPaths());
        o.signed(e.rowsDropped());
        o.signed(e.itemsReturned());
        o.signed(e.upstreamStatus());
        o.signed(e.decideMicros());
        o.string(e.note());
        o.string(e.requestId());
        o.string(e.phase());
        o.list(e.lostSequences());
        return Arrays.copyOf(o.buf, o.len);
    }

    public static AuditEvent decode(byte[] bytes) throws IOException {
        if (bytes.length > 0 && bytes[0] == '{') return LEGACY_JSON.readValue(bytes, AuditEvent.class);
        if (bytes.length == 0 || (bytes[0] != VERSION && bytes[0] != VERSION_2 && bytes[0] != VERSION_1)) {
            throw new IOException("not a spooled audit event (version byte " + (bytes.length == 0 ? "missing" : bytes[0]) + ")");
        }
        In in = new In(bytes);
        try {
            AuditEvent e = new AuditEvent(in.signed(), in.string(), in.signed(), in.string(), in.list(), in.string(),
                    in.string(), in.int32(), in.string(), in.string(), in.string(), in.list(), in.string(), in.list(),
                    in.list(), in.int32(), in.string(), in.signed(), in.string(), in.string(), in.list(), in.list(),
                    in.list(), in.int32(), in.int32(), in.int32(), in.signed(), in.string(),
                    bytes[0] == VERSION_1 ? null : in.string(), bytes[0] == VERSION_1 ? null : in.string(),
                    bytes[0] == VERSION ? in.list() : List.of());
            if (in.pos != bytes.length) throw new IOException("spooled audit event has " + (bytes.length - in.pos) + " bytes too many");
            return e;
        } catch (ArrayIndexOutOfBoundsException | IllegalArgumentException bad) {
            throw new IOException("spooled audit event is malformed: " + bad.getMessage(), bad);
        }
    }

    private static final class Out {
        static final int FIRST_BYTES = 512;
        byte[] buf = new byte[FIRST_BYTES];
        int len;
        /** No string written since the last reset held a lone surrogate. */
        boolean lossless = true;

        void ensure(int more) {
            if (len + more > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }

        void unsigned(long v) {
            ensure(10);
            while ((v & ~0x7FL) != 0) {
                buf[len++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[len++] = (byte) v;
        }

        void signed(long v) {
            unsigned((v << 1) ^ (v >> 63));
        }

        void string(String s) {
            if (s == null) {
                unsigned(0);
                return;
            }
            // ASCII, nearly every string of an event: its chars are its bytes, copied in as they are read
            int n = s.length(), start = len;
            unsigned(n + 1L);
            ensure(n);
            byte[] to = buf;
            int at = len, i = 0;
            for (; i < n; i++) {
                char c = s.charAt(i);
                if (c >= 0x80) break;
                to[at + i] = (byte) c;
            }
            if (i == n) {
                len = at + n;
                return;
            }
            len = start;
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            if (lossless && loneSurrogate(s)) lossless = false;
            unsigned(b.length + 1L);
            ensure(b.length);
            System.arraycopy(b, 0, buf, len, b.length);
            len += b.length;
        }

        void list(List<String> l) {
            unsigned(l.size());
            for (String s : l) string(s);
        }

        /** Whether {@code s} holds a surrogate that is not half of a high-low pair (UTF-8 cannot say it). */
        static boolean loneSurrogate(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (!Character.isSurrogate(c)) continue;
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return true;
            }
            return false;
        }
    }

    private static final class In {
        final byte[] b;
        int pos = 1;

        In(byte[] b) {
            this.b = b;
        }

        long unsigned() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte x = b[pos++];
                v |= (long) (x & 0x7F) << shift;
                if (x >= 0) return v;
            }
            throw new IllegalArgumentException("varint too long at byte " + pos);
        }

        long signed() {
            long v = unsigned();
            return (v >>> 1) ^ -(v & 1);
        }

        int int32() {
            long v = signed();
            if (v != (int) v) throw new IllegalArgumentException("number out of range at byte " + pos);
            return (int) v;
        }

        String string() {
            long n = unsigned();
            if (n == 0) return null;
            int len = Math.toIntExact(n - 1);
            if (len > b.length - pos) throw new IllegalArgumentException("string runs past the end at byte " + pos);
            String s = new String(b, pos, len, StandardCharsets.UTF_8);
            pos += len;
            return s;
        }

        /**
         * The list as the immutable list the event keeps, so the event does not copy it again: most
         * are empty or hold one or two strings, which {@code List.of} holds without an array.
         */
        List<String> list() {
            long n = unsigned();
            if (n > b.length - pos) throw new IllegalArgumentException("list count " + n + " past the end at byte " + pos);
            if (n == 0) return List.of();
            if (n == 1) return List.of(element());
            if (n == 2) {
                String first = element();
                return List.of(first, element());
            }
            String[] items = new String[(int) n];
            for (int i = 0; i < items.length; i++) items[i] = element();
            return List.of(items);
        }

        /** A list's string: never null (an event's lists hold none). */
        private String element() {
            String s = string();
            if (s == null) throw new IllegalArgumentException("a list holds a null at byte " + pos);
            return s;
        }
    }
}
