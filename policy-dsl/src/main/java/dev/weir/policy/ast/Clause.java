package dev.weir.policy.ast;

import java.util.List;

/**
 * What follows a rule's target. New kinds ({@code when}, {@code rows where},
 * {@code require}) join this sealed family.
 */
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
}
