package dev.weir.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.HdrHistogram.Histogram;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The load generator: a pool of keep-alive HTTP/1.1 connections on Netty (epoll where
 * available: its timers are precise to microseconds, NIO's to milliseconds) that sends
 * prepared requests open loop at a fixed rate or closed loop as fast as answers come, and
 * measures latency with HdrHistogram and the CPU of the processes it is told to watch.
 */
public final class LoadGenerator implements AutoCloseable {
    private static final Duration START_DELAY = Duration.ofMillis(100);

    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> channelType;
    private final String transport;

    public LoadGenerator(int ioThreads) {
        DefaultThreadFactory threads = new DefaultThreadFactory("weir-bench-load", true);
        if (Epoll.isAvailable()) {
            group = new MultiThreadIoEventLoopGroup(ioThreads, threads, EpollIoHandler.newFactory());
            channelType = EpollSocketChannel.class;
            transport = "epoll";
        } else {
            group = new MultiThreadIoEventLoopGroup(ioThreads, threads, NioIoHandler.newFactory());
            channelType = NioSocketChannel.class;
            transport = "nio";
        }
    }

    public String transport() {
        return transport;
    }

    /** Runs one phase against {@code endpoint}, measuring the CPU of {@code servers}. */
    public PhaseResult run(Endpoint endpoint, RequestMix mix, PhaseSpec spec, List<? extends CpuSource> servers)
            throws InterruptedException {
        return run(endpoint, mix, spec, servers, 0);
    }

    /**
     * As {@link #run(Endpoint, RequestMix, PhaseSpec, List)}, and, when {@code heapPid} is a JVM's
     * process id (0: none), the bytes that JVM's threads allocated on the heap per completed request
     * in the measured window ({@link HeapAllocation}, read right after the CPU at each end of it).
     */
    public PhaseResult run(Endpoint endpoint, RequestMix mix, PhaseSpec spec, List<? extends CpuSource> servers, long heapPid)
            throws InterruptedException {
        long drainNanos = Math.max(TimeUnit.SECONDS.toNanos(10), spec.measure().toNanos());
        long interval = spec.openLoop() ? Math.round(spec.connections() * 1e9 / spec.rate()) : 0;
        List<LoadConnection> connections = new ArrayList<>();
        List<Channel> channels = new ArrayList<>();
        try {
            for (int i = 0; i < spec.connections(); i++) {
                LoadConnection connection = new LoadConnection(spec.seed() * 1_000_003L + i, interval);
                channels.add(connect(endpoint, connection));
                connections.add(connection);
            }
            long start = System.nanoTime() + START_DELAY.toNanos();
            long measureStart = start + spec.warmup().toNanos();
            long end = measureStart + spec.measure().toNanos();
            LoadRun run = new LoadRun(mix, spec.openLoop(), start, measureStart, end, spec.connections());
            for (int i = 0; i < connections.size(); i++) {
                long first = spec.openLoop() ? start + Math.round(i * 1e9 / spec.rate()) : start;
                connections.get(i).begin(run, channels.get(i), first);
            }

            sleepUntil(measureStart);
            List<CpuTime> serverBefore = servers.stream().map(CpuSource::cpuTime).toList();
            CpuTime clientBefore = ProcCpu.of(ProcessHandle.current().pid(), false);
            CpuStat machineBefore = CpuStat.read();
            Instant wallStart = Instant.now();
            // After the CPU readings: the thread dump behind it costs the JVM a few milliseconds, which this first
            // reading adds to the CPU's window (about 0.1% of a 4 s one) and the last one, after the window, does not.
            Map<Long, Long> heapBefore = heapPid > 0 ? HeapAllocation.read(heapPid) : null;
            sleepUntil(end);
            List<CpuTime> serverAfter = servers.stream().map(CpuSource::cpuTime).toList();
            CpuTime clientAfter = ProcCpu.of(ProcessHandle.current().pid(), false);
            Map<String, CpuStat.Use> machineCpu = CpuStat.read().since(machineBefore);
            Instant wallEnd = Instant.now();
            long heapBytes = heapPid > 0 ? HeapAllocation.between(heapBefore, HeapAllocation.read(heapPid)) : -1;

            if (!run.finished.await(drainNanos, TimeUnit.NANOSECONDS)) {
                run.fail("requests still unanswered " + TimeUnit.NANOSECONDS.toSeconds(drainNanos)
                        + " s after the phase ended");
            }

            double seconds = spec.measure().toNanos() / 1e9;
            long completed = connections.stream().mapToLong(c -> c.completedInWindow).sum();
            long recorded = connections.stream().mapToLong(c -> c.recorded).sum();
            long errors = connections.stream().mapToLong(c -> c.errors).sum();
            long bytesSent = connections.stream().mapToLong(c -> c.bytesSentInWindow).sum();
            long bytesReceived = connections.stream().mapToLong(c -> c.bytesReceivedInWindow).sum();
            Map<String, CpuUse> serverCpu = new LinkedHashMap<>();
            for (int i = 0; i < servers.size(); i++) {
                serverCpu.put(servers.get(i).name(), CpuUse.of(serverAfter.get(i).minus(serverBefore.get(i)), seconds, completed));
            }
            Histogram all = merged(run.latency);
            Map<String, Latency> byOperation = new LinkedHashMap<>();
            for (int i = 0; i < mix.size(); i++) byOperation.put(mix.entries().get(i).label(), Latency.of(run.latency[i]));
            return new PhaseResult(endpoint.name(), spec.mode().name().toLowerCase().replace('_', '-'),
                    spec.connections(), spec.openLoop() ? spec.rate() : 0, seconds,
                    Math.round(completed / seconds * 10) / 10.0, recorded, errors, run.errorSamples(), run.failure(),
                    Latency.of(all), Latency.of(merged(run.service)), byOperation, serverCpu,
                    CpuUse.of(clientAfter.minus(clientBefore), seconds, completed), machineCpu, wallStart.toString(), wallEnd.toString(),
                    encode(all), bytesSent, bytesReceived,
                    heapBytes < 0 || completed == 0 ? PhaseResult.NOT_MEASURED : Math.round(10.0 * heapBytes / completed) / 10.0);
        } finally {
            for (Channel c : channels) c.close();
            for (Channel c : channels) c.closeFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    private Channel connect(Endpoint endpoint, LoadConnection connection) {
        return new Bootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                if (msg instanceof ByteBuf b) connection.received(b.readableBytes());
                                ctx.fireChannelRead(msg);
                            }
                        }).addLast(new HttpResponseDecoder()).addLast(connection);
                    }
                })
                .connect(endpoint.host(), endpoint.port())
                .syncUninterruptibly()
                .channel();
    }

    private static Histogram merged(Histogram[] parts) {
        Histogram all = new Histogram(parts[0].getLowestDiscernibleValue(), parts[0].getHighestTrackableValue(), 3);
        for (Histogram h : parts) all.add(h);
        return all;
    }

    private static String encode(Histogram h) {
        ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int n = h.encodeIntoCompressedByteBuffer(buffer);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), n));
    }

    private static void sleepUntil(long nanoTime) {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) LockSupport.parkNanos(left);
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
