package dev.weir.policy.ast;

import java.util.List;

/** {@code role support extends analyst}: a role and the roles whose rules it inherits. */
public record RoleDecl(Name name, List<Name> parents, SourcePos pos) implements Declaration {
    public RoleDecl {
        parents = List.copyOf(parents);
    }
}
