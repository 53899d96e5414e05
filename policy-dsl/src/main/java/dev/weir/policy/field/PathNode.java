package dev.weir.policy.field;

import dev.weir.policy.ast.FieldAction;

import java.util.Map;

/**
 * One node of a field plan's path trie (immutable). Wildcard rules were already merged into
 * every named sibling when the plan was built, so a key's node is {@code children.get(key)}
 * if present and {@code wildcard} otherwise.
 *
 * @param elements   the node for every element of a list here ({@code tags[*]}), or null
 * @param visible    a listed path ends here: this value and everything under it may be seen
 * @param action     the strictest action written for exactly this path, or null
 * @param anyVisible this node or one below it is visible
 * @param restricted this node or one below it carries an action other than show
 */
record PathNode(boolean visible, FieldAction action, Map<String, PathNode> children, PathNode wildcard,
                PathNode elements, boolean anyVisible, boolean restricted) {

    PathNode child(String key) {
        PathNode c = children.get(key);
        return c != null ? c : wildcard;
    }

    boolean isLeaf() {
        return children.isEmpty() && wildcard == null && elements == null;
    }
}
