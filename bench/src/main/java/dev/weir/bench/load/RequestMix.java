package dev.weir.bench.load;

import dev.weir.protocol.model.Operation;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The request mix of a workload: each entry an operation with its share of requests and the
 * pool of prepared requests it picks from uniformly.
 */
public final class RequestMix {
    /** One operation of the mix: its share (weights need not sum to 1) and its requests. */
    public record Entry(String label, double weight, List<PreparedRequest> pool) {
        public Entry {
            if (pool.isEmpty()) throw new IllegalArgumentException("empty pool for " + label);
            if (!(weight > 0)) throw new IllegalArgumentException("weight of " + label + " must be positive");
            pool = List.copyOf(pool);
        }

        public Operation operation() {
            return pool.getFirst().operation();
        }
    }

    private final List<Entry> entries;
    private final double[] cumulative;
    private final PreparedRequest[][] pools;

    public RequestMix(List<Entry> entries) {
        if (entries.isEmpty()) throw new IllegalArgumentException("empty mix");
        this.entries = List.copyOf(entries);
        double total = entries.stream().mapToDouble(Entry::weight).sum();
        cumulative = new double[entries.size()];
        pools = new PreparedRequest[entries.size()][];
        double sum = 0;
        for (int i = 0; i < entries.size(); i++) {
            sum += entries.get(i).weight() / total;
            cumulative[i] = sum;
            pools[i] = entries.get(i).pool().toArray(PreparedRequest[]::new);
        }
        cumulative[entries.size() - 1] = 1.0;
    }

    public List<Entry> entries() {
        return entries;
    }

    public int size() {
        return entries.size();
    }

    /** The index of the entry the next request comes from. */
    int pickEntry(SplittableRandom random) {
        double r = random.nextDouble();
        for (int i = 0; i < cumulative.length; i++) if (r < cumulative[i]) return i;
        return cumulative.length - 1;
    }

    PreparedRequest pickRequest(int entry, SplittableRandom random) {
        PreparedRequest[] pool = pools[entry];
        return pool[random.nextInt(pool.length)];
    }

    /**
     * Frees the prepared requests' direct buffers (they are unreleasable while the mix is in
     * use), for a caller that makes a fresh mix per phase; the mix must not be used again.
     */
    public void free() {
        for (PreparedRequest[] pool : pools) {
            for (PreparedRequest r : pool) {
                // Under the unreleasable wrapper: releasing there goes through any leak-tracking
                // wrapper Netty put around the direct buffer, which then knows it was freed.
                io.netty.buffer.ByteBuf b = r.bytes().unwrap();
                if (b != null && b.refCnt() > 0) b.release();
            }
        }
    }

    /** "GetItem 60% / PutItem 30% / Query 10%". */
    public String describe() {
        double total = entries.stream().mapToDouble(Entry::weight).sum();
        StringBuilder sb = new StringBuilder();
        for (Entry e : entries) {
            if (!sb.isEmpty()) sb.append(" / ");
            sb.append(e.label()).append(' ').append(Math.round(100 * e.weight() / total)).append('%');
        }
        return sb.toString();
    }
}
