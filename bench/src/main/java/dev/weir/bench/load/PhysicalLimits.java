package dev.weir.bench.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./weir bench limits}: the physical floor under a proxy on this machine, which issue 16
 * asks the benchmark report to state beside HAProxy's figure. Two measurements, each the median
 * of several rounds with its spread:
 *
 * <ul>
 *   <li><b>memcpy</b>: {@code System.arraycopy} of 1 MB arrays, GB/s on one core (what copying a
 *       Scan page costs per byte, at best);</li>
 *   <li><b>loopback TCP exchange</b>: one keep-alive connection, a request of {@value #REQUEST}
 *       bytes and an answer of {@value #ANSWER} (a GetItem's sizes), the client waiting for each
 *       answer; the CPU both ends' threads used per exchange (thread CPU time, so the system
 *       calls' kernel time is in it). A proxy does two such exchanges per request (its client's
 *       and its store's) and is one end of each: about one exchange's CPU is its floor.</li>
 * </ul>
 * Plain blocking sockets, nothing else: no HTTP, no JSON, no crypto.
 */
public final class PhysicalLimits {
    static final int REQUEST = 350;
    static final int ANSWER = 600;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private PhysicalLimits() {}

    public static int run(List<String> args) throws Exception {
        int rounds = args.contains("--quick") ? 5 : 9;
        List<Double> copy = new ArrayList<>();
        for (int r = 0; r < rounds; r++) copy.add(memcpyGigabytesPerSecond());
        System.out.printf(Locale.ROOT, "memcpy (System.arraycopy of 1 MB, one core): %s GB/s%n", summary(copy, "%.1f"));
        List<Double> exchange = new ArrayList<>();
        for (int r = 0; r < rounds; r++) exchange.add(loopbackMicrosPerExchange(20_000));
        System.out.printf(Locale.ROOT, "loopback TCP exchange (%d-byte request, %d-byte answer, one connection, both ends' "
                + "thread CPU): %s µs per exchange%n", REQUEST, ANSWER, summary(exchange, "%.1f"));
        System.out.printf(Locale.ROOT, "a proxy's floor: about one exchange's CPU per request (it is one end of two exchanges)%n");
        return 0;
    }

    /** GB/s of {@code System.arraycopy} between two 1 MB arrays, over about half a second. */
    static double memcpyGigabytesPerSecond() {
        byte[] a = new byte[1 << 20], b = new byte[1 << 20];
        for (int i = 0; i < a.length; i++) a[i] = (byte) i;
        long bytes = 0, start = System.nanoTime();
        while (System.nanoTime() - start < 500_000_000L) {
            for (int k = 0; k < 64; k++) {
                System.arraycopy(a, 0, b, 0, a.length);
                bytes += a.length;
                byte[] t = a;
                a = b;
                b = t;
            }
        }
        return bytes / ((System.nanoTime() - start) / 1e9) / 1e9;
    }

    /** Both ends' thread CPU per exchange over {@code exchanges} request/answer exchanges on one loopback connection. */
    static double loopbackMicrosPerExchange(int exchanges) throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            long[] serverCpu = new long[1];
            Thread answering = Thread.ofPlatform().start(() -> {
                try (SocketChannel s = server.accept()) {
                    s.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    ByteBuffer in = ByteBuffer.allocateDirect(REQUEST), out = ByteBuffer.allocateDirect(ANSWER);
                    long cpu0 = THREADS.getCurrentThreadCpuTime();
                    for (int i = 0; i < exchanges; i++) {
                        readFully(s, in.clear());
                        writeFully(s, out.clear());
                    }
                    serverCpu[0] = THREADS.getCurrentThreadCpuTime() - cpu0;
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            long clientCpu;
            try (SocketChannel c = SocketChannel.open(server.getLocalAddress())) {
                c.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ByteBuffer out = ByteBuffer.allocateDirect(REQUEST), in = ByteBuffer.allocateDirect(ANSWER);
                long cpu0 = THREADS.getCurrentThreadCpuTime();
                for (int i = 0; i < exchanges; i++) {
                    writeFully(c, out.clear());
                    readFully(c, in.clear());
                }
                clientCpu = THREADS.getCurrentThreadCpuTime() - cpu0;
            }
            answering.join();
            return (clientCpu + serverCpu[0]) / 1e3 / exchanges;
        }
    }

    private static void readFully(SocketChannel s, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) if (s.read(b) < 0) throw new IOException("closed");
    }

    private static void writeFully(SocketChannel s, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) s.write(b);
    }

    /** "median (lowest-highest)". */
    static String summary(List<Double> values, String format) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return String.format(Locale.ROOT, format + " (" + format + "-" + format + ")", sorted.get(sorted.size() / 2),
                sorted.getFirst(), sorted.getLast());
    }
}
