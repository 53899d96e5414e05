package dev.weir.protocol.expr.parse;

import dev.weir.protocol.model.AttributeValue;

/** Resolves {@code #name} and {@code :value} placeholders, recording which were used. */
public interface Substitutions {

    /** The attribute name {@code ref} (such as {@code #n}) stands for, or null when undefined. */
    String name(String ref);

    /** The value {@code ref} (such as {@code :v}) stands for, or null when undefined. */
    AttributeValue value(String ref);
}
