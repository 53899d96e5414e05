package dev.weir.proxy.upstream;

import dev.weir.protocol.sigv4.Credentials;
import dev.weir.protocol.sigv4.SigV4Signer;
import dev.weir.proxy.transport.Transport;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One deadline per request, over the wait for a pooled connection and the exchange, against
 * real sockets: a store that accepts and never answers, one that answers late, and none.
 */
class UpstreamDeadlineTest {
    private static final long DEADLINE_MS = 1_000;
    /**
     * What "on time" may add: the timer's tick, and scheduling on a shared 2-core machine. Less
     * than the deadline, so a request that waited out one deadline for the pool and another for
     * the exchange fails the test.
     */
    private static final long MARGIN_MS = 600;

    private final EventLoopGroup group = Transport.NIO.newEventLoopGroup(2);
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : toClose.reversed()) c.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** A client whose own timeout (the pool's bound on waiting) is far longer than the deadlines the test gives. */
    private UpstreamClient client(int port, int maxConnections) {
        UpstreamClient c = new UpstreamClient(URI.create("http://127.0.0.1:" + port), new SigV4Signer(
                new Credentials("AKIDTEST", "test-secret"), "us-east-1", "dynamodb"), Transport.NIO, group, maxConnections,
                Duration.ofSeconds(2), Duration.ofSeconds(30), Clock.systemUTC());
        toClose.add(c);
        return c;
    }

    @Test
    void requestsWaitingForTheOnlyConnectionFailAtTheirOwnDeadlineNotAfterTwoTimeouts() throws Exception {
        SilentStore store = closing(new SilentStore());
        UpstreamClient client = client(store.port(), 1);
        long t0 = System.nanoTime();
        List<CompletableFuture<UpstreamResponse>> calls = new ArrayList<>();
        // The first holds the one connection; the others wait for it in the pool.
        for (int i = 0; i < 5; i++) {
            calls.add(client.send("DynamoDB_20120810.ListTables", "{}".getBytes(), t0 + DEADLINE_MS * 1_000_000));
        }
        for (CompletableFuture<UpstreamResponse> c : calls) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> c.get(10, TimeUnit.SECONDS));
            assertInstanceOf(TimeoutException.class, e.getCause());
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= DEADLINE_MS - 5 && ms < DEADLINE_MS + MARGIN_MS, "all failed after " + ms + " ms");
    }

    @Test
    void theDeadlineCountsFromWhenTheRequestWasTakenUpNotFromTheSend() throws Exception {
        SilentStore store = closing(new SilentStore());
        UpstreamClient client = client(store.port(), 2);
        long t0 = System.nanoTime();
        // A request taken up 300 ms ago with 400 ms to live has 100 ms left.
        CompletableFuture<UpstreamResponse> late = client.send("DynamoDB_20120810.ListTables", "{}".getBytes(),
                t0 + 100_000_000);
        assertThrows(ExecutionException.class, () -> late.get(10, TimeUnit.SECONDS));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 100 + MARGIN_MS, "failed after " + ms + " ms (the client's own timeout is 30 s)");
        CompletableFuture<UpstreamResponse> gone = client.send("DynamoDB_20120810.ListTables", "{}".getBytes(), t0 - 1);
        ExecutionException e = assertThrows(ExecutionException.class, () -> gone.get(1, TimeUnit.SECONDS));
        assertInstanceOf(TimeoutException.class, e.getCause(), "a deadline already passed fails at once");
    }

    @Test
    void aConnectionWhoseExchangeTimedOutIsNotReusedSoALateAnswerNeverAnswersTheNextRequest() throws Exception {
        // Answers each request with its own body, after the delay the body names (ms).
        StubStore store = closing(StubStore.echo());
        UpstreamClient client = client(store.port(), 1);
        CompletableFuture<UpstreamResponse> slow = client.send("T", "600".getBytes(), System.nanoTime() + 200_000_000);
        assertThrows(ExecutionException.class, () -> slow.get(5, TimeUnit.SECONDS));
        // The one pool slot was given back (else this would wait and time out), on a new connection.
        UpstreamResponse next = client.send("T", "0".getBytes(), System.nanoTime() + 5_000_000_000L).get(6, TimeUnit.SECONDS);
        assertEquals("0", new String(next.body(), StandardCharsets.US_ASCII));
        Thread.sleep(600);
        UpstreamResponse after = client.send("T", "1".getBytes(), System.nanoTime() + 5_000_000_000L).get(6, TimeUnit.SECONDS);
        assertEquals("1", new String(after.body(), StandardCharsets.US_ASCII));
        assertEquals(2, store.connections(), "the timed-out exchange's connection was closed, the next one kept alive");
    }

    @Test
    void manyTimeoutsOnOneConnectionLeakNoPoolSlot() throws Exception {
        StubStore store = closing(StubStore.echo());
        UpstreamClient client = client(store.port(), 1);
        for (int i = 0; i < 20; i++) {
            CompletableFuture<UpstreamResponse> c = client.send("T", "300".getBytes(), System.nanoTime() + 20_000_000);
            assertThrows(ExecutionException.class, () -> c.get(5, TimeUnit.SECONDS));
        }
        long t0 = System.nanoTime();
        UpstreamResponse ok = client.send("T", "7".getBytes(), System.nanoTime() + 5_000_000_000L).get(6, TimeUnit.SECONDS);
        assertEquals("7", new String(ok.body(), StandardCharsets.US_ASCII));
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 2_000);
    }

    @Test
    void aStoreThatIsGoneFailsAtOnceWithAnIoError() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        UpstreamClient client = client(port, 2);
        long t0 = System.nanoTime();
        CompletableFuture<UpstreamResponse> c = client.send("T", "{}".getBytes(), t0 + 5_000_000_000L);
        ExecutionException e = assertThrows(ExecutionException.class, () -> c.get(5, TimeUnit.SECONDS));
        assertInstanceOf(IOException.class, e.getCause());
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 1_000);
    }

    /**
     * Deadlines are timed on the loops that own the requests: once the requests are answered,
     * no thread of weir's wakes to tick a timer. (The hashed wheel before woke its thread every
     * 10 ms for the life of the process, about 100 times a second, busy or idle.)
     */
    @Test
    void answeredRequestsLeaveNoTimerThreadTicking() throws Exception {
        StubStore store = closing(StubStore.echo());
        UpstreamClient client = client(store.port(), 2);
        for (int i = 0; i < 50; i++) {
            UpstreamResponse r = client.send("T", "0".getBytes(), System.nanoTime() + 5_000_000_000L).get(6, TimeUnit.SECONDS);
            assertEquals("0", new String(r.body(), StandardCharsets.US_ASCII));
        }
        Thread.sleep(200);
        Map<String, Long> before = weirThreadWakeups();
        Thread.sleep(1_000);
        Map<String, Long> after = weirThreadWakeups();
        for (var e : after.entrySet()) {
            long woke = e.getValue() - before.getOrDefault(e.getKey(), e.getValue());
            assertTrue(woke < 20, "thread " + e.getKey() + " woke " + woke + " times in an idle second");
        }
    }

    /** Voluntary context switches of each thread of this process named weir-*, by task id and name (Linux /proc). */
    private static Map<String, Long> weirThreadWakeups() throws IOException {
        Map<String, Long> out = new HashMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String name = Files.readString(t.resolve("comm")).trim();
                    if (!name.startsWith("weir-")) continue;
                    for (String line : Files.readAllLines(t.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:")) {
                            out.put(t.getFileName() + " " + name, Long.parseLong(line.substring(line.indexOf(':') + 1).trim()));
                        }
                    }
                } catch (IOException ended) { // gone from /proc (no such file), or exiting as it was read (ESRCH)
                    // the thread ended while it was read
                }
            }
        }
        return out;
    }

    @Test
    void aBoundedFutureFailsAtTheDeadlineAndLeavesTheSharedOneAlone() throws Exception {
        CompletableFuture<String> shared = new CompletableFuture<>();
        long t0 = System.nanoTime();
        CompletableFuture<String> mine = DeadlineTimer.bound(shared, t0 + 100_000_000, Runnable::run, () -> new TimeoutException("late"));
        ExecutionException e = assertThrows(ExecutionException.class, () -> mine.get(5, TimeUnit.SECONDS));
        assertInstanceOf(TimeoutException.class, e.getCause());
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 100 + MARGIN_MS);
        shared.complete("v");
        CompletableFuture<String> theirs = DeadlineTimer.bound(shared, t0, Runnable::run, () -> new TimeoutException("late"));
        assertEquals("v", theirs.get(), "a complete future is not timed out, even past the deadline");
    }

    private <T extends AutoCloseable> T closing(T c) {
        toClose.add(c);
        return c;
    }
}
