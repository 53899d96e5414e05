package dev.weir.policy.ast;

import java.util.List;
import java.util.Optional;

/**
 * {@code allow|deny PRINCIPALS on table TABLES op OPERATIONS clause*}.
 *
 * @param operations operation names or group keywords as written; the checker resolves them
 * @param clauses    in source order; the order carries no meaning
 */
public record Rule(Effect effect, RuleId id, Selector principals, Selector tables,
                   Selector operations, List<Clause> clauses, SourcePos pos) implements Declaration {
    public Rule {
        clauses = List.copyOf(clauses);
    }

    /** The first {@code fields} clause, if any (the checker rejects a second one). */
    public Optional<Clause.Fields> fields() {
        return clauses.stream().filter(Clause.Fields.class::isInstance).map(Clause.Fields.class::cast).findFirst();
    }

    /** Every {@code mask}, {@code remove} and {@code null} clause. */
    public List<Clause.Action> actions() {
        return clauses.stream().filter(Clause.Action.class::isInstance).map(Clause.Action.class::cast).toList();
    }

    /** The first {@code reason} clause, if any. */
    public Optional<Clause.Reason> reason() {
        return clauses.stream().filter(Clause.Reason.class::isInstance).map(Clause.Reason.class::cast).findFirst();
    }

    public Optional<Clause.When> when() {
        return clauses.stream().filter(Clause.When.class::isInstance).map(Clause.When.class::cast).findFirst();
    }

    public Optional<Clause.Rows> rows() {
        return clauses.stream().filter(Clause.Rows.class::isInstance).map(Clause.Rows.class::cast).findFirst();
    }

    public Optional<Clause.Require> require() {
        return clauses.stream().filter(Clause.Require.class::isInstance).map(Clause.Require.class::cast).findFirst();
    }
}
