package dev.weir.proxy.upstream;

import dev.weir.protocol.sigv4.Credentials;
import dev.weir.protocol.sigv4.SigV4Signer;
import dev.weir.proxy.transport.Transport;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The upstream client's pools per event loop, against real sockets: a request sent on a loop
 * is answered on that loop over that loop's own connections; the connection bound is a total
 * over the loops; deadlines hold when a loop's pool is exhausted; cut exchanges give each
 * connection back exactly once; two loops sending at once never mix up answers.
 */
class UpstreamClientPerLoopTest {
    private final EventLoopGroup group = Transport.NIO.newEventLoopGroup(2);
    private final EventLoop loop0, loop1;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    UpstreamClientPerLoopTest() {
        List<EventLoop> loops = new ArrayList<>();
        for (EventExecutor e : group) loops.add((EventLoop) e);
        loop0 = loops.get(0);
        loop1 = loops.get(1);
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : toClose.reversed()) c.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private UpstreamClient client(int port, int maxConnections) {
        UpstreamClient c = new UpstreamClient(URI.create("http://127.0.0.1:" + port), new SigV4Signer(
                new Credentials("AKIDTEST", "test-secret"), "us-east-1", "dynamodb"), Transport.NIO, group, maxConnections,
                Duration.ofSeconds(2), Duration.ofSeconds(30), Clock.systemUTC());
        toClose.add(c);
        return c;
    }

    private <T extends AutoCloseable> T closing(T c) {
        toClose.add(c);
        return c;
    }

    /** What one call saw: the answer, and whether it completed on the loop that sent it. */
    record Seen(UpstreamResponse response, boolean onSendersLoop) {}

    /** Sends on {@code loop} (as a client connection's handler would) and notes where the answer came. */
    private static CompletableFuture<Seen> sendOn(EventLoop loop, Supplier<CompletableFuture<UpstreamResponse>> send) {
        CompletableFuture<Seen> seen = new CompletableFuture<>();
        loop.execute(() -> send.get().whenComplete((r, e) -> {
            if (e != null) seen.completeExceptionally(e);
            else seen.complete(new Seen(r, loop.inEventLoop()));
        }));
        return seen;
    }

    private static long in(long millis) {
        return System.nanoTime() + millis * 1_000_000;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aRequestSentOnALoopIsAnsweredOnThatLoopOverThatLoopsOwnKeptAliveConnection() throws Exception {
        StubStore store = closing(StubStore.echo());
        UpstreamClient client = client(store.port(), 4);
        assertEquals(0, client.poolsMade(), "pools are made on first use");
        for (int i = 0; i < 5; i++) {
            String body = "0 a" + i;
            Seen seen = sendOn(loop0, () -> client.send("T", bytes(body), in(5_000))).get(5, TimeUnit.SECONDS);
            assertTrue(seen.onSendersLoop(), "the answer completed on the sending loop");
            assertEquals(body, new String(seen.response().body(), StandardCharsets.US_ASCII));
        }
        assertEquals(1, client.poolsMade(), "only the loop that sent made its pool");
        assertEquals(1, store.connections(), "one loop's sequential requests reuse its one kept-alive connection");
        for (int i = 0; i < 5; i++) {
            assertTrue(sendOn(loop1, () -> client.send("T", bytes("0"), in(5_000))).get(5, TimeUnit.SECONDS).onSendersLoop());
        }
        assertEquals(2, client.poolsMade());
        assertEquals(2, store.connections(), "the other loop has its own connection: none is shared between loops");
        assertEquals(0, client.acquired());
    }

    @Test
    void aCallFromAThreadOutsideTheLoopsGoesToTheLoopsInTurn() throws Exception {
        StubStore store = closing(StubStore.echo());
        UpstreamClient client = client(store.port(), 4);
        List<Boolean> onALoop = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            onALoop.add(client.send("T", bytes("0"), in(5_000))
                    .thenApply(r -> loop0.inEventLoop() || loop1.inEventLoop()).get(5, TimeUnit.SECONDS));
        }
        assertEquals(List.of(true, true, true, true), onALoop, "the answer to a call from elsewhere completes on a loop");
        assertEquals(2, client.poolsMade(), "calls from elsewhere are spread over the loops");
    }

