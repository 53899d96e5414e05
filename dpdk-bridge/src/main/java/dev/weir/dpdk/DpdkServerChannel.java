package dev.weir.dpdk;

import io.netty.channel.AbstractServerChannel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.EventLoop;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * A listener on the bridge: binding it makes lwIP listen on the port (on the bridge's address,
 * whatever host the bind names); accepted connections arrive as {@link DpdkChannel}s fired on
 * this channel's loop, which Netty's {@code ServerBootstrap} hands to its child group.
 */
public final class DpdkServerChannel extends AbstractServerChannel {
    private final Bridge bridge;
    private final DefaultChannelConfig config = new DefaultChannelConfig(this) {
        @Override
        public <T> boolean setOption(ChannelOption<T> option, T value) {
            // lwIP's listen queue is unbounded: SO_BACKLOG has nothing to set.
            return option == ChannelOption.SO_BACKLOG || super.setOption(option, value);
        }
    };
    private volatile InetSocketAddress local;
    private volatile boolean open = true;

    DpdkServerChannel(Bridge bridge) {
        this.bridge = bridge;
    }

    /** An accepted connection (called on the poller): fired on this channel's loop. */
    void accepted(DpdkChannel child) {
        eventLoop().execute(() -> {
            if (!open) {
                child.unsafe().close(child.voidPromise());
                return;
            }
            pipeline().fireChannelRead(child);
            pipeline().fireChannelReadComplete();
        });
    }

    @Override
    protected boolean isCompatible(EventLoop loop) {
        return true;
    }

    @Override
    protected SocketAddress localAddress0() {
        return local;
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    protected void doBind(SocketAddress localAddress) throws Exception {
        int port = ((InetSocketAddress) localAddress).getPort();
        if (port == 0) throw new IllegalArgumentException("a dpdk-bridge listener needs a port (0 picks none)");
        String failure = bridge.listen(port, this);
        if (failure != null) throw new java.net.BindException("dpdk-bridge cannot listen on port " + port + ": " + failure);
        local = new InetSocketAddress(bridge.address(), port);
    }

    @Override
    protected void doClose() {
        if (!open) return;
        open = false;
        if (local != null) bridge.unlisten(local.getPort());
    }

    @Override
    protected void doBeginRead() {
        // Accepting never pauses: lwIP takes connections as they come.
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
        return open && local != null;
    }
}
