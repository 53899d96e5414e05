package dev.weir.policy.testing;

import com.fasterxml.jackson.databind.JsonNode;

/** A test file and where its nodes are written: turns a mistake into a {@code file:line:column: message} error. */
record Located(String file, Yaml.Doc doc) {

    /** A mistake at a node of this file (at the file itself when the node's place is not known). */
    IllegalArgumentException error(JsonNode node, String message) {
        return new Error(where(node) + ": " + message);
    }

    String where(JsonNode node) {
        String at = doc.at(node);
        return at == null ? file : file + ":" + at;
    }

    /** An error that already names its place. */
    static final class Error extends IllegalArgumentException {
        Error(String message) {
            super(message);
        }
    }
}
