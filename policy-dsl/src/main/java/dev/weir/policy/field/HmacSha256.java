package dev.weir.policy.field;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * HMAC-SHA256 (RFC 2104) under one key, for hashing many short values: the SHA-256 states
 * after the key's inner and outer pad blocks are computed once and copied per value, so a
 * value costs two compressions (its own block and the outer one) instead of the four
 * {@link javax.crypto.Mac} spends setting its pads up again after every value. Gives exactly
 * {@code Mac.getInstance("HmacSHA256")}'s bytes (HmacSha256Test). One user's: not thread-safe.
 */
final class HmacSha256 {
    private static final int BLOCK = 64;

    private final MessageDigest inner;
    private final MessageDigest outer;
    private final byte[] innerDigest = new byte[32];

    /** The key as {@link javax.crypto.Mac} takes it: longer than a block hashed first, shorter padded with zeros. */
    HmacSha256(byte[] key) {
        MessageDigest sha = sha256();
        byte[] k = key.length > BLOCK ? sha.digest(key) : key;
        byte[] ipad = new byte[BLOCK];
        byte[] opad = new byte[BLOCK];
        for (int i = 0; i < BLOCK; i++) {
            byte b = i < k.length ? k[i] : 0;
            ipad[i] = (byte) (b ^ 0x36);
            opad[i] = (byte) (b ^ 0x5c);
        }
        inner = sha256();
        inner.update(ipad);
        outer = sha256();
        outer.update(opad);
    }

    /** The HMAC of {@code length} bytes at {@code from}, into {@code out[0..32)}. */
    void mac(byte[] src, int from, int length, byte[] out) {
        try {
            MessageDigest in = (MessageDigest) inner.clone();
            in.update(src, from, length);
            in.digest(innerDigest, 0, 32);
            MessageDigest o = (MessageDigest) outer.clone();
            o.update(innerDigest, 0, 32);
            o.digest(out, 0, 32);
        } catch (CloneNotSupportedException | DigestException e) {
            throw new IllegalStateException("the JDK's SHA-256 is cloneable and gives 32 bytes", e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