    @Test
    void maxConnectionsIsSplitAcrossTheLoopsAndStaysATotalBound() throws Exception {
        StubStore store = closing(StubStore.echo());
        assertArrayEquals(new int[] {3, 2}, client(store.port(), 5).shares());
        UpstreamClient one = client(store.port(), 1);
        assertArrayEquals(new int[] {1, 0}, one.shares());
        Seen fromLoopWithoutShare = sendOn(loop1, () -> one.send("T", bytes("0 x"), in(5_000))).get(5, TimeUnit.SECONDS);
        assertEquals("0 x", new String(fromLoopWithoutShare.response().body(), StandardCharsets.US_ASCII),
                "a loop whose share is 0 sends through another loop");
        assertFalse(fromLoopWithoutShare.onSendersLoop());

        StubStore busy = closing(StubStore.echo());
        UpstreamClient three = client(busy.port(), 3);
        List<CompletableFuture<Seen>> calls = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            EventLoop loop = i % 2 == 0 ? loop0 : loop1;
            calls.add(sendOn(loop, () -> three.send("T", bytes("20"), in(10_000))));
        }
        for (CompletableFuture<Seen> c : calls) assertTrue(c.get(15, TimeUnit.SECONDS).onSendersLoop());
        assertTrue(busy.mostOpenAtOnce() <= 3, "at most 3 connections in all, was " + busy.mostOpenAtOnce());
        assertEquals(3, busy.connections(), "both loops used their whole share, and kept it alive");
    }

    @Test
    void whenALoopsPoolIsExhaustedEveryWaitingRequestFailsAtItsOwnDeadline() throws Exception {
        SilentStore store = closing(new SilentStore());
        UpstreamClient client = client(store.port(), 2);
        long t0 = System.nanoTime();
        List<CompletableFuture<Seen>> calls = new ArrayList<>();
        // loop 0's share is one connection: the first request holds it, four wait in loop 0's pool
        for (int i = 0; i < 5; i++) calls.add(sendOn(loop0, () -> client.send("T", bytes("0"), t0 + 800_000_000L)));
        for (CompletableFuture<Seen> c : calls) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> c.get(10, TimeUnit.SECONDS));
            assertInstanceOf(TimeoutException.class, e.getCause());
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 795 && ms < 800 + 600, "all failed after " + ms + " ms (the pool's own bound is 30 s)");
        awaitIdle(client);
    }

    @Test
    void cutExchangesGiveEveryConnectionBackExactlyOnce() throws Exception {
        StubStore store = closing(StubStore.echo());
        UpstreamClient client = client(store.port(), 2);
        Random random = new Random(1607);
        List<CompletableFuture<Seen>> calls = new ArrayList<>();
        int cut = 0;
        for (int i = 0; i < 60; i++) {
            long delay = random.nextInt(40);
            long deadline = 5 + random.nextInt(40);
            if (delay >= deadline) cut++;
            EventLoop loop = random.nextBoolean() ? loop0 : loop1;
            calls.add(sendOn(loop, () -> client.send("T", bytes(delay + " c"), in(deadline))));
            if (i % 4 == 3) Thread.sleep(random.nextInt(30));
        }
        int timedOut = 0;
        for (CompletableFuture<Seen> c : calls) {
            try {
                c.get(10, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                assertInstanceOf(TimeoutException.class, e.getCause());
                timedOut++;
            }
        }
        assertTrue(cut > 10 && timedOut > 10, "the run cut exchanges (" + timedOut + " timed out)");
        awaitIdle(client);
        assertEquals(0, client.releaseFailures(), "no connection was given back twice");
        // every slot is free again: two at once per loop's share, answered promptly
        List<CompletableFuture<Seen>> after = List.of(
                sendOn(loop0, () -> client.send("T", bytes("100 a"), in(5_000))),
                sendOn(loop1, () -> client.send("T", bytes("100 b"), in(5_000))));
        for (CompletableFuture<Seen> c : after) assertTrue(c.get(2, TimeUnit.SECONDS).onSendersLoop());
        awaitIdle(client);
    }

    @Test
    void twoLoopsSendingAtOnceEachGetTheirOwnAnswersOnTheirOwnLoop() throws Exception {
        StubStore store = closing(StubStore.echo());
        UpstreamClient client = client(store.port(), 4);
        Random random = new Random(2411);
        List<String> sent = new ArrayList<>();
        List<CompletableFuture<Seen>> calls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String body = random.nextInt(3) + " loop" + (i % 2) + "-" + i;
            sent.add(body);
            calls.add(sendOn(i % 2 == 0 ? loop0 : loop1, () -> client.send("T", bytes(body), in(10_000))));
        }
        for (int i = 0; i < calls.size(); i++) {
            Seen seen = calls.get(i).get(15, TimeUnit.SECONDS);
            assertEquals(sent.get(i), new String(seen.response().body(), StandardCharsets.US_ASCII));
            assertTrue(seen.onSendersLoop(), "answer " + i + " completed on its sender's loop");
        }
        assertTrue(store.mostOpenAtOnce() <= 4);
        awaitIdle(client);
        assertEquals(0, client.releaseFailures());
    }

    @Test
    void aClosedClientFailsCallsAtOnce() throws Exception {
        StubStore store = closing(StubStore.echo());
        UpstreamClient client = client(store.port(), 2);
        assertEquals("0", new String(client.send("T", bytes("0"), in(5_000)).get(5, TimeUnit.SECONDS).body(), StandardCharsets.US_ASCII));
        client.close();
        assertEquals(0, client.poolsMade());
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> sendOn(loop0, () -> client.send("T", bytes("0"), in(5_000))).get(5, TimeUnit.SECONDS));
        assertInstanceOf(java.io.IOException.class, e.getCause());
    }

    /** Waits (at most 2 s: a cut connection goes back once it has closed) until no connection is handed out. */
    private static void awaitIdle(UpstreamClient client) throws InterruptedException {
        long until = in(2_000);
        while (client.acquired() != 0 && System.nanoTime() < until) Thread.sleep(5);
        assertEquals(0, client.acquired(), "every connection handed out was given back");
    }
}
