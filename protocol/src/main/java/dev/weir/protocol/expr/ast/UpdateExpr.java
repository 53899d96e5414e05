package dev.weir.protocol.expr.ast;

import java.util.List;

/** The syntax tree of an UpdateExpression: its actions in the order written. */
public record UpdateExpr(List<UpdateAction> actions) {
    public UpdateExpr { actions = List.copyOf(actions); }
}
