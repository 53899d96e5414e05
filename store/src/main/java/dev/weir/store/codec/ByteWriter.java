package dev.weir.store.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte array with the few primitives the store's encodings need. Not thread-safe. */
public final class ByteWriter {
    private byte[] buf;
    private int size;

    public ByteWriter() {
        this(64);
    }

    public ByteWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    public ByteWriter write(int b) {
        ensure(1);
        buf[size++] = (byte) b;
        return this;
    }

    public ByteWriter write(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, size, bytes.length);
        size += bytes.length;
        return this;
    }

    public ByteWriter writeLong(long v) {
        for (int shift = 56; shift >= 0; shift -= 8) write((int) (v >>> shift));
        return this;
    }

    /** An unsigned LEB128 varint. */
    public ByteWriter writeVarint(int v) {
        if (v < 0) throw new IllegalArgumentException("negative varint " + v);
        while ((v & ~0x7F) != 0) {
            write((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        return write(v);
    }

    /** A varint length, then the bytes. */
    public ByteWriter writeSized(byte[] bytes) {
        return writeVarint(bytes.length).write(bytes);
    }

    public ByteWriter writeSized(String text) {
        return writeSized(text.getBytes(StandardCharsets.UTF_8));
    }

    public int size() {
        return size;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    private void ensure(int more) {
        if (size + more > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
    }
}
