package dev.weir.lifecycle.store;

import dev.weir.lifecycle.StoreFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Leases and checkpoints with conditional writes, against a real store; times are given, not waited for. */
class LeaseTableTest {
    private StoreFixture store;
    private LeaseTable leases;

    @BeforeEach
    void start() throws Exception {
        store = new StoreFixture();
        leases = new LeaseTable(store.client);
        leases.ensure();
        leases.ensure(); // idempotent
    }

    @AfterEach
    void stop() throws Exception {
        store.close();
    }

    @Test
    void oneHolderAtATimeUntilExpiry() throws Exception {
        LeaseTable.Lease a = leases.acquire("t", "s1", "A", 1_000, 500).orElseThrow();
        assertNull(a.checkpoint());
        assertEquals(Optional.empty(), leases.acquire("t", "s1", "B", 1_200, 500), "A's lease is live");
        assertTrue(leases.acquire("t", "s1", "A", 1_200, 500).isPresent(), "A may take its own lease again");
        assertTrue(leases.renew(a, 1_400, 500));
        assertTrue(leases.checkpoint(a, "000000000000000000042", false, 1_500, 500));
        assertEquals(Optional.empty(), leases.acquire("t", "s1", "B", 1_999, 500), "renewed by the checkpoint until 2000");
        LeaseTable.Lease b = leases.acquire("t", "s1", "B", 2_001, 500).orElseThrow();
        assertEquals("000000000000000000042", b.checkpoint(), "B goes on from A's checkpoint");
        assertFalse(leases.checkpoint(a, "000000000000000000099", false, 2_100, 500), "A lost it: its checkpoint is refused");
        assertFalse(leases.renew(a, 2_100, 500));
        assertFalse(leases.release(a));
        assertEquals("000000000000000000042", leases.acquire("t", "s1", "B", 2_200, 500).orElseThrow().checkpoint());
        assertTrue(leases.checkpoint(b, "000000000000000000050", true, 2_300, 500));
        assertTrue(leases.release(b));
        LeaseTable.Lease c = leases.acquire("t", "s1", "C", 2_301, 500).orElseThrow();
        assertTrue(c.done(), "a released lease is free at once, and keeps done and the checkpoint");
        assertEquals("000000000000000000050", c.checkpoint());
    }

    @Test
    void leasesAreKeptPerTriggerAndShardAndScanned() throws Exception {
        assertTrue(leases.acquire("t1", "s1", "A", 1_000, 500).isPresent());
        assertTrue(leases.acquire("t2", "s1", "B", 1_000, 500).isPresent(), "another trigger on the same shard");
        assertTrue(leases.acquire("t1", "s2", "B", 1_000, 500).isPresent(), "another shard of the same trigger");
        leases.heartbeat("A", 1_000, 500);
        var rows = leases.scan();
        assertEquals(4, rows.size());
        assertTrue(rows.stream().anyMatch(r -> r.pk().equals("instance|A") && r.expires() == 1_500));
        assertTrue(rows.stream().anyMatch(r -> r.pk().equals(LeaseTable.shardKey("t1", "s2")) && r.owner().equals("B")));
    }
}
