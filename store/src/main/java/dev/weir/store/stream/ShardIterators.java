package dev.weir.store.stream;

import dev.weir.protocol.error.DynamoException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * Shard iterators: {@code <stream ARN>|1|<base64 of position and HMAC>}, the shape DynamoDB's
 * have (the ARN first, so whoever routes a GetRecords knows the stream, and so the table,
 * without a lookup). The position (stream, shard, after which sequence number, when issued) is
 * signed with HMAC-SHA256 under a key kept in the store, so a client cannot forge an iterator,
 * move one to another stream or shard, or extend its life: any change is refused.
 */
final class ShardIterators {
    /** A decoded iterator: records after {@code afterSeq} ({@code TRIM_HORIZON} for the oldest kept). */
    record Position(long streamNo, int shard, long afterSeq, long issuedMillis) {}

    static final long TRIM_HORIZON = -1;
    private static final int PAYLOAD = 1 + 8 + 4 + 8 + 8;
    private static final int MAC_BYTES = 32;

    private final byte[] key;

    ShardIterators(byte[] key) {
        this.key = key.clone();
    }

    String encode(String arn, Position p) {
        ByteBuffer b = ByteBuffer.allocate(PAYLOAD + MAC_BYTES);
        b.put((byte) 1).putLong(p.streamNo()).putInt(p.shard()).putLong(p.afterSeq()).putLong(p.issuedMillis());
        b.put(mac(arn, b.array(), PAYLOAD));
        return arn + "|1|" + Base64.getEncoder().encodeToString(b.array());
    }

    /** The iterator's position, or a ValidationException for anything this store did not issue as it is. */
    Position decode(String iterator) {
        int bar = iterator.lastIndexOf("|1|");
        if (bar <= 0) throw invalid();
        String arn = iterator.substring(0, bar);
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(iterator.substring(bar + 3));
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (bytes.length != PAYLOAD + MAC_BYTES || bytes[0] != 1) throw invalid();
        byte[] expected = mac(arn, bytes, PAYLOAD);
        if (!MessageDigest.isEqual(expected, java.util.Arrays.copyOfRange(bytes, PAYLOAD, bytes.length))) throw invalid();
        ByteBuffer b = ByteBuffer.wrap(bytes, 1, PAYLOAD - 1);
        return new Position(b.getLong(), b.getInt(), b.getLong(), b.getLong());
    }

    /** The stream ARN an iterator names (not yet verified). */
    static String arnOf(String iterator) {
        int bar = iterator.lastIndexOf("|1|");
        return bar <= 0 ? null : iterator.substring(0, bar);
    }

    private byte[] mac(String arn, byte[] payload, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(arn.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            mac.update(payload, 0, length);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static DynamoException invalid() {
        return DynamoException.validation("Invalid ShardIterator");
    }
}
