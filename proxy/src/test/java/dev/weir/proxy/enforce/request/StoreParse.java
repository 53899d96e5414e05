package dev.weir.proxy.enforce.request;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.expr.Condition;
import dev.weir.protocol.expr.Projection;
import dev.weir.protocol.expr.Update;
import dev.weir.protocol.model.Operation;
import dev.weir.store.expression.RequestExpressions;

/**
 * The bundled store's parse of a request's expressions, exactly as its handlers run it:
 * {@link RequestExpressions} over the body (names checked as text, values canonical and valid
 * as stored values), each member in the order the operation's handler reads them (Query:
 * key condition, filter, projection; Scan: filter, projection; GetItem: projection; PutItem
 * and DeleteItem: condition; UpdateItem: update, condition), then
 * {@link RequestExpressions#finish()} (names and values only with expressions, never empty,
 * every one used).
 */
final class StoreParse {
    private StoreParse() {}

    static ParseOutcome of(Operation op, JsonNode body) {
        try {
            RequestExpressions e = RequestExpressions.of(body);
            Condition key = null, filter = null, condition = null;
            Update update = null;
            Projection projection = null;
            switch (op) {
                case Query -> {
                    key = e.condition("KeyConditionExpression");
                    filter = e.condition("FilterExpression");
                    projection = e.projection();
                }
                case Scan -> {
                    filter = e.condition("FilterExpression");
                    projection = e.projection();
                }
                case GetItem -> projection = e.projection();
                case PutItem, DeleteItem -> condition = e.condition("ConditionExpression");
                case UpdateItem -> {
                    update = e.update();
                    condition = e.condition("ConditionExpression");
                }
                default -> throw new IllegalArgumentException(op + " carries no expressions here");
            }
            e.finish();
            return new ParseOutcome.Accepted(new ExpressionTrees(key == null ? null : key.expression(),
                    filter == null ? null : filter.expression(), condition == null ? null : condition.expression(),
                    update == null ? null : update.expression(), projection == null ? null : projection.paths()));
        } catch (DynamoException refused) {
            return new ParseOutcome.Refused(refused.error().shortType(), refused.error().message());
        }
    }
}
