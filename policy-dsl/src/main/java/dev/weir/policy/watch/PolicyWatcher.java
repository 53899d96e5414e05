package dev.weir.policy.watch;

import dev.weir.policy.LoadResult;
import dev.weir.policy.PolicyLoader;
import dev.weir.policy.check.SourceLines;
import dev.weir.policy.field.HmacKeys;
import dev.weir.policy.testing.PolicyTestRunner;
import dev.weir.policy.trigger.RecordViews;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Hot reload: watches a policy directory (and its subdirectories) and, once changes have been
 * quiet for the debounce time (or, at the latest, {@code maxDelay} after the first change, so a
 * file rewritten more often than the debounce time is still reloaded), loads the policy set
 * (parse, check, compile), runs the policy
 * tests beside it, and only when both succeed hands the new {@link LoadResult} to
 * {@code publish} (the caller swaps its {@code AtomicReference}). A refused change leaves the
 * running policy in place; every outcome, published or refused with its file:line:column
 * errors and the content hash, goes to {@code outcomes} (log and audit it) and to the
 * {@link System.Logger} {@code dev.weir.policy.watch}.
 *
 * <p>One platform thread ({@code weir-policy-watcher}); {@link #close()} stops it.
 */
public final class PolicyWatcher implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.weir.policy.watch");

    /**
     * @param published whether the new policy set was handed to {@code publish}
     * @param messages  rendered errors and failed tests when refused; warnings when published
     */
    public record Outcome(boolean published, String contentHash, List<String> messages) {
        public String summary() {
            return (published ? "policy reloaded, content hash " : "policy change refused, content hash ") + contentHash
                    + (messages.isEmpty() ? "" : "\n" + String.join("\n", messages));
        }
    }

    private final Path dir;
    private final HmacKeys keys;
    private final Duration debounce;
    private final Duration maxDelay;
    private final Consumer<LoadResult> publish;
    private final Consumer<Outcome> outcomes;
    private final RecordViews views;
    private final WatchService watcher;
    private final Thread thread;

    /** How many debounce times a reload waits at most after the first change, by default. */
    public static final int MAX_DELAY_DEBOUNCES = 10;

    /** As below, reloading at the latest {@link #MAX_DELAY_DEBOUNCES} debounce times after the first change. */
    public PolicyWatcher(Path dir, HmacKeys keys, Duration debounce, Consumer<LoadResult> publish,
                         Consumer<Outcome> outcomes) throws IOException {
        this(dir, keys, debounce, debounce.multipliedBy(MAX_DELAY_DEBOUNCES), publish, outcomes);
    }

    /**
     * @param debounce how long changes must be quiet before a reload
     * @param maxDelay the longest a reload waits after the first change, however often files keep changing
     */
    public PolicyWatcher(Path dir, HmacKeys keys, Duration debounce, Duration maxDelay, Consumer<LoadResult> publish,
                         Consumer<Outcome> outcomes) throws IOException {
        this(dir, keys, debounce, maxDelay, publish, outcomes, null);
    }

    /**
     * @param views the firewall's cut of stream records, with which the tests' change cases are
     *              judged (null: such cases fail, and a policy set whose tests hold them is refused)
     */
    public PolicyWatcher(Path dir, HmacKeys keys, Duration debounce, Duration maxDelay, Consumer<LoadResult> publish,
                         Consumer<Outcome> outcomes, RecordViews views) throws IOException {
        if (maxDelay.compareTo(debounce) < 0) throw new IllegalArgumentException("maxDelay must be at least the debounce time");
        this.dir = dir;
        this.keys = keys;
        this.debounce = debounce;
        this.maxDelay = maxDelay;
        this.publish = publish;
        this.outcomes = outcomes;
        this.views = views;
        this.watcher = FileSystems.getDefault().newWatchService();
        registerAll();
        this.thread = Thread.ofPlatform().daemon().name("weir-policy-watcher").unstarted(this::run);
    }

    /** Starts watching. */
    public PolicyWatcher start() {
        thread.start();
        return this;
    }

    /** Loads, tests and (when both pass) publishes now, on the calling thread. */
    public Outcome reload() {
        LoadResult result = PolicyLoader.load(dir, keys);
        SourceLines lines = new SourceLines(dir);
        Outcome outcome;
        if (!result.ok()) {
            outcome = new Outcome(false, result.contentHash(), lines.render(result.errors()));
        } else {
            PolicyTestRunner.Report tests = PolicyTestRunner.run(dir, views);
            if (!tests.passed()) {
                List<String> messages = new ArrayList<>(tests.errors());
                if (!tests.load().ok()) messages.addAll(lines.render(tests.load().errors()));
                for (PolicyTestRunner.CaseResult c : tests.cases()) {
                    if (!c.passed()) messages.add(c.file() + ": test '" + c.name() + "' failed: " + String.join("; ", c.failures()));
                }
                outcome = new Outcome(false, result.contentHash(), messages);
            } else {
                publish.accept(result);
                outcome = new Outcome(true, result.contentHash(), lines.render(result.diagnostics()));
            }
        }
        // A published policy with warnings (an empty file, no rules at all) is logged as loudly as a refused one.
        LOG.log(outcome.published() && outcome.messages().isEmpty() ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
                outcome.summary());
        try {
            outcomes.accept(outcome);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "policy outcome listener failed", e);
        }
        return outcome;
    }

    private void run() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                WatchKey key = watcher.take();
                long latest = System.nanoTime() + maxDelay.toNanos();
                drain(key);
                // debounce: wait until nothing changed for the debounce time, but never past maxDelay
                // after the first change (a file rewritten every 0.3 s would otherwise never be read)
                while (true) {
                    long left = latest - System.nanoTime();
                    if (left <= 0) break;
                    WatchKey more = watcher.poll(Math.min(debounce.toNanos(), left), TimeUnit.NANOSECONDS);
                    if (more == null) break;
                    drain(more);
                }
                registerAll();
                try {
                    reload();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "policy reload failed; the running policy stays", e);
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        }
    }

    private static void drain(WatchKey key) {
        key.pollEvents();
        key.reset();
    }

    private void registerAll() {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path d : walk.filter(Files::isDirectory).toList()) {
                d.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot watch " + dir + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        thread.interrupt();
        try {
            watcher.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
