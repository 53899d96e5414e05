package dev.weir.audit.pipeline;

import dev.weir.audit.event.AuditEvent;
import dev.weir.audit.spool.SegmentChannels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@code sync} future completes only after the force that covers its record has returned,
 * never before, whatever the timing; and a force that never returns (a hung disk) fails the
 * waiting callers after {@code blockTimeout}, not later, since the deadline is kept by a thread
 * of its own and not by the writer that is stuck.
 */
class SyncDurabilityTest {
    /** A disk whose forces each wait for a permit; it counts the bytes written and the forces that returned. */
    static final class GatedDisk implements SegmentChannels {
        final Semaphore permits = new Semaphore(0);
        final AtomicLong forcesDone = new AtomicLong();
        final AtomicLong bytesWritten = new AtomicLong();
        volatile boolean gated;

        @Override
        public FileChannel open(Path file, OpenOption... options) throws IOException {
            return new Gated(FileChannel.open(file, options));
        }

        private final class Gated extends FileChannel {
            private final FileChannel d;

            Gated(FileChannel d) {
                this.d = d;
            }

            @Override
            public void force(boolean metaData) throws IOException {
                if (gated) permits.acquireUninterruptibly();
                d.force(metaData);
                forcesDone.incrementAndGet();
            }

            @Override
            public int write(ByteBuffer src, long position) throws IOException {
                int n = d.write(src, position);
                bytesWritten.addAndGet(n);
                return n;
            }

            @Override public int write(ByteBuffer src) throws IOException { return d.write(src); }
            @Override public long write(ByteBuffer[] srcs, int offset, int length) throws IOException { return d.write(srcs, offset, length); }
            @Override public FileChannel truncate(long size) throws IOException { d.truncate(size); return this; }
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

    private static AuditPipeline.Options options(Path dir, Duration blockTimeout) {
        return new AuditPipeline.Options("w1", 4096, dir, 0, 0, AuditPipeline.Mode.SYNC, AuditPipeline.WhenFull.BLOCK,
                blockTimeout, Duration.ofMillis(50), Duration.ofSeconds(2));
    }

    private static AuditEvent event(int i) {
        return SpooledPipelineTest.event(i);
    }

    /** A pipeline on {@code disk}, its writer past its first event (class loading on a loaded machine can take longer than a timeout), then gated. */
    private static AuditPipeline gated(Path dir, GatedDisk disk, Duration blockTimeout) throws Exception {
        dev.weir.audit.event.EventCodec.encode(event(0).numbered(1, "w1"));
        AuditPipeline p = AuditPipeline.spooled(options(dir, blockTimeout), List.of(), disk);
        assertTrue(p.publishDurable(event(0)).get(30, TimeUnit.SECONDS) > 0);
        disk.forcesDone.set(0);
        disk.gated = true;
        return p;
    }

    @Test
    void aSyncFutureCompletesOnlyAfterTheForceThatCoversItsRecord(@TempDir Path dir) throws Exception {
        GatedDisk disk = new GatedDisk();
        AuditPipeline p = gated(dir, disk, Duration.ofSeconds(30));
        java.util.Random random = new java.util.Random(16);
        List<CompletableFuture<Long>> all = new ArrayList<>();
        for (int round = 0; round < 40; round++) {
            int n = 1 + random.nextInt(20);
            List<CompletableFuture<Long>> batch = new ArrayList<>();
            for (int i = 0; i < n; i++) batch.add(p.publishDurable(event(round * 100 + i)));
            long forcesBefore = disk.forcesDone.get();
            // written (at some point), but no force has returned: nothing may complete
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(random.nextInt(15));
            while (System.nanoTime() < until) {
                for (CompletableFuture<Long> f : batch) assertFalse(f.isDone(), "completed before its force returned");
                Thread.onSpinWait();
            }
            assertEquals(forcesBefore, disk.forcesDone.get());
            disk.permits.release(1 + random.nextInt(3));  // let one or a few forces through
            for (CompletableFuture<Long> f : batch) {
                // each completes only once some force returned after it was published
                while (!f.isDone()) {
                    disk.permits.release();
                    Thread.sleep(1);
                }
                assertTrue(disk.forcesDone.get() > forcesBefore, "completed without a force after it");
            }
            all.addAll(batch);
            disk.permits.drainPermits();
        }
        disk.gated = false;
        disk.permits.release(1000);
        for (CompletableFuture<Long> f : all) assertTrue(f.get() > 0);
        p.close();
    }

    @Test
    void aForceThatNeverReturnsFailsTheWaitersAfterTheBlockTimeout(@TempDir Path dir) throws Exception {
        GatedDisk disk = new GatedDisk();
        AuditPipeline p = gated(dir, disk, Duration.ofMillis(400));
        long t0 = System.nanoTime();
        List<CompletableFuture<Long>> waiting = new ArrayList<>();
        for (int i = 0; i < 10; i++) waiting.add(p.publishDurable(event(i)));
        for (CompletableFuture<Long> f : waiting) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
            assertInstanceOf(TimeoutException.class, e.getCause());
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 390 && ms < 3_000, "failed after " + ms + " ms, the timeout is 400");
        assertEquals(0, disk.forcesDone.get(), "the force is still hanging");
        disk.gated = false;
        disk.permits.release(1000);
        assertTrue(p.publishDurable(event(99)).get(5, TimeUnit.SECONDS) > 0, "once the disk answers, it goes on");
        p.close();
    }

    /** After close nothing can become durable: a sync publish still fails after the block timeout, never hangs. */
    @Test
    void aPublishAfterCloseTimesOut(@TempDir Path dir) throws Exception {
        GatedDisk disk = new GatedDisk();
        AuditPipeline p = gated(dir, disk, Duration.ofMillis(300));
        disk.gated = false;
        p.close();
        long t0 = System.nanoTime();
        ExecutionException e = assertThrows(ExecutionException.class, () -> p.publishDurable(event(5)).get(10, TimeUnit.SECONDS));
        assertInstanceOf(TimeoutException.class, e.getCause());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 290 && ms < 5_000, "failed after " + ms + " ms, the timeout is 300");
    }
}
