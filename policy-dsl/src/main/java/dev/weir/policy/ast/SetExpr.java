package dev.weir.policy.ast;

import java.time.LocalTime;
import java.util.List;
import java.util.Optional;

/** The right side of {@code in}. */
public sealed interface SetExpr extends Node {

    /** {@code [a, b, 10.0.0.0/8]}. */
    record Listed(List<Operand> elements, SourcePos pos) implements SetExpr {
        public Listed {
            elements = List.copyOf(elements);
        }
    }

    /** {@code 07:00..19:00 "Europe/Berlin"}: from (included) to (excluded); wraps past midnight when to &lt; from. */
    record TimeWindow(LocalTime from, LocalTime to, Optional<String> zone, SourcePos pos) implements SetExpr {}

    /** {@code principal.regions}, {@code item.tags}: a list- or set-valued reference. */
    record OfReference(Reference ref, SourcePos pos) implements SetExpr {}

    /** {@code office}: a {@code network} declared in the policy set. */
    record Network(Name name, SourcePos pos) implements SetExpr {}
}
