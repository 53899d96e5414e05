package dev.weir.appliance.cli.audit;

import dev.weir.audit.chain.Ed25519Pem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code weir audit keygen PREFIX}: an Ed25519 key pair for signing audit digests. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = "Make an Ed25519 key pair: PREFIX.key (PKCS#8 PEM, owner-only) signs digests; PREFIX.pub verifies them.")
public final class AuditKeygenCommand implements Callable<Integer> {
    @Parameters(paramLabel = "PREFIX", defaultValue = "audit-signing", description = "Path prefix of the two files (default: audit-signing).")
    String prefix;

    @Override
    public Integer call() throws Exception {
        Path key = Path.of(prefix + ".key"), pub = Path.of(prefix + ".pub");
        if (Files.exists(key)) {
            System.out.println(key + " exists; not overwriting it");
            return 1;
        }
        Ed25519Pem.write(Ed25519Pem.generate(), key, pub);
        System.out.println("wrote " + key + " (keep it secret) and " + pub);
        return 0;
    }
}
