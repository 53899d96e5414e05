package dev.weir.audit.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A disk with a byte budget, as {@link SegmentChannels}: writes succeed until the budget is
 * spent, then one is cut short and the next fails with "No space left on device", as write(2)
 * does on a full file system. Truncating gives the bytes back. Forces and truncates can be
 * made to fail too.
 */
public final class FullDisk implements SegmentChannels {
    private final AtomicLong free = new AtomicLong(Long.MAX_VALUE);
    public volatile boolean failForce;
    public volatile boolean failTruncate;
    public volatile boolean failOpen;
    private final boolean preallocates;

    /** A disk the spool does not preallocate on: every write is charged, so a test meets ENOSPC at the byte it aims at. */
    public FullDisk() {
        this(false);
    }

    /** @param preallocates whether the spool preallocates on it (its zeros are charged like any write) */
    public FullDisk(boolean preallocates) {
        this.preallocates = preallocates;
    }

    @Override
    public boolean preallocates() {
        return preallocates;
    }

    /** Bytes that can still be written (Long.MAX_VALUE: unlimited). */
    public void free(long bytes) {
        free.set(bytes);
    }

    @Override
    public FileChannel open(Path file, OpenOption... options) throws IOException {
        if (failOpen) throw new IOException("No space left on device");
        return new Channel(FileChannel.open(file, options));
    }

    private final class Channel extends FileChannel {
        private final FileChannel d;

        Channel(FileChannel d) {
            this.d = d;
        }

        private ByteBuffer admit(ByteBuffer src) throws IOException {
            long left = free.get();
            if (left <= 0) throw new IOException("No space left on device");
            if (src.remaining() <= left) {
                if (left != Long.MAX_VALUE) free.addAndGet(-src.remaining());
                return src;
            }
            free.set(0);
            return src.slice(src.position(), (int) left);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            ByteBuffer part = admit(src);
            int n = d.write(part, position);
            if (part != src) src.position(src.position() + n);
            return n;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            ByteBuffer part = admit(src);
            int n = d.write(part);
            if (part != src) src.position(src.position() + n);
            return n;
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            long n = 0;
            for (int i = offset; i < offset + length; i++) n += write(srcs[i]);
            return n;
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            if (failTruncate) throw new IOException("Input/output error");
            long before = d.size();
            d.truncate(size);
            if (before > size && free.get() != Long.MAX_VALUE) free.addAndGet(before - size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            if (failForce) throw new IOException("Input/output error");
            d.force(metaData);
        }

        @Override public int read(ByteBuffer dst) throws IOException { return d.read(dst); }
        @Override public long read(ByteBuffer[] dsts, int offset, int length) throws IOException { return d.read(dsts, offset, length); }
        @Override public int read(ByteBuffer dst, long position) throws IOException { return d.read(dst, position); }
        @Override public long position() throws IOException { return d.position(); }
        @Override public FileChannel position(long p) throws IOException { d.position(p); return this; }
        @Override public long size() throws IOException { return d.size(); }
        @Override public long transferTo(long position, long count, WritableByteChannel target) { throw new UnsupportedOperationException(); }
        @Override public long transferFrom(ReadableByteChannel src, long position, long count) { throw new UnsupportedOperationException(); }
        @Override public MappedByteBuffer map(MapMode mode, long position, long size) { throw new UnsupportedOperationException(); }
        @Override public FileLock lock(long position, long size, boolean shared) { throw new UnsupportedOperationException(); }
        @Override public FileLock tryLock(long position, long size, boolean shared) { throw new UnsupportedOperationException(); }
        @Override protected void implCloseChannel() throws IOException { d.close(); }
    }
}
