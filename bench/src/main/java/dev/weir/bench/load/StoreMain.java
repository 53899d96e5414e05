package dev.weir.bench.load;

import dev.weir.store.BundledStore;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * The bundled store alone in a JVM of its own, so the benchmark can pin it and measure its
 * CPU: {@code StoreMain DATA_DIR HOST PORT}. It stops (closing the database) when its stdin
 * closes (the benchmark ends or dies) or on SIGTERM.
 */
public final class StoreMain {
    private StoreMain() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: StoreMain DATA_DIR HOST PORT");
            System.exit(2);
        }
        BundledStore store = BundledStore.open(Path.of(args[0]));
        Runtime.getRuntime().addShutdownHook(new Thread(store::close, "store-close"));
        InetSocketAddress address = store.listen(args[1], Integer.parseInt(args[2]));
        System.out.println("weir-bench: store listening on " + address + " with data in " + args[0]
                + " (" + Runtime.getRuntime().availableProcessors() + " CPUs visible)");
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait for EOF
        }
        System.exit(0);
    }
}
