package dev.weir.policy.ast;

import java.util.List;

/** What follows a rule's target: field clauses, a reason, and the three condition clauses. */
public sealed interface Clause extends Node {

    /** The keyword the clause starts with. */
    String keyword();

    /** {@code fields [id, name, address.*]}: the allow-list of attribute paths. */
    record Fields(List<FieldPath> paths, SourcePos pos) implements Clause {
        public Fields {
            paths = List.copyOf(paths);
        }

        public String keyword() { return "fields"; }
    }

    /** {@code mask PATH FUNC}, {@code remove PATH} or {@code null PATH}. */
    record Action(FieldPath path, FieldAction action, SourcePos pos) implements Clause {
        public String keyword() { return action.keyword(); }
    }

    /** {@code reason "text"}: the message of a deny. */
    record Reason(String text, SourcePos pos) implements Clause {
        public String keyword() { return "reason"; }
    }

    /** {@code when CONDITION}: the rule applies only to requests whose context satisfies it. */
    record When(Condition condition, SourcePos pos) implements Clause {
        public String keyword() { return "when"; }
    }

    /** {@code rows where CONDITION}: the items the rule covers. */
    record Rows(Condition condition, SourcePos pos) implements Clause {
        public String keyword() { return "rows where"; }
    }

    /** {@code require CONDITION}: what an item written under the rule must satisfy. */
    record Require(Condition condition, SourcePos pos) implements Clause {
        public String keyword() { return "require"; }
    }
}
