package dev.weir.proxy.upstream;

import dev.weir.proxy.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One loop's pool against a real loopback store: each connection's state ({@link PooledConnection})
 * is made once and kept with the connection, a connection given back twice is refused and
 * reported (the handed-out count never goes below 0), a waiting request that gave up is
 * skipped, and the pending slot goes back to exactly one of several takers.
 */
class LoopPoolTest {
    private final EventLoopGroup group = Transport.NIO.newEventLoopGroup(1);
    private final EventLoop loop = (EventLoop) group.next();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final List<String> releaseFailures = new ArrayList<>();
    private final AtomicInteger statesMade = new AtomicInteger();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : toClose.reversed()) c.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private LoopPool pool(int max, int maxWaiting) throws IOException {
        StubStore store = StubStore.echo();
        toClose.add(store);
        Bootstrap b = new Bootstrap().group(loop).channel(Transport.NIO.socketChannelClass())
                .remoteAddress("127.0.0.1", store.port()).handler(NOTHING);
        return new LoopPool(b, max, maxWaiting, releaseFailures::add, ch -> {
            statesMade.incrementAndGet();
            return new PooledConnection(ch);
        });
    }

    /** An empty pipeline for every connection (a sharable handler that adds nothing). */
    private static final ChannelInitializer<Channel> NOTHING = new ChannelInitializer<>() {
        @Override
        protected void initChannel(Channel ch) {}
    };

    private <T> T onLoop(Callable<T> task) throws Exception {
        return loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    /** A taker that records what it is handed; it gives up when told to. */
    static final class Taker implements LoopPool.Taker {
        final CompletableFuture<PooledConnection> got = new CompletableFuture<>();
        final AtomicBoolean gaveUp = new AtomicBoolean();

        @Override
        public void take(PooledConnection c) {
            got.complete(c);
        }

        @Override
        public void fail(IOException e) {
            got.completeExceptionally(e);
        }

        @Override
        public boolean gaveUp() {
            return gaveUp.get();
        }
    }

    @Test
    void aConnectionKeepsItsStateAndIsGivenBackOnce() throws Exception {
        LoopPool pool = pool(1, 10);
        Taker first = new Taker();
        onLoop(() -> {
            pool.acquire(first);
            return null;
        });
        PooledConnection c = first.got.get(5, TimeUnit.SECONDS);
        assertTrue(onLoop(() -> c.out));
        assertEquals(1, pool.handedOut());
        onLoop(() -> {
            pool.release(c);
            pool.release(c); // a bug: given back twice
            return null;
        });
        assertEquals(List.of("a connection was given back that was not handed out"), onLoop(() -> List.copyOf(releaseFailures)));
        assertEquals(0, pool.handedOut(), "the second release did not count the connection back twice");
        Taker second = new Taker();
        onLoop(() -> {
            pool.acquire(second);
            return null;
        });
        assertSame(c, second.got.get(5, TimeUnit.SECONDS), "the idle connection is reused with its state");
        assertEquals(1, statesMade.get(), "a connection's state is made once, not looked up per request");
        onLoop(() -> {
            pool.release(c);
            pool.close();
            return null;
        });
    }

    @Test
    void aWaiterThatGaveUpIsSkipped() throws Exception {
        LoopPool pool = pool(1, 10);
        Taker holder = new Taker(), quitter = new Taker(), patient = new Taker();
        onLoop(() -> {
            pool.acquire(holder);
            return null;
        });
        PooledConnection c = holder.got.get(5, TimeUnit.SECONDS);
        onLoop(() -> {
            pool.acquire(quitter);
            pool.acquire(patient);
            return null;
        });
        assertFalse(quitter.got.isDone());
        quitter.gaveUp.set(true);
        onLoop(() -> {
            pool.release(c);
            return null;
        });
        assertSame(c, patient.got.get(5, TimeUnit.SECONDS));
        assertFalse(quitter.got.isDone(), "a request that gave up is never handed a connection");
        assertEquals(1, pool.handedOut());
        onLoop(() -> {
            pool.release(c);
            pool.close();
            return null;
        });
        assertTrue(releaseFailures.isEmpty());
    }

    /** A connection without its state (its pipeline gone as it opened) is closed and never handed out; its place is free again. */
    @Test
    void aConnectionWithoutItsStateIsNeverHandedOut() throws Exception {
        StubStore store = StubStore.echo();
        toClose.add(store);
        Bootstrap b = new Bootstrap().group(loop).channel(Transport.NIO.socketChannelClass())
                .remoteAddress("127.0.0.1", store.port()).handler(NOTHING);
        AtomicBoolean withState = new AtomicBoolean(false);
        LoopPool pool = new LoopPool(b, 1, 10, releaseFailures::add, ch -> withState.get() ? new PooledConnection(ch) : null);
        Taker first = new Taker();
        onLoop(() -> {
            pool.acquire(first);
            return null;
        });
        var failure = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
                () -> first.got.get(5, TimeUnit.SECONDS));
        assertTrue(failure.getCause() instanceof IOException, String.valueOf(failure.getCause()));
        assertEquals(0, pool.handedOut());
        withState.set(true);
        Taker second = new Taker();
        onLoop(() -> {
            pool.acquire(second);
            return null;
        });
        PooledConnection c = second.got.get(5, TimeUnit.SECONDS);
        assertTrue(c.channel.isActive(), "the bound of one was free again for a new connection");
        onLoop(() -> {
            pool.release(c);
            pool.close();
            return null;
        });
    }

    @Test
    void thePendingSlotGoesBackToOneTakerOnly() throws Exception {
        Channel ch = new io.netty.channel.embedded.EmbeddedChannel();
        PooledConnection c = new PooledConnection(ch);
        CompletableFuture<UpstreamResponse> exchange = new CompletableFuture<>(), other = new CompletableFuture<>();
        assertNull(c.takePending());
        c.await(exchange);
        assertFalse(c.takeBack(other), "another exchange cannot take this one's slot");
        // The answer and the deadline race: whichever takes the slot first gives the connection back.
        int winners = 0;
        List<Thread> racers = new ArrayList<>();
        AtomicInteger won = new AtomicInteger();
        for (int k = 0; k < 4; k++) {
            int kind = k;
            racers.add(Thread.ofPlatform().start(() -> {
                boolean took = kind % 2 == 0 ? c.takeBack(exchange) : c.takePending() == exchange;
                if (took) won.incrementAndGet();
            }));
        }
        for (Thread t : racers) t.join();
        winners += won.get();
        assertEquals(1, winners);
        assertNull(c.takePending());
        ch.close();
    }
}
