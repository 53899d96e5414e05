package dev.weir.policy.watch;

import dev.weir.policy.LoadResult;
import dev.weir.policy.field.HmacKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyWatcherTest {

    @Test
    void publishesOnlyChangesThatCompileAndPassTheirTests(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("p.weir"), "role a\n@id(\"r\") allow a on table t op GetItem\n");
        Files.writeString(dir.resolve("p.test.yaml"), """
                cases:
                  - principal: {roles: [a]}
                    request: {op: GetItem, table: t}
                    expect: {decision: ALLOWED}
                """);
        List<LoadResult> published = new CopyOnWriteArrayList<>();
        LinkedBlockingQueue<PolicyWatcher.Outcome> outcomes = new LinkedBlockingQueue<>();
        try (PolicyWatcher w = new PolicyWatcher(dir, HmacKeys.none(), Duration.ofMillis(100), published::add, outcomes::add).start()) {
            // a syntax error: refused with file:line:column, nothing published
            Files.writeString(dir.resolve("p.weir"), "role a\nallow analsyt on table t op GetItem\n");
            PolicyWatcher.Outcome bad = outcomes.poll(30, TimeUnit.SECONDS);
            assertNotNull(bad, "no outcome");
            assertFalse(bad.published());
            assertTrue(bad.messages().getFirst().startsWith("p.weir:2:7: error: unknown role 'analsyt'"), bad.messages().toString());
            assertEquals(List.of(), published);
            // compiles, but fails its test: refused
            Files.writeString(dir.resolve("p.weir"), "role a\n@id(\"r\") allow a on table t op Query\n");
            PolicyWatcher.Outcome failing = outcomes.poll(30, TimeUnit.SECONDS);
            assertNotNull(failing);
            assertFalse(failing.published());
            assertTrue(failing.messages().toString().contains("expected ALLOWED, got NOT_PERMITTED"), failing.messages().toString());
            // good again: published
            Files.writeString(dir.resolve("p.weir"), "role a\n@id(\"r\") allow a on table t op [GetItem, Query]\n");
            PolicyWatcher.Outcome good = outcomes.poll(30, TimeUnit.SECONDS);
            assertNotNull(good);
            assertTrue(good.published(), good.summary());
            assertEquals(1, published.size());
            assertEquals(good.contentHash(), published.getFirst().contentHash());
        }
    }

    /**
     * A file rewritten every 50 ms, faster than the 200 ms debounce, is still reloaded: at the
     * latest maxDelay (1 s) after the first change, while the writes go on.
     */
    @Test
    void aFileRewrittenFasterThanTheDebounceIsStillReloaded(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("p.weir"), "role a\n@id(\"r\") allow a on table t op GetItem\n");
        LinkedBlockingQueue<PolicyWatcher.Outcome> outcomes = new LinkedBlockingQueue<>();
        try (PolicyWatcher w = new PolicyWatcher(dir, HmacKeys.none(), Duration.ofMillis(200), Duration.ofSeconds(1),
                r -> {}, outcomes::add).start()) {
            java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread writer = Thread.ofPlatform().start(() -> {
                for (int i = 0; writing.get(); i++) {
                    try {
                        Files.writeString(dir.resolve("p.weir"), "role a\n@id(\"r" + i + "\") allow a on table t op GetItem\n");
                        Thread.sleep(50);
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            long started = System.nanoTime();
            try {
                PolicyWatcher.Outcome first = outcomes.poll(5, TimeUnit.SECONDS);
                long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                assertNotNull(first, "no reload while the file kept changing");
                assertTrue(writer.isAlive(), "the reload came while the writes went on");
                assertTrue(waited < 3_000, "reloaded after " + waited + " ms");
            } finally {
                writing.set(false);
                writer.join();
            }
        }
    }

    /** An empty policy file is published (everyone denied) with its warnings in the outcome, never silently. */
    @Test
    void anEmptyPolicyIsPublishedWithItsWarnings(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("p.weir"), "role a\n@id(\"r\") allow a on table t op GetItem\n");
        List<LoadResult> published = new CopyOnWriteArrayList<>();
        LinkedBlockingQueue<PolicyWatcher.Outcome> outcomes = new LinkedBlockingQueue<>();
        try (PolicyWatcher w = new PolicyWatcher(dir, HmacKeys.none(), Duration.ofMillis(100), published::add, outcomes::add).start()) {
            Files.writeString(dir.resolve("p.weir"), "");
            PolicyWatcher.Outcome empty = outcomes.poll(30, TimeUnit.SECONDS);
            assertNotNull(empty);
            assertTrue(empty.published(), empty.summary());
            assertEquals(List.of("p.weir: warning: the file is empty", "p.weir: warning: the policy set has no rules: every request will be denied"),
                    empty.messages());
            assertEquals(0, published.getFirst().table().orElseThrow().ruleCount());
        }
    }
}
