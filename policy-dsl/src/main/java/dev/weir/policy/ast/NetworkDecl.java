package dev.weir.policy.ast;

import java.util.List;

/** {@code network office = [10.0.0.0/8, 127.0.0.1]}: a named set of address blocks. */
public record NetworkDecl(Name name, List<CidrBlock> blocks, SourcePos pos) implements Declaration {
    public NetworkDecl {
        blocks = List.copyOf(blocks);
    }
}
