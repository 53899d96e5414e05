package dev.weir.protocol.expr;

import dev.weir.protocol.expr.eval.Projector;

import java.util.Collection;
import java.util.List;

/** Projections built from paths rather than text: ReturnValues UPDATED_* and AttributesToGet. */
public final class Projections {
    private Projections() {}

    public static Projection of(Collection<Path> paths) {
        return new Projector(List.copyOf(paths));
    }
}
