package dev.weir.policy.ast;

/** A top-level statement of a policy file. */
public sealed interface Declaration extends Node permits RoleDecl, NetworkDecl, Rule, Trigger {
}
