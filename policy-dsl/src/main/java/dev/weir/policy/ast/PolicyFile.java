package dev.weir.policy.ast;

import java.util.List;

/** One parsed policy file: its declarations in source order. */
public record PolicyFile(String file, List<Declaration> declarations) {
    public PolicyFile {
        declarations = List.copyOf(declarations);
    }

    public List<RoleDecl> roles() {
        return declarations.stream().filter(RoleDecl.class::isInstance).map(RoleDecl.class::cast).toList();
    }

    public List<NetworkDecl> networks() {
        return declarations.stream().filter(NetworkDecl.class::isInstance).map(NetworkDecl.class::cast).toList();
    }

    public List<Trigger> triggers() {
        return declarations.stream().filter(Trigger.class::isInstance).map(Trigger.class::cast).toList();
    }

    public List<Rule> rules() {
        return declarations.stream().filter(Rule.class::isInstance).map(Rule.class::cast).toList();
    }
}
