package dev.weir.protocol.sigv4;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * One thread's SigV4 working set: a SHA-256 engine, the two texts that are hashed (canonical
 * request, string to sign), a 32-byte result, and HMAC engines already keyed with the signing
 * keys this thread used last. Looking engines up per call costs more than some of the hashing
 * (the JFR of issue 16 showed Mac.getInstance and init per call), and building the texts as
 * Strings cost more than hashing them. Verifier and signer run on several event loops at
 * once: each thread has its own set ({@link #get}), and no method of it calls out of this
 * package while a text is being written, so it is never used by two calls at once.
 */
final class Engines {
    /** How many signing keys each thread keeps a keyed HMAC engine for. */
    private static final int KEYED = 8;

    private static final ThreadLocal<Engines> PER_THREAD = ThreadLocal.withInitial(Engines::new);

    final MessageDigest sha256;
    final ByteText canonical = new ByteText(1024);
    final ByteText toSign = new ByteText(256);
    final byte[] digest = new byte[32];
    /** For deriving signing keys: re-keyed on every step. */
    private final Mac derive;
    private final byte[][] macKeys = new byte[KEYED][];
    private final Mac[] macs = new Mac[KEYED];
    private int replace;
    /** The hex SHA-256 of the body being verified. */
    final byte[] payloadHex = new byte[64];
    /** The access key id of the last credential read here, so that the same one is not copied out again. */
    String accessKeyId = "";
    /**
     * The last signing key the verifier used here, with its scope ({@code key/date/region/service})
     * and secret: the next request of the same caller needs no cache lookup.
     */
    String scope = "", scopeSecret;
    byte[] scopeKey;

    private Engines() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
            derive = Mac.getInstance("HmacSHA256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Engines get() {
        return PER_THREAD.get();
    }

    /**
     * An HMAC-SHA256 engine keyed with {@code key}, a signing key that nobody modifies (a cached
     * one: the same array is the same key). The engine is keyed once and kept: {@code doFinal}
     * leaves it keyed with the same key.
     */
    Mac keyed(byte[] key) {
        for (int i = 0; i < KEYED; i++) {
            if (macKeys[i] == key) return macs[i];
        }
        int i = replace;
        replace = (i + 1) % KEYED;
        macKeys[i] = null;
        try {
            Mac mac = macs[i] != null ? macs[i] : Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            macs[i] = mac;
            macKeys[i] = key;
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** HMAC-SHA256 of {@code data}'s UTF-8 under {@code key}, for a step of deriving a signing key. */
    byte[] hmac(byte[] key, String data) {
        try {
            derive.init(new SecretKeySpec(key, "HmacSHA256"));
            return derive.doFinal(data.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The SHA-256 of {@code text} into {@link #digest}. */
    byte[] sha256(ByteText text) {
        sha256.update(text.bytes(), 0, text.length());
        return finish();
    }

    /** The SHA-256 of {@code data} into {@link #digest}. */
    byte[] sha256(byte[] data) {
        sha256.update(data);
        return finish();
    }

    private byte[] finish() {
        try {
            sha256.digest(digest, 0, 32);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException(e);
        }
        return digest;
    }

    /** HMAC-SHA256 of {@code text} under {@code key} into {@link #digest}. */
    byte[] hmac(byte[] key, ByteText text) {
        Mac mac = keyed(key);
        mac.update(text.bytes(), 0, text.length());
        try {
            mac.doFinal(digest, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return digest;
    }
}
