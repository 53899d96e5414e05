package dev.weir.policy.ast;

import java.util.List;

/** Which principals, tables or operations a rule applies to: {@code *}, or listed names. */
public sealed interface Selector extends Node {

    /** {@code *}: every one. */
    record Any(SourcePos pos) implements Selector {
        @Override public String toString() { return "*"; }
    }

    /** One name or a bracketed list of names. */
    record Listed(List<Name> names, SourcePos pos) implements Selector {
        public Listed {
            names = List.copyOf(names);
        }

        @Override public String toString() {
            return names.size() == 1 ? names.getFirst().text()
                    : names.stream().map(Name::text).toList().toString();
        }
    }
}
