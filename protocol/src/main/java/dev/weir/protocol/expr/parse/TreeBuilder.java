package dev.weir.protocol.expr.parse;

import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.PathElement;
import dev.weir.protocol.expr.ast.Operand;
import dev.weir.protocol.expr.grammar.DynamoExpressionParser.PathContext;
import dev.weir.protocol.expr.grammar.DynamoExpressionParser.PathNameContext;
import dev.weir.protocol.expr.grammar.DynamoExpressionLexer;
import dev.weir.protocol.model.AttributeValue;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenStream;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;

import java.util.ArrayList;
import java.util.List;

/** What the builders of all three expression kinds share: paths, placeholders and problems. */
abstract class TreeBuilder {
    /** Stands in for an operand that is already reported as a problem; never evaluated. */
    static final Operand INVALID = new Operand.ValueOperand("<invalid>", new AttributeValue.Null());

    final String parameterName;
    final String text;
    final TokenStream tokens;
    final Substitutions substitutions;
    final Problems problems = new Problems();
    /** Whether a check read a value's content, not only its type ({@link BuildTemplate}). */
    private boolean valueContentRead;

    TreeBuilder(String parameterName, String text, TokenStream tokens, Substitutions substitutions) {
        this.parameterName = parameterName;
        this.text = text;
        this.tokens = tokens;
        this.substitutions = substitutions;
    }

    Path path(PathContext ctx) {
        List<PathElement> elements = new ArrayList<>();
        for (ParseTree child : ctx.children) {
            if (child instanceof PathNameContext name) {
                elements.add(new PathElement.Name(name(name)));
            } else if (child instanceof TerminalNode t && t.getSymbol().getType() == DynamoExpressionLexer.INDEX) {
                elements.add(new PathElement.Index(index(t.getSymbol())));
            }
        }
        return new Path(elements);
    }

    private String name(PathNameContext ctx) {
        Token token = ctx.getStart();
        String written = token.getText();
        if (token.getType() == DynamoExpressionLexer.NAME_REF) {
            String resolved = substitutions.name(written);
            if (resolved == null) {
                problems.report(Problems.Kind.UNDEFINED,
                        "An expression attribute name used in the document path is not defined; attribute name: " + written);
                return written;
            }
            return resolved;
        }
        if (ReservedWords.isReserved(written)) {
            problems.report(Problems.Kind.RESERVED, "Attribute name is a reserved keyword; reserved keyword: " + written);
        }
        return written;
    }

    private int index(Token token) {
        try {
            return Integer.parseInt(token.getText());
        } catch (NumberFormatException e) {
            throw new SyntaxErrors(parameterName, text).at(token, tokens);
        }
    }

    Operand value(Token token) {
        String ref = token.getText();
        AttributeValue value = substitutions.value(ref);
        if (value == null) {
            problems.report(Problems.Kind.UNDEFINED,
                    "An expression attribute value used in expression is not defined; attribute value: " + ref);
            return INVALID;
        }
        return new Operand.ValueOperand(ref, value);
    }

    /**
     * Says that a check reads a value's content, not only its type: the build then makes no
     * template ({@link BuildTemplate}). Every check that looks into a value beyond
     * {@link AttributeValue#typeTag()} must call this before it does.
     */
    void readValueContent() {
        valueContentRead = true;
    }

    boolean valueContentRead() {
        return valueContentRead;
    }

    static String typeOf(Operand operand) {
        return switch (operand) {
            case Operand.ValueOperand v when v != INVALID -> v.value().typeTag();
            case Operand.Size s -> "N";
            case Operand.Arithmetic a -> "N";
            case Operand.ListAppend l -> "L";
            case Operand.IfNotExists f -> typeOf(f.fallback());
            default -> null;
        };
    }
}
