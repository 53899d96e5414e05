package dev.weir.policy.compile;

import dev.weir.policy.ast.Clause;
import dev.weir.policy.ast.Condition;
import dev.weir.policy.ast.Operand;
import dev.weir.policy.ast.PolicyFile;
import dev.weir.policy.ast.Reference;
import dev.weir.policy.ast.Rule;
import dev.weir.policy.ast.SetExpr;
import dev.weir.policy.ast.Name;
import dev.weir.policy.ast.Selector;
import dev.weir.policy.check.OperationNames;
import dev.weir.policy.decision.PolicyFacts;
import dev.weir.policy.predicate.ItemPaths;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.model.Operation;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the {@link PolicyFacts} of a checked policy set by walking its syntax trees: every
 * reference in every {@code when}, {@code rows where} and {@code require} clause (table tags),
 * and the item paths of the {@code rows where} of every rule that names a read operation (the
 * row-deciding paths, per table named and for {@code table *}). The walk switches over the
 * sealed node types, so a new kind of node cannot be skipped silently.
 */
final class FactFinder {
    private FactFinder() {}

    static PolicyFacts of(List<PolicyFile> files) {
        boolean tags = false;
        Map<String, Set<Path>> byTable = new LinkedHashMap<>();
        Set<Path> anyTable = new LinkedHashSet<>();
        for (PolicyFile f : files) {
            for (Rule r : f.rules()) {
                if (r.rows().isPresent() && readsItems(r)) {
                    Set<Path> paths = new LinkedHashSet<>();
                    ItemPaths.collect(r.rows().get().condition(), paths);
                    switch (r.tables()) {
                        case Selector.Any ignored -> anyTable.addAll(paths);
                        case Selector.Listed l -> {
                            for (Name n : l.names()) byTable.computeIfAbsent(n.text(), k -> new LinkedHashSet<>()).addAll(paths);
                        }
                    }
                }
                for (Clause c : r.clauses()) {
                    Condition condition = switch (c) {
                        case Clause.When w -> w.condition();
                        case Clause.Rows w -> w.condition();
                        case Clause.Require w -> w.condition();
                        case Clause.Fields ignored -> null;
                        case Clause.Action ignored -> null;
                        case Clause.Reason ignored -> null;
                    };
                    if (condition != null && readsTableTags(condition)) tags = true;
                }
            }
        }
        return new PolicyFacts(tags, byTable, anyTable, true);
    }

    /** Whether the rule names an operation of the read group (its rows then decide who reads an item). */
    private static boolean readsItems(Rule r) {
        for (Operation op : OperationNames.of(r.operations())) if (op.group() == Operation.Group.READ) return true;
        return false;
    }

    private static boolean readsTableTags(Condition c) {
        return switch (c) {
            case Condition.And a -> readsTableTags(a.left()) || readsTableTags(a.right());
            case Condition.Or o -> readsTableTags(o.left()) || readsTableTags(o.right());
            case Condition.Not n -> readsTableTags(n.inner());
            case Condition.Constant ignored -> false;
            case Condition.Compare cmp -> readsTableTags(cmp.left()) || readsTableTags(cmp.right());
            case Condition.In in -> readsTableTags(in.value()) || readsTableTags(in.set());
            case Condition.Between b -> readsTableTags(b.value()) || readsTableTags(b.low()) || readsTableTags(b.high());
            case Condition.Call call -> call.args().stream().anyMatch(FactFinder::readsTableTags);
        };
    }

    private static boolean readsTableTags(Operand o) {
        return switch (o) {
            case Operand.Ref r -> isTableTags(r.ref());
            case Operand.Size s -> isTableTags(s.ref());
            case Operand.Str ignored -> false;
            case Operand.Num ignored -> false;
            case Operand.Bool ignored -> false;
            case Operand.Nul ignored -> false;
            case Operand.Cidr ignored -> false;
        };
    }

    private static boolean readsTableTags(SetExpr s) {
        return switch (s) {
            case SetExpr.Listed l -> l.elements().stream().anyMatch(FactFinder::readsTableTags);
            case SetExpr.OfReference r -> isTableTags(r.ref());
            case SetExpr.TimeWindow ignored -> false;
            case SetExpr.Network ignored -> false;
        };
    }

    /** {@code ctx.table.tags...}: the steps are names, so quoting ({@code ctx."table".tags}) does not matter. */
    private static boolean isTableTags(Reference ref) {
        List<String> keys = ref.keys();
        return ref.root() == Reference.Root.CTX && keys.size() >= 2 && keys.get(0).equals("table") && keys.get(1).equals("tags");
    }
}
