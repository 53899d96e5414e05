package dev.weir.proxy.enforce.stream;

import dev.weir.protocol.expr.Path;
import dev.weir.proxy.enforce.read.ReadView;

import java.util.List;
import java.util.Optional;

/**
 * Whether a caller may read a stream's records (GetShardIterator, GetRecords) or its shard
 * numbers (DescribeStream) under its read view of the table, or why not. Only a restricted
 * view is ever refused; a caller that sees everything reads every stream as the store gives it.
 */
public final class StreamAccess {
    private StreamAccess() {}

    /**
     * Why the caller may not read the stream's records, or empty when it may.
     *
     * <ul>
     *   <li>a key attribute the caller does not read in clear: every record carries the item's
     *       key (Query and Scan hold the same rule, docs/enforcement.md "Order");</li>
     *   <li>a stream of any view type but NEW_AND_OLD_IMAGES: without both images weir cannot
     *       tell whether a MODIFY changed anything the caller sees, or a row moved into its view,
     *       and showing it would tell that a hidden value changed; refused rather than answered
     *       with records that leak or with silently empty pages;</li>
     *   <li>an upstream whose numbers may count records hidden from the caller
     *       ({@link UpstreamNumbers#REFUSED}).</li>
     * </ul>
     */
    public static Optional<String> recordsRefusal(ReadView view, List<String> keyAttributes, ViewType type,
                                                  UpstreamNumbers numbers) {
        if (view.isUnrestricted()) return Optional.empty();
        for (String key : keyAttributes) {
            if (!view.canReadInClear(Path.of(key))) {
                return Optional.of("every stream record carries the key attribute '" + key
                        + "', which the caller may not read in the clear");
            }
        }
        if (type != ViewType.NEW_AND_OLD_IMAGES) {
            return Optional.of("the caller's view of the table hides rows or fields, and a " + type.name()
                    + " stream's records do not carry both images, without which weir cannot tell a change the caller "
                    + "may see from one to hidden values only; such a caller reads NEW_AND_OLD_IMAGES streams");
        }
        return numbersRefusal(view, numbers);
    }

    /** Why the caller may not see the upstream's stream numbers (shards of DescribeStream, records), or empty. */
    public static Optional<String> numbersRefusal(ReadView view, UpstreamNumbers numbers) {
        if (view.isUnrestricted() || numbers != UpstreamNumbers.REFUSED) return Optional.empty();
        return Optional.of("the caller's view of the table is restricted, and the upstream is not weir's bundled store: its "
                + "stream sequence numbers may count the changes the caller may not see (an operator may accept that "
                + "with upstream.streams_reveal_counts: accept)");
    }
}
