package dev.weir.proxy.http;

import io.netty.buffer.ByteBuf;

import java.util.Arrays;

/**
 * A message body collected from reads, for weir's two HTTP framers (the client requests' and the
 * store answers'): it starts at most at a first size, doubles as bytes arrive, never past the
 * declared length when there is one, so a body of declared length ends in an array of exactly
 * its size and {@link #take} copies nothing; a body that arrives chunked is trimmed once.
 *
 * <p>The first size depends on whose body it is. A client is untrusted: its body starts at
 * {@link #FIRST_BYTES} at most, so a head declaring a large length costs weir no more than that
 * until the bytes arrive ({@link #BodyBytes()}). The store is weir's own upstream: its answer is
 * sized once to its declared length up to {@link #FIRST_ANSWER_BYTES} ({@link #sizedToDeclared()};
 * the framer refuses a length over its limit before this), so a large answer (a 1 MB Scan page,
 * DynamoDB's largest) is copied once, not grown by doubling through copies that leave as much
 * garbage again (issue 16); a longer one (a BatchGetItem's, up to 16 MB) grows from there as its
 * bytes come, so a store that declares a huge length and sends nothing makes weir hold no more
 * than that per connection.
 */
public final class BodyBytes {
    private static final byte[] EMPTY = new byte[0];
    /** The first allocation for a body of declared length; larger bodies grow as they arrive. */
    private static final int FIRST_BYTES = 64 * 1024;
    /** The first allocation for a store's answer of declared length: DynamoDB's 1 MB page and its envelope fit. */
    static final int FIRST_ANSWER_BYTES = 4 * 1024 * 1024;

    private final int firstBytes;
    private byte[] bytes = EMPTY;
    private int length;

    /** A client's body: the first allocation is at most {@link #FIRST_BYTES}, whatever length is declared. */
    public BodyBytes() {
        this(FIRST_BYTES);
    }

    private BodyBytes(int firstBytes) {
        this.firstBytes = firstBytes;
    }

    /**
     * A trusted sender's body (the store's answers): the first allocation is the whole declared
     * length (which the caller has checked against its limit) up to {@link #FIRST_ANSWER_BYTES}.
     */
    public static BodyBytes sizedToDeclared() {
        return new BodyBytes(FIRST_ANSWER_BYTES);
    }

    /** Starts a body; {@code declared} is its length when the head gave one (0 for none yet, as chunked). */
    public void start(long declared) {
        bytes = declared <= 0 ? EMPTY : new byte[(int) Math.min(declared, firstBytes)];
        length = 0;
    }

    /** The size of the array collecting the body now (for tests: what was allocated). */
    int capacity() {
        return bytes.length;
    }

    /** The bytes collected so far. */
    public int length() {
        return length;
    }

    /**
     * Appends bytes [at, at + n) of {@code buf}, growing the array as needed but never past
     * {@code total} (the declared length, when there is one; else {@link Long#MAX_VALUE}).
     */
    public void append(ByteBuf buf, int at, int n, long total) {
        if (n == 0) return;
        if (length + n > bytes.length) {
            long grown = Math.min(total, Math.max(256L, bytes.length * 2L));
            bytes = Arrays.copyOf(bytes, (int) Math.max(length + n, grown));
        }
        buf.getBytes(at, bytes, length, n);
        length += n;
    }

    /** The body, exactly its bytes; this collector is empty again. */
    public byte[] take() {
        byte[] out = length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
        bytes = EMPTY;
        length = 0;
        return out;
    }
}
