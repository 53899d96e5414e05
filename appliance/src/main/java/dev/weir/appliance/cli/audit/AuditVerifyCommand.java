package dev.weir.appliance.cli.audit;

import dev.weir.audit.chain.ChainVerifier;
import dev.weir.audit.chain.Ed25519Pem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.security.PublicKey;
import java.util.concurrent.Callable;

/** {@code weir audit verify DIR}: exit 0 if the chain and the signed digests hold, else 1 and the first bad record. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check the hash chain and the signed digests of an audit directory; name the first bad record.")
public final class AuditVerifyCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "The audit directory (audit-NNNNNN.log, .chain, digests.log).")
    Path dir;

    @Option(names = "--public-key", paramLabel = "FILE", description = "Ed25519 public key (PEM) to check the digests' signatures.")
    Path publicKey;

    @Override
    public Integer call() throws Exception {
        PublicKey key = publicKey == null ? null : Ed25519Pem.readPublic(publicKey);
        ChainVerifier.Report r = ChainVerifier.verify(dir, key);
        for (String note : r.notes()) System.out.println("note: " + note);
        if (r.ok()) {
            System.out.println("ok: " + r.records() + " records in " + r.files() + " files, " + r.digests() + " digests ("
                    + r.signaturesChecked() + " signatures checked)");
            return 0;
        }
        System.out.println("TAMPERED: first bad record: " + r.problems().getFirst());
        for (ChainVerifier.Problem p : r.problems().subList(1, r.problems().size())) System.out.println("  also: " + p);
        return 1;
    }
}
