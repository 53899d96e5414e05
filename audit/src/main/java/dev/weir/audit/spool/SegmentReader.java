package dev.weir.audit.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads a segment file at given positions through a 64 KiB buffer, so a batch of small
 * records costs a few system calls rather than two per record. It never reads at or past the
 * limit it is given: bytes after the last committed record of the active segment may still
 * be cut off by the writer (a failed write is truncated away), so they are never buffered.
 */
final class SegmentReader implements AutoCloseable {
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    private long bufferStart = -1;  // file position of buffer[0], -1 when empty
    private int bufferLength;

    SegmentReader(FileChannel channel) {
        this.channel = channel;
    }

    long size() throws IOException {
        return channel.size();
    }

    /** Fills {@code dst} with the bytes at {@code at}; false if the file or the limit ends first. */
    boolean read(long at, byte[] dst, long limit) throws IOException {
        if (at < 0 || at + dst.length > limit) return false;
        if (dst.length > buffer.capacity()) {
            ByteBuffer direct = ByteBuffer.wrap(dst);
            while (direct.hasRemaining()) {
                if (channel.read(direct, at + direct.position()) < 0) return false;
            }
            return true;
        }
        if (bufferStart < 0 || at < bufferStart || at + dst.length > bufferStart + bufferLength) {
            buffer.clear();
            buffer.limit((int) Math.min(buffer.capacity(), limit - at));
            while (buffer.position() < dst.length) {
                if (channel.read(buffer, at + buffer.position()) < 0) {
                    bufferStart = -1;
                    return false;
                }
            }
            bufferStart = at;
            bufferLength = buffer.position();
        }
        System.arraycopy(buffer.array(), (int) (at - bufferStart), dst, 0, dst.length);
        return true;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
