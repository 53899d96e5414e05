package dev.weir.proxy.enforce.verdict;

import dev.weir.protocol.error.DynamoError;
import dev.weir.protocol.model.Operation;

import java.util.List;

/**
 * The one place refusals are made. An instance is bound to a principal, an operation and a
 * table, and words an access refusal the way DynamoDB does:
 * {@code User: P is not authorized to perform: dynamodb:OP on resource: table/T because ...}.
 * The static methods make the refusals that name no resource.
 */
public final class Refusals {
    private final String principal;
    private final Operation operation;
    private final String table;

    private Refusals(String principal, Operation operation, String table) {
        this.principal = principal;
        this.operation = operation;
        this.table = table == null ? "*" : table;
    }

    /** @param table the table as policies name it; null (no table) is written {@code *} */
    public static Refusals of(String principal, Operation operation, String table) {
        return new Refusals(principal, operation, table);
    }

    /** A deny matched, or the request would reveal or touch what the policy hides. */
    public Refusal forbidden(String because) {
        return accessDenied(Verdict.Kind.FORBIDDEN, because);
    }

    /** No allow matched. */
    public Refusal notPermitted(String because) {
        return accessDenied(Verdict.Kind.NOT_PERMITTED, because);
    }

    /** weir cannot enforce the policy on this request, so it refuses it. */
    public Refusal unenforceable(String because) {
        return accessDenied(Verdict.Kind.UNENFORCEABLE, because);
    }

    /** {@code weir does not enforce WHAT yet, so the request was refused}. */
    public Refusal notYet(String what) {
        return unenforceable("weir does not enforce " + what + " yet, so the request was refused");
    }

    /** The policy's condition has no exact store form. */
    public Refusal cannotState(String why) {
        return unenforceable("the policy's condition cannot be enforced by the store: " + why);
    }

    private Refusal accessDenied(Verdict.Kind kind, String because) {
        return new Refusal(kind, because, DynamoError.accessDenied("User: " + principal + " is not authorized to perform: dynamodb:"
                + operation + " on resource: table/" + table + " because " + because), List.of());
    }

    /** A malformed request, refused with the error DynamoDB would give. */
    public static Refusal invalid(DynamoError error) {
        return new Refusal(Verdict.Kind.INVALID, error.message(), error, List.of());
    }

    /** A malformed request: {@code ValidationException} with this message. */
    public static Refusal invalid(String message) {
        return invalid(DynamoError.validation(message));
    }

    /** An operation or parameter weir does not handle: {@code ValidationException} saying so. */
    public static Refusal unsupported(String message) {
        return new Refusal(Verdict.Kind.UNENFORCEABLE, message, DynamoError.validation(message), List.of());
    }

    /** Something weir needs to decide could not be had (the upstream did not answer): {@code ServiceUnavailable}. */
    public static Refusal unavailable(String message) {
        return new Refusal(Verdict.Kind.UNENFORCEABLE, message, DynamoError.serviceUnavailable(message), List.of());
    }

    /** No valid identity; {@code error} is what the identifier found. */
    public static Refusal unauthenticated(DynamoError error) {
        return new Refusal(Verdict.Kind.UNAUTHENTICATED, error.message(), error, List.of());
    }
}
