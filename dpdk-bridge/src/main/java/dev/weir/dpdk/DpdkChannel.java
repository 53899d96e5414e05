package dev.weir.dpdk;

import io.netty.buffer.ByteBuf;
import io.netty.channel.AbstractChannel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One TCP connection accepted on the bridge, as a Netty channel. It registers on any event
 * loop (the proxy puts it on its epoll workers, where its upstream connection lives too); its
 * I/O is done by the bridge's poller, which it reaches through the bridge's command queue.
 *
 * <p>Reading: {@code read()} (or auto-read) asks the poller for bytes; they come back as
 * channel reads on this channel's loop. Bytes the channel does not ask for stay in lwIP, whose
 * window then closes: back-pressure reaches the client as TCP's own. Writing: flushed buffers
 * are handed over as retained slices and stay in the outbound buffer (so writability and
 * write promises mean what they mean on epoll) until the poller reports that lwIP took them.
 */
public final class DpdkChannel extends AbstractChannel {
    private static final ChannelMetadata METADATA = new ChannelMetadata(false, 16);

    private final Bridge bridge;
    private final int id;
    private final InetSocketAddress remote, local;
    private final DpdkChannelConfig config;
    // Loop state.
    private boolean open = true;
    private long inFlight; // bytes handed to the poller and not yet reported written
    private boolean closedByBridge;
    // Poller state.
    private final ArrayDeque<ByteBuf> pending = new ArrayDeque<>();
    private boolean closing;
    // Shared: the loop sets it, the poller reads it.
    private volatile boolean readWanted;

    DpdkChannel(DpdkServerChannel parent, Bridge bridge, int id, InetSocketAddress remote, InetSocketAddress local) {
        super(parent);
        this.bridge = bridge;
        this.id = id;
        this.remote = remote;
        this.local = local;
        this.config = new DpdkChannelConfig(this);
    }

    int connId() {
        return id;
    }

    // ---- the poller's side ----

    boolean readWanted() {
        return readWanted;
    }

    ArrayDeque<ByteBuf> pending() {
        return pending;
    }

    boolean closing() {
        return closing;
    }

    void markClosing() {
        closing = true;
    }

    void dropPending() {
        ByteBuf b;
        while ((b = pending.poll()) != null) b.release();
    }

    /** Bytes read for this channel: fired on its loop. */
    void deliver(ByteBuf buf) {
        if (!config.isAutoRead()) readWanted = false; // one read() gives one read
        eventLoop().execute(() -> {
            if (!open) {
                buf.release();
                return;
            }
            pipeline().fireChannelRead(buf);
            pipeline().fireChannelReadComplete();
        });
    }

    /** The peer closed (or the connection failed): the channel closes, as epoll's does without half-closure. */
    void deliverEnd() {
        readWanted = false;
        eventLoop().execute(() -> {
            if (open) unsafe().close(voidPromise());
        });
    }

    /** The connection was reset; the bridge has already forgotten it. */
    void closedByBridge() {
        eventLoop().execute(() -> {
            closedByBridge = true;
            if (open) unsafe().close(voidPromise());
        });
    }

    /** lwIP took {@code bytes} more: they leave the outbound buffer and the next flushed ones go. */
    void written(long bytes) {
        eventLoop().execute(() -> {
            inFlight -= bytes;
            ChannelOutboundBuffer out = unsafe().outboundBuffer();
            if (out == null) return;
            out.removeBytes(bytes);
            if (inFlight == 0 && !out.isEmpty()) ((DpdkUnsafe) unsafe()).flushAgain();
        });
    }

    // ---- Netty ----

    void clearReadWanted() {
        readWanted = false;
    }

    @Override
    protected AbstractUnsafe newUnsafe() {
        return new DpdkUnsafe();
    }

    private final class DpdkUnsafe extends AbstractUnsafe {
        @Override
        public void connect(SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise) {
            promise.setFailure(new UnsupportedOperationException("dpdk-bridge channels are accepted, never connected"));
        }

        void flushAgain() {
            flush0();
        }
    }

    @Override
    protected boolean isCompatible(EventLoop loop) {
        return true; // no I/O registration: the poller does the I/O, the loop runs tasks
    }

    @Override
    protected SocketAddress localAddress0() {
        return local;
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return remote;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    protected void doBind(SocketAddress localAddress) {
        throw new UnsupportedOperationException("an accepted dpdk-bridge channel is already bound");
    }

    @Override
    protected void doDisconnect() {
        doClose();
    }

    @Override
    protected void doClose() {
        if (!open) return;
        open = false;
        readWanted = false;
        if (!closedByBridge) bridge.close(this);
    }

    @Override
    protected void doBeginRead() {
        if (!open) return;
        readWanted = true;
        bridge.requestRead(this);
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer in) throws Exception {
        if (inFlight > 0 || in.isEmpty()) return; // one hand-over at a time; written() sends the rest
        List<ByteBuf> slices = new ArrayList<>();
        long[] total = {0};
        in.forEachFlushedMessage(msg -> {
            ByteBuf b = (ByteBuf) msg;
            if (b.isReadable()) {
                slices.add(b.retainedSlice());
                total[0] += b.readableBytes();
            }
            return total[0] < 1024 * 1024 && slices.size() < 256;
        });
        if (total[0] == 0) {
            // Only empty buffers: they complete at once.
            while (!in.isEmpty() && ((ByteBuf) in.current()).readableBytes() == 0) in.remove();
            return;
        }
        inFlight = total[0];
        bridge.send(this, slices);
    }

    @Override
    protected Object filterOutboundMessage(Object msg) {
        if (msg instanceof ByteBuf) return msg;
        throw new UnsupportedOperationException("dpdk-bridge channels write ByteBufs only, not " + msg.getClass().getSimpleName());
    }

    @Override
    public ChannelConfig config() {
        return config;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean isActive() {
        return open;
    }

    @Override
    public ChannelMetadata metadata() {
        return METADATA;
    }
}
