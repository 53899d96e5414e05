package dev.weir.lifecycle.worker;

import dev.weir.lifecycle.FunctionServer;
import dev.weir.lifecycle.StoreFixture;
import dev.weir.lifecycle.store.LeaseTable;
import dev.weir.lifecycle.store.StoreClient;
import dev.weir.policy.decision.DecisionTable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static dev.weir.lifecycle.Fixtures.await;
import static dev.weir.lifecycle.Fixtures.policy;
import static dev.weir.lifecycle.Fixtures.worker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Several instances on one store: shards shared by fair share, taken over after a lost instance's lease expires. */
class SharedShardsTest {
    private StoreFixture store;
    private FunctionServer function;
    private DecisionTable policy;

    @BeforeEach
    void start() throws Exception {
        store = new StoreFixture();
        function = new FunctionServer(dev.weir.lifecycle.Fixtures.SECRET);
        store.table("images", "NEW_AND_OLD_IMAGES");
        policy = policy("""
                role w
                allow w on table images op read
                @id("t") trigger on table images call "%s" as role w mark done
                """.formatted(function.url("/t")));
        for (int i = 0; i < 20; i++) put("k" + i); // writes to both shards (the store has two by default)
    }

    @AfterEach
    void stop() throws Exception {
        function.close();
        store.close();
    }

    private void put(String id) throws Exception {
        var item = StoreClient.object();
        item.putObject("id").put("S", id);
        store.put("images", item);
    }

    @Test
    void twoInstancesShareTheShardsAndOneTakesOverWhenTheOtherLeaves() throws Exception {
        try (LifecycleWorker a = worker(store, policy, "A", Duration.ofSeconds(2), LifecycleListener.NONE).start();
             LifecycleWorker b = worker(store, policy, "B", Duration.ofSeconds(2), LifecycleListener.NONE).start()) {
            assertTrue(await(20, () -> a.running().size() == 1 && b.running().size() == 1),
                    () -> "A " + a.running() + ", B " + b.running());
            Set<String> both = new HashSet<>(a.running());
            both.addAll(b.running());
            assertEquals(2, both.size(), "each runs one shard");
            assertTrue(await(20, () -> function.seen.size() == 20));
            a.close(); // leaves cleanly: releases its lease
            assertTrue(await(20, () -> b.running().size() == 2), () -> "B " + b.running());
            put("after");
            assertTrue(await(20, () -> function.seen.size() == 21));
        }
    }

    @Test
    void aLostInstancesShardsAreTakenAfterItsLeaseExpires() throws Exception {
        // a "ghost" instance died holding both shards: its leases run out 1.5 s from now, and it never renews them
        LeaseTable leases = new LeaseTable(store.client);
        leases.ensure();
        var stream = StreamInfo.of(store.client, "images", new String[1]);
        long now = System.currentTimeMillis();
        for (StreamInfo.Shard s : stream.shards()) assertTrue(leases.acquire("t", s.id(), "ghost", now, 1_500).isPresent());
        try (LifecycleWorker b = worker(store, policy, "B", Duration.ofSeconds(2), LifecycleListener.NONE).start()) {
            Thread.sleep(700);
            assertEquals(Set.of(), b.running(), "the ghost's leases are still live");
            assertEquals(0, function.calls.size());
            assertTrue(await(20, () -> b.running().size() == 2), () -> "B " + b.running());
            assertTrue(await(20, () -> function.seen.size() == 20));
        }
    }
}
