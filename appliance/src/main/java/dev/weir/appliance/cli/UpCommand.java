package dev.weir.appliance.cli;

import dev.weir.appliance.Appliance;
import dev.weir.appliance.config.ConfigException;
import dev.weir.appliance.logging.LogFormat;
import dev.weir.appliance.logging.LogSetup;
import dev.weir.appliance.transparent.InterceptionRules;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code weir up}: starts the appliance and runs until Ctrl-C or SIGTERM. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Start the appliance: bundled store, firewall proxy, policies, principals and audit.")
public final class UpCommand implements Callable<Integer> {
    @Option(names = "--home", paramLabel = "DIR", defaultValue = "${env:WEIR_ROOT:-.}/.weir",
            description = "Folder for the store's data and the audit log (default: ./.weir beside the weir script).")
    Path home;

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "${env:WEIR_ROOT:-.}/conf/weir.yaml",
            description = "Configuration file (default: conf/weir.yaml beside the weir script).")
    Path config;

    @Option(names = "--tls", description = "Serve TLS with certificates from a development CA made under the home "
            + "folder on first use (tls/ca.pem to trust, tls/clients/<principal>.pem client certificates).")
    boolean tls;

    @Option(names = "--transparent", description = "Also run the transparent listener of the configuration's 'transparent' "
            + "block (TPROXY or REDIRECT, docs/transparent.md) and print the nftables rules and policy routing that send the "
            + "routes' destinations to it. weir does not install them: review and run them as root.")
    boolean transparent;

    @Option(names = "--rules-file", paramLabel = "FILE", description = "With --transparent: also write those rules to FILE "
            + "as a shell script.")
    Path rulesFile;

    @Override
    public Integer call() throws Exception {
        try {
            LogSetup.apply(LogFormat.configured(LogFormat.JSON));
        } catch (IllegalArgumentException e) {
            System.err.println("weir: " + e.getMessage());
            return 2;
        }
        if (!Files.isRegularFile(config)) {
            System.err.println("weir: no configuration file at " + config.toAbsolutePath());
            return 2;
        }
        Files.createDirectories(home);
        long t0 = System.nanoTime();
        Appliance appliance;
        try {
            appliance = Appliance.start(config, home.toAbsolutePath(), tls, transparent);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("weir-shutdown").unstarted(() -> {
            System.out.println("weir: stopping");
            appliance.close();
            System.out.println("weir: stopped");
            stopped.countDown();
        }));
        if (transparent) {
            String rules = InterceptionRules.script(appliance.transparentConfig());
            if (rulesFile != null) Files.writeString(rulesFile, rules);
            System.out.println("weir transparent: " + appliance.transparentConfig().mode().configName() + " listener on port "
                    + appliance.transparentAddress().getPort() + "; install these rules (as root; weir does not install them)"
                    + (rulesFile == null ? "" : ", also written to " + rulesFile) + ":");
            rules.lines().forEach(l -> System.out.println("  " + l));
        }
        String url = appliance.proxyUrl();
        System.out.println("weir ready: " + url);
        System.out.printf("  started in %d ms; store: %s; audit: %s%n", (System.nanoTime() - t0) / 1_000_000,
                appliance.storeAddress() == null ? "external" : "http://" + appliance.storeAddress().getHostString()
                        + ":" + appliance.storeAddress().getPort(), appliance.auditFile());
        System.out.println("  call it with the aws CLI and a principal's key pair from the principals file (secrets are not printed):");
        System.out.println("    AWS_ACCESS_KEY_ID=<access key id> AWS_SECRET_ACCESS_KEY=<its secret> \\");
        System.out.println("    aws dynamodb list-tables --region us-east-1 --endpoint-url " + url
                + (appliance.devCaCertificate() == null ? "" : " --ca-bundle " + appliance.devCaCertificate()));
        if (appliance.consoleAddress() != null) {
            System.out.println("  console: http://" + appliance.consoleAddress().getHostString() + ":"
                    + appliance.consoleAddress().getPort() + "/ (sign in with an admin principal's key pair; docs/console.md)");
        }
        System.out.println("  stop with Ctrl-C");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
