package dev.weir.policy.ast;

import java.math.BigDecimal;

/** A value in a condition: a reference, a literal, or {@code size(reference)}. */
public sealed interface Operand extends Node {

    record Str(String value, SourcePos pos) implements Operand {}

    /** A number, with the text as written. */
    record Num(BigDecimal value, String text, SourcePos pos) implements Operand {}

    record Bool(boolean value, SourcePos pos) implements Operand {}

    record Nul(SourcePos pos) implements Operand {}

    /** {@code 10.0.0.0/8} or {@code 127.0.0.1} (a host, /32), checked by the AST builder. */
    record Cidr(CidrBlock block, SourcePos pos) implements Operand {}

    /** {@code size(item.tags)}: characters of a string, bytes of a binary, elements of a collection. */
    record Size(Reference ref, SourcePos pos) implements Operand {}

    /** {@code item.x}, {@code principal.x}, {@code ctx.x}. */
    record Ref(Reference ref, SourcePos pos) implements Operand {}
}
