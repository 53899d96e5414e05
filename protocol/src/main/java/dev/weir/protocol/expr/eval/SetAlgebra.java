package dev.weir.protocol.expr.eval;

import dev.weir.protocol.model.AttributeValue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Union and difference of DynamoDB sets (SS, NS, BS); number sets compare members by value.
 * Both take time linear in the two sets' sizes (hash sets of the members): a set may hold
 * hundreds of thousands of members within an item's 400 KB, so comparing each with each is
 * no option.
 */
final class SetAlgebra {
    private SetAlgebra() {}

    /** {@code base} (may be null) with the members of {@code added}, in order, without duplicates. */
    static AttributeValue union(AttributeValue base, AttributeValue added) {
        return switch (added) {
            case AttributeValue.SS s -> new AttributeValue.SS(union(base == null ? List.of() : ((AttributeValue.SS) base).value(), s.value()));
            case AttributeValue.BS s -> new AttributeValue.BS(union(base == null ? List.of() : ((AttributeValue.BS) base).value(), s.value()));
            case AttributeValue.NS s -> {
                List<String> members = new ArrayList<>(base == null ? List.of() : ((AttributeValue.NS) base).value());
                Set<BigDecimal> present = Values.numbers(members);
                for (String n : s.value()) {
                    BigDecimal value = Values.number(n);
                    if (present.add(value)) members.add(value.toPlainString());
                }
                yield new AttributeValue.NS(members);
            }
            default -> throw new IllegalArgumentException("not a set: " + added.typeTag());
        };
    }

    private static <T> List<T> union(List<T> base, List<T> added) {
        LinkedHashSet<T> members = new LinkedHashSet<>(base);
        members.addAll(added);
        return List.copyOf(members);
    }

    /** {@code base} without the members of {@code removed}; null when nothing is left. */
    static AttributeValue difference(AttributeValue base, AttributeValue removed) {
        AttributeValue rest = switch (base) {
            case AttributeValue.SS s -> {
                Set<String> gone = new HashSet<>(((AttributeValue.SS) removed).value());
                yield new AttributeValue.SS(s.value().stream().filter(m -> !gone.contains(m)).toList());
            }
            case AttributeValue.BS s -> {
                Set<AttributeValue.Bytes> gone = new HashSet<>(((AttributeValue.BS) removed).value());
                yield new AttributeValue.BS(s.value().stream().filter(m -> !gone.contains(m)).toList());
            }
            case AttributeValue.NS s -> {
                Set<BigDecimal> gone = Values.numbers(((AttributeValue.NS) removed).value());
                yield new AttributeValue.NS(s.value().stream().filter(m -> !gone.contains(Values.number(m))).toList());
            }
            default -> throw new IllegalArgumentException("not a set: " + base.typeTag());
        };
        return Values.size(rest) == 0 ? null : rest;
    }

}
