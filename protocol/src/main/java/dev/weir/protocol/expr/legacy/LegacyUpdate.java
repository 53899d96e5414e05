package dev.weir.protocol.expr.legacy;

import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.Update;
import dev.weir.protocol.expr.ast.UpdateExpr;
import dev.weir.protocol.expr.eval.UpdateApplier;
import dev.weir.protocol.model.AttributeValue;

import java.util.Map;
import java.util.Set;

/**
 * Translated AttributeUpdates: applied by the expression engine's {@link UpdateApplier}, with
 * the one error DynamoDB words differently for legacy updates (a type mismatch between the
 * stored attribute and an ADD or DELETE value).
 */
final class LegacyUpdate implements Update {
    private static final String ENGINE_WRONG_TYPE = "An operand in the update expression has an incorrect data type";
    static final String TYPE_MISMATCH = Members.INVALID + "Type mismatch for attribute to update";

    private final UpdateApplier applier;

    LegacyUpdate(UpdateExpr expression) {
        this.applier = new UpdateApplier(expression);
    }

    @Override public Map<String, AttributeValue> apply(Map<String, AttributeValue> item) {
        try {
            return applier.apply(item);
        } catch (DynamoException e) {
            if (e.error().message().equals(ENGINE_WRONG_TYPE)) throw DynamoException.validation(TYPE_MISMATCH);
            throw e;
        }
    }

    @Override public Set<Path> readPaths() { return applier.readPaths(); }

    @Override public Set<Path> writePaths() { return applier.writePaths(); }

    @Override public UpdateExpr expression() { return applier.expression(); }
}
