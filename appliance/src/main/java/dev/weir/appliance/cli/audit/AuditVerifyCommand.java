package dev.weir.appliance.cli.audit;

import dev.weir.audit.chain.ChainVerifier;
import dev.weir.audit.chain.Ed25519Pem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code weir audit verify DIR}: exit 0 if the chain and the signed digests hold and every
 * sequence number is present or recorded as lost by a gap event ("ok", or "ok with gaps" and
 * the numbers lost); 1 and the first bad record if they do not ("TAMPERED"); 2 if the chain
 * holds but numbers are missing that no gap event records ("INCOMPLETE").
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check the hash chain and the signed digests of an audit directory; name the first bad record.",
                "Exit 0: intact (ok, or ok with gaps weir recorded); 1: TAMPERED; 2: INCOMPLETE (events missing with no gap event)."})
public final class AuditVerifyCommand implements Callable<Integer> {
    /** Ranges printed per list before "and N more". */
    private static final int SHOWN = 20;

    @Parameters(paramLabel = "DIR", description = "The audit directory (audit-NNNNNN.log, .chain, digests.log).")
    Path dir;

    @Option(names = "--public-key", paramLabel = "FILE", description = "Ed25519 public key (PEM) to check the digests' signatures.")
    Path publicKey;

    @Override
    public Integer call() throws Exception {
        PublicKey key = publicKey == null ? null : Ed25519Pem.readPublic(publicKey);
        ChainVerifier.Report r = ChainVerifier.verify(dir, key);
        for (String note : r.notes()) System.out.println("note: " + note);
        if (!r.ok()) {
            System.out.println("TAMPERED: first bad record: " + r.problems().getFirst());
            for (ChainVerifier.Problem p : r.problems().subList(1, r.problems().size())) System.out.println("  also: " + p);
            return 1;
        }
        String intact = r.records() + " records in " + r.files() + " files, " + r.digests() + " digests ("
                + r.signaturesChecked() + " signatures checked)";
        if (!r.complete()) {
            System.out.println("INCOMPLETE: the chain is intact (" + intact + "), but " + r.lostUnrecorded()
                    + " sequence numbers are missing with no gap event: events lost without a record");
            print("missing", r.unrecorded());
            print("lost (recorded)", r.gaps());
            return 2;
        }
        if (!r.gaps().isEmpty()) {
            System.out.println("ok with gaps: " + intact + "; " + r.lostInGaps() + " events lost, each recorded by a gap event");
            print("lost", r.gaps());
            return 0;
        }
        System.out.println("ok: " + intact);
        return 0;
    }

    private static void print(String what, List<ChainVerifier.Missing> l) {
        for (ChainVerifier.Missing m : l.subList(0, Math.min(SHOWN, l.size()))) System.out.println("  " + what + ": " + m);
        if (l.size() > SHOWN) System.out.println("  ... and " + (l.size() - SHOWN) + " more ranges");
    }
}
