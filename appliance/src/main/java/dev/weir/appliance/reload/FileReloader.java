package dev.weir.appliance.reload;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Watches one file by content: every interval it hashes the file and, when the hash
 * changed, hands the file to a reload action. Hashing instead of file events works the same
 * for in-place edits, editors' atomic renames and configuration managers. A reload that
 * fails is logged by the action, and the same content is not retried until it changes.
 */
public final class FileReloader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FileReloader.class);

    /** Loads the file and publishes the result; throws to refuse it and keep the running state. */
    @FunctionalInterface
    public interface Action {
        void reload(Path file) throws Exception;
    }

    private final Path file;
    private final Action action;
    private final ScheduledExecutorService timer;
    private String lastHash;

    public FileReloader(Path file, Action action, long intervalMillis) {
        this.file = file;
        this.action = action;
        this.lastHash = hash(file);
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("weir-reload-" + file.getFileName())
                .daemon().factory());
        timer.scheduleWithFixedDelay(this::check, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** Checks once now; used by the timer and by tests. */
    public void check() {
        String now = hash(file);
        if (now == null || now.equals(lastHash)) return;
        lastHash = now;
        try {
            action.reload(file);
        } catch (Exception e) {
            log.error("reload of {} refused, the running version stays: {}", file, e.getMessage());
        }
    }

    private static String hash(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            return null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
