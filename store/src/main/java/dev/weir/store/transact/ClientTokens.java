package dev.weir.store.transact;

import dev.weir.protocol.error.DynamoError;
import dev.weir.protocol.error.DynamoException;
import dev.weir.store.engine.Batch;
import dev.weir.store.engine.Column;
import dev.weir.store.engine.KeyLocks;
import dev.weir.store.engine.RocksEngine;
import dev.weir.store.item.WriteSession;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The ClientRequestTokens of recent TransactWriteItems calls, stored in the same write as the
 * transaction itself, so a retry after a lost answer (or a crash) is recognised: within ten
 * minutes the same token with the same request succeeds again without applying anything, and
 * with another request is an IdempotentParameterMismatchException.
 */
public final class ClientTokens {
    static final long WINDOW_MILLIS = 10 * 60 * 1000;
    private static final byte[] LOCK_PREFIX = "token/".getBytes(StandardCharsets.UTF_8);

    public enum Seen { NEW, REPLAY }

    private final RocksEngine engine;

    public ClientTokens(RocksEngine engine) {
        this.engine = engine;
    }

    /** The key whose lock serializes transactions carrying the same token. */
    public static byte[] lockKey(String token) {
        byte[] t = token.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(LOCK_PREFIX.length + t.length).put(LOCK_PREFIX).put(t).array();
    }

    /** The digest a token is bound to: the request's transaction, as sent. */
    public static byte[] digest(String requestText) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(requestText.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the token was used within the window (call under the token's lock). */
    public Seen check(String token, byte[] digest, long nowMillis) {
        byte[] stored = engine.get(Column.TOKENS, token.getBytes(StandardCharsets.UTF_8));
        if (stored == null) return Seen.NEW;
        ByteBuffer b = ByteBuffer.wrap(stored);
        long at = b.getLong();
        if (nowMillis - at > WINDOW_MILLIS) return Seen.NEW;
        byte[] was = Arrays.copyOfRange(stored, 8, stored.length);
        if (!Arrays.equals(was, digest)) {
            throw new DynamoException(new DynamoError("com.amazonaws.dynamodb.v20120810#IdempotentParameterMismatchException",
                    "Request has different parameters than the original request with the same ClientRequestToken", 400));
        }
        return Seen.REPLAY;
    }

    /** Records the token in the transaction's own write. */
    public void record(WriteSession session, String token, byte[] digest, long nowMillis) {
        byte[] value = ByteBuffer.allocate(8 + digest.length).putLong(nowMillis).put(digest).array();
        session.also(Column.TOKENS, token.getBytes(StandardCharsets.UTF_8), value);
    }

    /** Forgets tokens older than the window, each under its lock so a fresh use is never lost. */
    public void purge(KeyLocks locks, long nowMillis) {
        List<byte[]> old = new ArrayList<>();
        engine.scanPrefix(Column.TOKENS, new byte[0], (k, v) -> {
            if (nowMillis - ByteBuffer.wrap(v).getLong() > WINDOW_MILLIS) old.add(k);
        });
        for (byte[] k : old) {
            locks.withLock(lockKey(new String(k, StandardCharsets.UTF_8)), () -> {
                byte[] v = engine.get(Column.TOKENS, k);
                if (v != null && nowMillis - ByteBuffer.wrap(v).getLong() > WINDOW_MILLIS) {
                    engine.writeUnsynced(new Batch().delete(Column.TOKENS, k));
                }
                return null;
            });
        }
    }
}
