package dev.weir.proxy.enforce.stream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and unseals weir's shard iterators: AES-256-GCM over the {@link SealedIterator}, a
 * random 96-bit nonce per iterator, base64url without padding, prefixed {@value #PREFIX}.
 * weir never hands an upstream iterator to a client: the upstream's position (which on a
 * foreign store may count records the caller may not see) stays hidden, and a client cannot
 * forge, alter or move an iterator to another table or stream: anything that does not unseal
 * under this key is {@link Optional#empty()} (DynamoDB's "Invalid ShardIterator").
 *
 * <p>The key comes from the deployment ({@code WEIR_STREAM_ITERATOR_KEY}, see the appliance);
 * without one a random key is made at start, so iterators die when weir restarts (the client
 * asks for a new one, as after DynamoDB's 15-minute expiry), and replicas behind one load
 * balancer need the same configured key.
 */
public final class IteratorSeal {
    public static final String PREFIX = "weir1:";
    private static final byte[] AAD = "weir shard iterator v1".getBytes(StandardCharsets.US_ASCII);
    private static final int NONCE = 12, TAG_BITS = 128;
    /** An iterator longer than this is not weir's (an upstream iterator of 2048 characters, DynamoDB's most, seals to about 3 KB). */
    public static final int MAX_LENGTH = 8192;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    private IteratorSeal(byte[] key) {
        if (key.length != 32) throw new IllegalArgumentException("an iterator key has 32 bytes");
        this.key = new SecretKeySpec(key.clone(), "AES");
    }

    /** A seal under a key derived from a configured secret (SHA-256 of its UTF-8 bytes). */
    public static IteratorSeal fromSecret(String secret) {
        if (secret == null || secret.length() < 16) {
            throw new IllegalArgumentException("the stream iterator secret must have at least 16 characters");
        }
        try {
            return new IteratorSeal(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A seal under a random key: its iterators die with this process. */
    public static IteratorSeal random() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return new IteratorSeal(k);
    }

    /**
     * A seal under a key derived from this one for one store (HMAC-SHA256 of the store's name):
     * with several stores behind one weir, an iterator sealed for store A does not open at
     * store B, even when both have the same account and table names.
     */
    public IteratorSeal forStore(String store) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
            return new IteratorSeal(mac.doFinal(("weir store " + store).getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The client's iterator for this one. */
    public String seal(SealedIterator it) {
        byte[] plain = encode(it);
        byte[] nonce = new byte[NONCE];
        random.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(AAD);
            byte[] sealed = c.doFinal(plain);
            byte[] out = new byte[NONCE + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE);
            System.arraycopy(sealed, 0, out, NONCE, sealed.length);
            return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** The iterator a client's text seals, or empty: not weir's, forged, altered, or sealed under another key. */
    public Optional<SealedIterator> unseal(String text) {
        if (text == null || text.length() > MAX_LENGTH || !text.startsWith(PREFIX)) return Optional.empty();
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(text.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (raw.length < NONCE + TAG_BITS / 8) return Optional.empty();
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, raw, 0, NONCE));
            c.updateAAD(AAD);
            return Optional.ofNullable(decode(c.doFinal(raw, NONCE, raw.length - NONCE)));
        } catch (javax.crypto.AEADBadTagException e) {
            return Optional.empty();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    private static byte[] encode(SealedIterator it) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(out, it.table());
            write(out, it.streamArn());
            write(out, it.shardId());
            out.writeByte(it.viewType().ordinal());
            out.writeShort(it.keyAttributes().size());
            for (String k : it.keyAttributes()) write(out, k);
            write(out, it.upstream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Only ever called on authenticated bytes weir wrote; null if they are not of this version's shape. */
    private static SealedIterator decode(byte[] plain) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(plain))) {
            String table = in.readUTF(), arn = in.readUTF(), shard = in.readUTF();
            int type = in.readUnsignedByte();
            if (type >= ViewType.values().length) return null;
            int n = in.readUnsignedShort();
            List<String> keys = new ArrayList<>(n);
            for (int i = 0; i < n; i++) keys.add(in.readUTF());
            String upstream = in.readUTF();
            if (in.available() != 0) return null;
            return new SealedIterator(table, arn, shard, ViewType.values()[type], keys, upstream);
        } catch (IOException e) {
            return null;
        }
    }

    private static void write(DataOutputStream out, String s) throws IOException {
        out.writeUTF(s);
    }
}
