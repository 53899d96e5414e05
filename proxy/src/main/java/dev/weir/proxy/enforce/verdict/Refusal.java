package dev.weir.proxy.enforce.verdict;

import dev.weir.protocol.error.DynamoError;

import java.util.LinkedHashSet;
import java.util.List;

/**
 * Thrown by a check that refuses the request: it carries the kind of refusal and the error
 * the caller gets. Made only by {@link Refusals}. Without a stack trace: a refusal is an
 * answer, not a fault.
 */
public final class Refusal extends RuntimeException {
    private final Verdict.Kind kind;
    private final String reason;
    private final DynamoError error;
    private final List<String> ruleIds;

    Refusal(Verdict.Kind kind, String reason, DynamoError error, List<String> ruleIds) {
        super(kind + ": " + error.message(), null, false, false);
        this.kind = kind;
        this.reason = reason;
        this.error = error;
        this.ruleIds = List.copyOf(ruleIds);
    }

    public Verdict.Kind kind() {
        return kind;
    }

    public String reason() {
        return reason;
    }

    public DynamoError error() {
        return error;
    }

    /** The same refusal, naming the rules that decided it. */
    public Refusal withRules(List<String> ids) {
        return new Refusal(kind, reason, error, ids);
    }

    /** The verdict, naming the rules met before this refusal and the ones it names itself. */
    public Verdict.Refused verdict(List<String> rulesSoFar) {
        LinkedHashSet<String> ids = new LinkedHashSet<>(rulesSoFar);
        ids.addAll(ruleIds);
        return new Verdict.Refused(kind, List.copyOf(ids), reason, error);
    }
}
