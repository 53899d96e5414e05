package dev.weir.policy.check;

import dev.weir.protocol.model.Operation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What an operation name in a rule means: one API operation, or a group keyword. */
public final class OperationNames {
    private OperationNames() {}

    /** The operations {@code name} stands for: {@code GetItem} → {GetItem}; {@code read} → every read. */
    public static Optional<Set<Operation>> resolve(String name) {
        Operation op = Operation.byName(name);
        if (op != null) return Optional.of(EnumSet.of(op));
        for (Operation.Group g : Operation.Group.values()) {
            if (g.keyword().equals(name)) {
                EnumSet<Operation> ops = EnumSet.noneOf(Operation.class);
                for (Operation o : Operation.values()) if (o.group() == g) ops.add(o);
                return Optional.of(ops);
            }
        }
        return Optional.empty();
    }

    /** The operations a checked selector names: groups and {@code *} expanded, unknown names ignored. */
    public static Set<Operation> of(dev.weir.policy.ast.Selector operations) {
        if (!(operations instanceof dev.weir.policy.ast.Selector.Listed l)) return EnumSet.allOf(Operation.class);
        Set<Operation> ops = EnumSet.noneOf(Operation.class);
        for (dev.weir.policy.ast.Name n : l.names()) resolve(n.text()).ifPresent(ops::addAll);
        return ops;
    }

    /** Every name {@link #resolve} knows, for suggestions. */
    public static List<String> known() {
        List<String> names = new ArrayList<>(Arrays.stream(Operation.values()).map(Operation::name).toList());
        for (Operation.Group g : Operation.Group.values()) names.add(g.keyword());
        return names;
    }
}
