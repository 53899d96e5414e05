package dev.weir.protocol.expr.eval;

import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.value.DynamoNumber;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** Union and difference of DynamoDB sets (SS, NS, BS); number sets compare members by value. */
final class SetAlgebra {
    private SetAlgebra() {}

    /** {@code base} (may be null) with the members of {@code added}, in order, without duplicates. */
    static AttributeValue union(AttributeValue base, AttributeValue added) {
        return switch (added) {
            case AttributeValue.SS s -> new AttributeValue.SS(union(base == null ? List.of() : ((AttributeValue.SS) base).value(), s.value()));
            case AttributeValue.BS s -> new AttributeValue.BS(union(base == null ? List.of() : ((AttributeValue.BS) base).value(), s.value()));
            case AttributeValue.NS s -> {
                List<String> members = new ArrayList<>(base == null ? List.of() : ((AttributeValue.NS) base).value());
                for (String n : s.value()) {
                    if (!Values.containsNumber(members, n)) members.add(DynamoNumber.canonical(n));
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
            case AttributeValue.SS s -> new AttributeValue.SS(s.value().stream()
                    .filter(m -> !((AttributeValue.SS) removed).value().contains(m)).toList());
            case AttributeValue.BS s -> new AttributeValue.BS(s.value().stream()
                    .filter(m -> !((AttributeValue.BS) removed).value().contains(m)).toList());
            case AttributeValue.NS s -> {
                List<String> gone = ((AttributeValue.NS) removed).value();
                yield new AttributeValue.NS(s.value().stream().filter(m -> !Values.containsNumber(gone, m)).toList());
            }
            default -> throw new IllegalArgumentException("not a set: " + base.typeTag());
        };
        return Values.size(rest) == 0 ? null : rest;
    }

}
