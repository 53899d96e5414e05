package dev.weir.store.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Reads what {@link ByteWriter} wrote. Throws {@link IllegalStateException} on truncated input. */
public final class ByteReader {
    private final byte[] buf;
    private int pos;

    public ByteReader(byte[] buf) {
        this.buf = buf;
    }

    public int read() {
        if (pos >= buf.length) throw new IllegalStateException("truncated encoding at " + pos);
        return buf[pos++] & 0xFF;
    }

    public long readLong() {
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | read();
        return v;
    }

    public int readVarint() {
        int v = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = read();
            v |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) return v;
        }
        throw new IllegalStateException("malformed varint at " + pos);
    }

    public byte[] readSized() {
        int n = readVarint();
        if (n > buf.length - pos) throw new IllegalStateException("truncated encoding at " + pos);
        byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return out;
    }

    public String readSizedString() {
        int n = readVarint();
        if (n > buf.length - pos) throw new IllegalStateException("truncated encoding at " + pos);
        String s = new String(buf, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    public boolean atEnd() {
        return pos == buf.length;
    }
}
