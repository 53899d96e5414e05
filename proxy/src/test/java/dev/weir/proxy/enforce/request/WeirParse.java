package dev.weir.proxy.enforce.request;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.model.Operation;
import dev.weir.protocol.wire.Target;
import dev.weir.proxy.enforce.verdict.Refusal;
import dev.weir.proxy.upstream.UpstreamAccount;

/**
 * weir's parse of a request's expressions, as the firewall runs it: {@link RequestParser}
 * on the target and the body's bytes, the request's one part's {@link Expressions}.
 */
final class WeirParse {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RequestParser PARSER = new RequestParser(UpstreamAccount.DEFAULT);

    private WeirParse() {}

    /** weir's parse of the request's one part's expressions (the request must be one weir accepts). */
    static Expressions expressions(Operation op, ObjectNode body) {
        try {
            return PARSER.parse("fuzz", Target.of(op), JSON.writeValueAsBytes(body)).single().expressions();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static ParseOutcome of(Operation op, ObjectNode body) {
        ParsedRequest request;
        try {
            request = PARSER.parse("fuzz", Target.of(op), JSON.writeValueAsBytes(body));
        } catch (Refusal refused) {
            return new ParseOutcome.Refused(refused.error().shortType(), refused.error().message());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        Expressions e = request.single().expressions();
        return new ParseOutcome.Accepted(new ExpressionTrees(e.keyCondition() == null ? null : e.keyCondition().expression(),
                e.filter() == null ? null : e.filter().expression(), e.condition() == null ? null : e.condition().expression(),
                e.update() == null ? null : e.update().expression(), e.projection() == null ? null : e.projection().paths()));
    }
}
