package dev.weir.store.api.validate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.model.Operation;
import dev.weir.store.api.ValidationErrors;

/**
 * DynamoDB's checks of a request before any look at the data, in its order: first every
 * member's JSON type (a SerializationException, {@link SerializationCheck}), then every
 * constraint of every member (one ValidationException listing up to ten violations,
 * {@link ConstraintCheck}). Only then does an operation look at its tables, so a malformed
 * request names its faults even when its table does not exist. The members, their types and
 * constraints are data ({@link OperationShapes}); handlers check only what relates members to
 * each other or to stored data.
 */
public final class RequestValidator {
    private RequestValidator() {}

    /** Checks {@code request} (a JSON object, converted in place where DynamoDB converts) for {@code op}. */
    public static void validate(Operation op, ObjectNode request) {
        Shape.Struct shape = OperationShapes.ALL.get(op);
        if (shape == null) return;
        SerializationCheck.check(request, shape);
        ValidationErrors errors = new ValidationErrors();
        ConstraintCheck.check(request, shape, errors);
        errors.throwIfAny();
    }

    /** Whether {@code op} has a table of its members (every operation the bundled store serves does). */
    public static boolean knows(Operation op) {
        return OperationShapes.ALL.containsKey(op);
    }
}
