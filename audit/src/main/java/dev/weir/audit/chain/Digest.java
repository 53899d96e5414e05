package dev.weir.audit.chain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of {@code digests.log}: the chain head at a point (file, record count in that file,
 * hash of that record), chained to the previous digest line, and signed with Ed25519.
 *
 * <pre>digest n=7 time=2025-01-01T00:00:00Z file=audit-000003.log records=1200 head=HEX final=false prev=HEX sig=BASE64</pre>
 * The signature covers the line up to (not including) {@code " sig="}; {@code sig=-} means unsigned.
 * {@code prev} is the SHA-256 of the previous digest line as written (zeros for the first).
 */
public record Digest(long n, String time, String file, long records, String head, boolean fin, String prev, String sig) {

    public String body() {
        return "digest n=" + n + " time=" + time + " file=" + file + " records=" + records + " head=" + head
                + " final=" + fin + " prev=" + prev;
    }

    public String line() {
        return body() + " sig=" + sig;
    }

    public static Digest signed(long n, String time, String file, long records, String head, boolean fin, String prev,
                                PrivateKey key) {
        Digest unsigned = new Digest(n, time, file, records, head, fin, prev, "-");
        if (key == null) return unsigned;
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key);
            s.update(unsigned.body().getBytes(StandardCharsets.UTF_8));
            return new Digest(n, time, file, records, head, fin, prev, Base64.getEncoder().encodeToString(s.sign()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign an audit digest", e);
        }
    }

    public boolean isSigned() {
        return !"-".equals(sig);
    }

    public boolean verify(PublicKey key) {
        if (!isSigned()) return false;
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(body().getBytes(StandardCharsets.UTF_8));
            return s.verify(Base64.getDecoder().decode(sig));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Parses a line; throws IllegalArgumentException if it is not a well-formed digest. */
    public static Digest parse(String line) {
        if (!line.startsWith("digest ")) throw new IllegalArgumentException("not a digest line");
        Map<String, String> f = new LinkedHashMap<>();
        for (String part : line.substring(7).split(" ")) {
            int eq = part.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("bad field '" + part + "'");
            f.put(part.substring(0, eq), part.substring(eq + 1));
        }
        for (String k : new String[]{"n", "time", "file", "records", "head", "final", "prev", "sig"})
            if (!f.containsKey(k)) throw new IllegalArgumentException("missing " + k);
        Digest d = new Digest(Long.parseLong(f.get("n")), f.get("time"), f.get("file"), Long.parseLong(f.get("records")),
                f.get("head"), Boolean.parseBoolean(f.get("final")), f.get("prev"), f.get("sig"));
        if (!d.line().equals(line)) throw new IllegalArgumentException("not in canonical form");
        return d;
    }
}
