package dev.weir.bench.load;

import dev.weir.protocol.sigv4.Credentials;
import dev.weir.store.BundledStore;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * The bundled store alone in a JVM of its own, so the benchmark can pin it and measure its
 * CPU: {@code StoreMain DATA_DIR HOST PORT ACCESS_KEY_ID SECRET_ACCESS_KEY}. It answers only
 * requests signed with that key pair (the benchmark's weir upstream credentials, which the
 * direct scenarios sign with too). It stops (closing the database) when its stdin closes (the
 * benchmark ends or dies) or on SIGTERM.
 */
public final class StoreMain {
    /**
     * The store's key pair in every benchmark: weir signs its forwarded requests with it, and
     * a client measuring the store directly must too. Benchmark-only values.
     */
    public static final Credentials UPSTREAM = new Credentials("WEIRBENCHUPSTREAM001", "weir-bench-upstream");

    private StoreMain() {}

    /** The command-line arguments after the class name: data folder, host, port and {@link #UPSTREAM}. */
    static List<String> arguments(Path dataDir, String host, int port) {
        return List.of(dataDir.toString(), host, Integer.toString(port), UPSTREAM.accessKeyId(), UPSTREAM.secretAccessKey());
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 5) {
            System.err.println("usage: StoreMain DATA_DIR HOST PORT ACCESS_KEY_ID SECRET_ACCESS_KEY");
            System.exit(2);
        }
        BundledStore store = BundledStore.open(Path.of(args[0]), new Credentials(args[3], args[4]));
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
