package dev.weir.appliance.cli;

import dev.weir.store.BundledStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code weir store}: the bundled DynamoDB-compatible store alone, without the firewall. */
@Command(name = "store", mixinStandardHelpOptions = true,
        description = "Run the bundled DynamoDB-compatible store alone (no firewall, no authentication).")
public final class StoreCommand implements Callable<Integer> {
    @Option(names = "--home", paramLabel = "DIR", defaultValue = "${env:WEIR_ROOT:-.}/.weir",
            description = "Folder whose store/ subfolder holds the data (default: ./.weir beside the weir script).")
    Path home;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8001", description = "Port to listen on (default: ${DEFAULT-VALUE}).")
    int port;

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(home);
        BundledStore store = BundledStore.open(home.toAbsolutePath().resolve("store"));
        InetSocketAddress at;
        try {
            at = store.listen(host, port);
        } catch (RuntimeException e) {
            store.close();
            System.err.println("weir store: cannot listen on " + host + ":" + port + ": " + e.getMessage());
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("weir-store-shutdown").unstarted(() -> {
            store.close();
            System.out.println("weir store: stopped");
            stopped.countDown();
        }));
        System.out.println("weir store ready: http://" + at.getHostString() + ":" + at.getPort());
        System.out.println("  data: " + home.toAbsolutePath().resolve("store") + "; stop with Ctrl-C");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
