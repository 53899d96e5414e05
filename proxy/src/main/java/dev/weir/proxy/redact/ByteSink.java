package dev.weir.proxy.redact;

import java.util.Arrays;

/** A growable byte array that rewritten responses are assembled in. */
final class ByteSink {
    private byte[] buf;
    private int size;

    ByteSink(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    void write(byte b) {
        ensure(1);
        buf[size++] = b;
    }

    void write(byte[] src, int from, int to) {
        int n = to - from;
        ensure(n);
        System.arraycopy(src, from, buf, size, n);
        size += n;
    }

    void write(byte[] src) {
        write(src, 0, src.length);
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    private void ensure(int n) {
        if (size + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
    }
}
