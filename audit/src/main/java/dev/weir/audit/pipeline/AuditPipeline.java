package dev.weir.audit.pipeline;

import dev.weir.audit.event.AuditEvent;
import dev.weir.audit.sink.AuditSink;
import org.jctools.queues.MpscArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Event loops {@link #publish} events into a bounded JCTools MPSC queue without locking or
 * blocking; one writer thread drains it in batches into the sink and flushes after each
 * batch. Sequence numbers are assigned at publish time, so a gap in the output means a
 * dropped event; drops (queue full) are counted.
 */
public final class AuditPipeline implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AuditPipeline.class);
    private static final int BATCH = 1024;

    private final MpscArrayQueue<AuditEvent> queue;
    private final AuditSink sink;
    private final String instanceId;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final Thread writer;
    private volatile boolean running = true;

    public AuditPipeline(AuditSink sink, String instanceId, int capacity) {
        this.queue = new MpscArrayQueue<>(capacity);
        this.sink = sink;
        this.instanceId = instanceId;
        this.writer = Thread.ofPlatform().name("weir-audit-writer").daemon(false).unstarted(this::drainLoop);
        this.writer.start();
    }

    /** Offers an event; never blocks. Returns its sequence number, or -1 if it was dropped. */
    public long publish(AuditEvent event) {
        long seq = sequence.incrementAndGet();
        if (!queue.offer(event.numbered(seq, instanceId))) {
            dropped.incrementAndGet();
            return -1;
        }
        LockSupport.unpark(writer);
        return seq;
    }

    public long dropped() {
        return dropped.get();
    }

    public long written() {
        return written.get();
    }

    private void drainLoop() {
        while (running || !queue.isEmpty()) {
            int n = queue.drain(this::writeOne, BATCH);
            if (n > 0) {
                flush();
            } else if (running) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
        }
        flush();
    }

    private void writeOne(AuditEvent e) {
        try {
            sink.write(e);
            written.incrementAndGet();
        } catch (IOException ex) {
            log.error("audit sink failed to write event {}: {}", e.sequence(), ex.toString());
        }
    }

    private void flush() {
        try {
            sink.flush();
        } catch (IOException ex) {
            log.error("audit sink failed to flush: {}", ex.toString());
        }
    }

    /** Stops accepting work, drains every queued event into the sink and closes it. */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(writer);
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            sink.close();
        } catch (IOException ex) {
            log.error("audit sink failed to close: {}", ex.toString());
        }
    }
}
