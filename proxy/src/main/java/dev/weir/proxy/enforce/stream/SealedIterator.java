package dev.weir.proxy.enforce.stream;

import java.util.List;

/**
 * What weir's own shard iterator holds, sealed ({@link IteratorSeal}): the table and stream it
 * reads, the shard, what weir learned of the stream when the iterator was made (its view type
 * and the table's key attributes, fixed for a stream's life), and the upstream's iterator,
 * which the client never sees.
 */
public record SealedIterator(String table, String streamArn, String shardId, ViewType viewType, List<String> keyAttributes,
                             String upstream) {
    public SealedIterator {
        keyAttributes = List.copyOf(keyAttributes);
    }

    /** The same iterator at the upstream's next position. */
    public SealedIterator next(String nextUpstream) {
        return new SealedIterator(table, streamArn, shardId, viewType, keyAttributes, nextUpstream);
    }
}
