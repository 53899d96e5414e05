package dev.weir.policy.decision;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What a policy's {@code when} clauses can see of a request besides the principal: the
 * source address ({@code ctx.source}), the time ({@code ctx.time}), the verified TLS client
 * identity ({@code ctx.tls.subject.ou}, {@code ctx.tls.san}) and the table's tags
 * ({@code ctx.table.tags.env}). The operation and table come from the request itself
 * ({@code ctx.operation}, {@code ctx.table}).
 *
 * <p>Anything unknown is absent: {@link #NONE} has no address, no time, no TLS identity and no
 * tags. A comparison with an absent value is false, except {@code !=}, which is true
 * (as in DynamoDB's condition expressions), so {@code deny ... when ctx.tls.subject.ou != "batch"}
 * also refuses callers without a certificate.
 *
 * <p>Immutable. Built once per request by the caller; the decision lookup itself allocates
 * nothing (the address bytes are taken here, once).
 */
public final class Context {
    /** Nothing known about the request's context. */
    public static final Context NONE = new Context(null, null, TlsIdentity.NONE, Map.of());

    private final InetAddress source;
    private final byte[] sourceBytes;
    private final Instant time;
    private final TlsIdentity tls;
    private final Map<String, String> tableTags;

    /**
     * @param source    the client's address, or null when unknown
     * @param time      when the request arrived, or null when unknown
     * @param tls       the verified client certificate's identity, or {@link TlsIdentity#NONE}
     * @param tableTags the tags of the request's table (tag key → value), empty when unknown
     */
    public Context(InetAddress source, Instant time, TlsIdentity tls, Map<String, String> tableTags) {
        this.source = source;
        this.sourceBytes = source == null ? null : source.getAddress();
        this.time = time;
        this.tls = Objects.requireNonNull(tls, "tls (use TlsIdentity.NONE)");
        this.tableTags = Map.copyOf(tableTags);
    }

    /** A context with just the source address and time. */
    public static Context of(InetAddress source, Instant time) {
        return new Context(source, time, TlsIdentity.NONE, Map.of());
    }

    public Context withTls(TlsIdentity identity) {
        return new Context(source, time, identity, tableTags);
    }

    public Context withTableTags(Map<String, String> tags) {
        return new Context(source, time, tls, tags);
    }

    public InetAddress source() {
        return source;
    }

    /** The source address's bytes (4 or 16), or null; do not modify. */
    public byte[] sourceBytes() {
        return sourceBytes;
    }

    public Instant time() {
        return time;
    }

    public TlsIdentity tls() {
        return tls;
    }

    public Map<String, String> tableTags() {
        return tableTags;
    }

    @Override public boolean equals(Object o) {
        return o instanceof Context c && Objects.equals(source, c.source) && Objects.equals(time, c.time)
                && tls.equals(c.tls) && tableTags.equals(c.tableTags);
    }

    @Override public int hashCode() {
        return Objects.hash(source, time, tls, tableTags);
    }

    @Override public String toString() {
        return "Context[source=" + (source == null ? "-" : source.getHostAddress()) + ", time=" + time
                + ", tls=" + tls + ", tableTags=" + tableTags + "]";
    }
}
