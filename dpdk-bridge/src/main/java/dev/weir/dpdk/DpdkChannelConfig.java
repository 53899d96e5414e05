package dev.weir.dpdk;

import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultChannelConfig;

import java.util.Map;

/**
 * A bridge connection's options: Netty's defaults, and {@code TCP_NODELAY}, which lwIP's
 * connections always have on (the shim turns Nagle off at accept: a proxy answers at once).
 */
final class DpdkChannelConfig extends DefaultChannelConfig {
    private final DpdkChannel channel;

    DpdkChannelConfig(DpdkChannel channel) {
        super(channel);
        this.channel = channel;
    }

    @Override
    public Map<ChannelOption<?>, Object> getOptions() {
        return getOptions(super.getOptions(), ChannelOption.TCP_NODELAY);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getOption(ChannelOption<T> option) {
        if (option == ChannelOption.TCP_NODELAY) return (T) Boolean.TRUE;
        return super.getOption(option);
    }

    @Override
    public <T> boolean setOption(ChannelOption<T> option, T value) {
        if (option == ChannelOption.TCP_NODELAY) return Boolean.TRUE.equals(value);
        return super.setOption(option, value);
    }

    @Override
    protected void autoReadCleared() {
        channel.clearReadWanted();
    }
}
