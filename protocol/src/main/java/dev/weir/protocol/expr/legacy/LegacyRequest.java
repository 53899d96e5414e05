package dev.weir.protocol.expr.legacy;

import dev.weir.protocol.expr.Condition;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.Projection;
import dev.weir.protocol.expr.Update;

import java.util.Set;

/**
 * Every legacy parameter of one request, translated; each part is null when the request does
 * not have it. Each part is what its expression twin parses to:
 * <ul>
 *   <li>{@code projection}: AttributesToGet, as a ProjectionExpression;</li>
 *   <li>{@code keyCondition}: KeyConditions, as a KeyConditionExpression
 *       (split with {@link dev.weir.protocol.expr.KeyConditions#analyze});</li>
 *   <li>{@code filter}: QueryFilter or ScanFilter with ConditionalOperator, as a FilterExpression;</li>
 *   <li>{@code condition}: Expected with ConditionalOperator, as a ConditionExpression;</li>
 *   <li>{@code update}: AttributeUpdates, as an UpdateExpression.</li>
 * </ul>
 */
public record LegacyRequest(Projection projection, Condition keyCondition, Condition filter, Condition condition,
                            Update update) {

    public static final LegacyRequest EMPTY = new LegacyRequest(null, null, null, null, null);

    public boolean isEmpty() {
        return projection == null && keyCondition == null && filter == null && condition == null && update == null;
    }

    /** Every path AttributeUpdates writes (sets, removes, adds to, deletes from). */
    public Set<Path> writePaths() {
        return update == null ? Set.of() : update.writePaths();
    }
}
