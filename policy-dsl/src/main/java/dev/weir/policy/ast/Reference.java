package dev.weir.policy.ast;

import java.util.List;

/**
 * A path into the item, the principal or the request context:
 * {@code item.address.city}, {@code item.tags[0]}, {@code principal.regions},
 * {@code ctx.tls.subject.ou}.
 *
 * @param steps attribute names ({@link Step.Key}) and list indexes ({@link Step.Index})
 */
public record Reference(Root root, List<Step> steps, SourcePos pos) implements Node {
    public Reference {
        steps = List.copyOf(steps);
    }

    /** What a reference starts from. */
    public enum Root {
        ITEM("item"), PRINCIPAL("principal"), CTX("ctx");

        private final String keyword;

        Root(String keyword) {
            this.keyword = keyword;
        }

        public String keyword() {
            return keyword;
        }

        public static Root of(String word) {
            for (Root r : values()) if (r.keyword.equals(word)) return r;
            return null;
        }
    }

    /** One step of a reference. */
    public sealed interface Step {
        record Key(String name) implements Step {
            @Override public String toString() {
                return name.matches("[A-Za-z_][A-Za-z0-9_-]*") ? "." + name
                        : ".\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
            }
        }

        record Index(int index) implements Step {
            @Override public String toString() {
                return "[" + index + "]";
            }
        }
    }

    /** The names after the root, up to the first index: {@code ctx.tls.subject.ou} → [tls, subject, ou]. */
    public List<String> keys() {
        return steps.stream().takeWhile(Step.Key.class::isInstance).map(s -> ((Step.Key) s).name()).toList();
    }

    @Override public String toString() {
        StringBuilder out = new StringBuilder(root.keyword());
        steps.forEach(out::append);
        return out.toString();
    }
}
