package dev.weir.protocol.expr.parse;

import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.grammar.DynamoExpressionParser.PathContext;
import dev.weir.protocol.expr.grammar.DynamoExpressionParser.ProjectionExpressionContext;
import org.antlr.v4.runtime.TokenStream;

import java.util.List;

/** Parse tree of a ProjectionExpression to its paths, refusing overlapping ones. */
final class ProjectionBuilder extends TreeBuilder {

    ProjectionBuilder(String text, TokenStream tokens, Substitutions substitutions) {
        super("ProjectionExpression", text, tokens, substitutions);
    }

    List<Path> build(ProjectionExpressionContext tree) {
        DistinctPaths paths = new DistinctPaths(problems);
        for (PathContext p : tree.path()) paths.add(path(p));
        problems.throwIfAny(parameterName, Problems.PROJECTION_ORDER);
        return List.copyOf(paths.paths());
    }
}
