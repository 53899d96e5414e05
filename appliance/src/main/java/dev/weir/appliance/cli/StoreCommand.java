package dev.weir.appliance.cli;

import dev.weir.appliance.config.ConfigException;
import dev.weir.appliance.config.ConfigLoader;
import dev.weir.appliance.config.WeirConfig;
import dev.weir.protocol.sigv4.Credentials;
import dev.weir.store.BundledStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code weir store}: the bundled DynamoDB-compatible store alone, without the firewall. It
 * answers only requests signed with weir's upstream key pair (the credentials the firewall
 * signs forwarded requests with), taken from the configuration file or from flags; without
 * them it does not start.
 */
@Command(name = "store", mixinStandardHelpOptions = true,
        description = {"Run the bundled DynamoDB-compatible store alone (no firewall, no policies).",
                "It answers only requests signed with weir's upstream key pair: upstream.access_key_id and "
                        + "upstream.secret_access_key of the --config file, or --access-key-id with --secret-access-key "
                        + "(the flags win over the file). Every other request is refused with DynamoDB's own errors; "
                        + "without credentials the store does not start."})
public final class StoreCommand implements Callable<Integer> {
    @Option(names = "--home", paramLabel = "DIR", defaultValue = "${env:WEIR_ROOT:-.}/.weir",
            description = "Folder whose store/ subfolder holds the data (default: ./.weir beside the weir script).")
    Path home;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8001", description = "Port to listen on (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "${env:WEIR_ROOT:-.}/conf/weir.yaml",
            description = "Configuration file whose upstream block gives the key pair requests must be signed with "
                    + "(default: conf/weir.yaml beside the weir script). Not read when both flags below are given.")
    Path config;

    @Option(names = "--access-key-id", paramLabel = "ID",
            description = "Access key id requests must be signed with (instead of upstream.access_key_id).")
    String accessKeyId;

    @Option(names = "--secret-access-key", paramLabel = "SECRET",
            description = "Its secret (instead of upstream.secret_access_key). Other local users can read a process's "
                    + "arguments: prefer the configuration file.")
    String secretAccessKey;

    @Override
    public Integer call() throws Exception {
        Credentials credentials;
        try {
            credentials = credentials();
        } catch (ConfigException e) {
            System.err.println("weir store: " + e.getMessage());
            return 2;
        }
        Files.createDirectories(home);
        BundledStore store;
        try {
            store = BundledStore.open(home.toAbsolutePath().resolve("store"), credentials);
        } catch (IllegalArgumentException e) {
            System.err.println("weir store: " + e.getMessage());
            return 2;
        }
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
        System.out.println("  data: " + home.toAbsolutePath().resolve("store") + "; answers requests signed with access key id "
                + credentials.accessKeyId() + " only; stop with Ctrl-C");
        System.out.flush();
        stopped.await();
        return 0;
    }

    /** The flags when both are given, else the configuration file's upstream block; never none. */
    private Credentials credentials() throws ConfigException {
        if ((accessKeyId == null) != (secretAccessKey == null)) {
            throw new ConfigException("--access-key-id and --secret-access-key go together");
        }
        if (accessKeyId != null) {
            if (accessKeyId.isBlank() || secretAccessKey.isBlank()) {
                throw new ConfigException("--access-key-id and --secret-access-key must not be empty");
            }
            return new Credentials(accessKeyId, secretAccessKey);
        }
        if (!Files.isRegularFile(config)) {
            throw new ConfigException("no credentials: the store answers only requests signed with weir's upstream key pair; "
                    + "there is no configuration file at " + config.toAbsolutePath()
                    + " (give --config FILE, or --access-key-id and --secret-access-key)");
        }
        WeirConfig.Upstream up = ConfigLoader.load(config).upstream();
        return new Credentials(up.accessKeyId(), up.secretAccessKey());
    }
}
