package dev.weir.audit.chain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The names and the hash rule shared by the writer and the verifier.
 *
 * <pre>
 * DIR/audit-000001.log     records, one per line, in the configured format
 * DIR/audit-000001.chain   "weir-audit-chain v1 prev=HEX" then per record "END_BYTE HASH"
 * DIR/digests.log          signed digests, one per line
 * </pre>
 * The hash of record i is SHA-256(hash of record i-1 || the record's bytes without its line
 * feed); the chain runs on across files, and the first record of all hangs off 32 zero bytes.
 */
public final class ChainFiles {
    public static final String CHAIN_MAGIC = "weir-audit-chain v1";
    public static final String DIGESTS = "digests.log";
    public static final byte[] GENESIS = new byte[32];
    private static final Pattern LOG = Pattern.compile("audit-(\\d{6,})\\.log");
    private static final HexFormat HEX = HexFormat.of();

    private ChainFiles() {}

    public static String logName(long n) {
        return "audit-%06d.log".formatted(n);
    }

    public static String chainName(long n) {
        return "audit-%06d.chain".formatted(n);
    }

    /** The numbers of the log files in DIR, ascending. */
    public static List<Long> logNumbers(Path dir) throws IOException {
        List<Long> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(p -> {
                Matcher m = LOG.matcher(p.getFileName().toString());
                if (m.matches()) out.add(Long.parseLong(m.group(1)));
            });
        }
        out.sort(null);
        return out;
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] next(MessageDigest md, byte[] prev, byte[] record, int off, int len) {
        md.reset();
        md.update(prev);
        md.update(record, off, len);
        return md.digest();
    }

    public static String hex(byte[] b) {
        return HEX.formatHex(b);
    }

    public static byte[] unhex(String s) {
        return HEX.parseHex(s);
    }
}
