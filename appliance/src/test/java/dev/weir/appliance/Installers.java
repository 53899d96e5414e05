package dev.weir.appliance;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The project's installer scripts (scripts/aws-cli, boto3, chromium, haproxy, nftables,
 * dynalite) run one at a time across this module's test JVMs. The suite runs the end-to-end
 * tests in two forks (docs/testing.md), and two apt-get at once fail on dpkg's lock, two npm
 * installs into one .cache/dynalite can leave it broken. A file lock under target/ orders them
 * between JVMs, a monitor within one.
 */
final class Installers {
    private static final Path LOCK = Path.of("target", "installers.lock").toAbsolutePath();

    /** What runs while the lock is held. */
    interface Body<T> {
        T run() throws Exception;
    }

    private Installers() {
    }

    static synchronized <T> T exclusively(Body<T> body) throws Exception {
        Files.createDirectories(LOCK.getParent());
        try (FileChannel channel = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock held = channel.lock()) {
            return body.run();
        }
    }
}
