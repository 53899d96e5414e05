package dev.weir.policy.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads test YAML into a tree, resolving anchors and aliases ({@code &ada} / {@code *ada}) and
 * merge keys ({@code <<: *base}), so a stored item can be written once and expected again, and
 * remembers where each node is written, so an error in a test file names its
 * {@code file:line:column}. Plain data only (no tags that build objects); a timestamp stays the
 * text it is written as; alias expansion and nesting are bounded.
 */
final class Yaml {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Nodes a document may expand to (aliases included): a few aliases must not build a billion nodes. */
    private static final int MAX_NODES = 1_000_000;
    private static final int MAX_DEPTH = 200;

    /** A read document: its tree, and the line and column (1-based) of every node in it. */
    record Doc(JsonNode root, Map<JsonNode, int[]> positions) {
        /** {@code line:column} of a node of this document, or null for a node it does not hold. */
        String at(JsonNode node) {
            int[] p = node == null ? null : positions.get(node);
            return p == null ? null : p[0] + ":" + p[1];
        }
    }

    private Yaml() {}

    static JsonNode read(String text) {
        return parse(text).root();
    }

    static Doc parse(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(1000);
        Node node = new org.yaml.snakeyaml.Yaml(new SafeConstructor(options)).compose(new StringReader(text));
        Converter c = new Converter(options);
        JsonNode root = node == null ? null : c.convert(node, 0);
        return new Doc(root, c.positions);
    }

    private static final class Converter extends SafeConstructor {
        final Map<JsonNode, int[]> positions = new IdentityHashMap<>();
        int count;

        Converter(LoaderOptions options) {
            super(options);
        }

        JsonNode convert(Node node, int depth) {
            if (++count > MAX_NODES) throw new IllegalArgumentException("the document expands to more than " + MAX_NODES + " nodes");
            if (depth > MAX_DEPTH) throw new IllegalArgumentException("nested too deeply");
            JsonNode out = switch (node) {
                case ScalarNode s -> s.getTag().equals(Tag.TIMESTAMP) ? NODES.textNode(s.getValue()) : JSON.valueToTree(constructObject(s));
                case SequenceNode s -> {
                    ArrayNode a = NODES.arrayNode();
                    for (Node item : s.getValue()) a.add(convert(item, depth + 1));
                    yield a;
                }
                case MappingNode m -> mapping(m, depth);
                default -> throw new IllegalArgumentException("unexpected YAML node " + node.getNodeId());
            };
            positions.put(out, new int[] {node.getStartMark().getLine() + 1, node.getStartMark().getColumn() + 1});
            return out;
        }

        /** A mapping: its own keys first, then keys merged in ({@code <<}) that it does not set itself, as YAML merges. */
        private ObjectNode mapping(MappingNode m, int depth) {
            ObjectNode o = NODES.objectNode();
            List<Node> merged = new ArrayList<>();
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode().getTag().equals(Tag.MERGE)) {
                    if (t.getValueNode() instanceof SequenceNode s) merged.addAll(s.getValue());
                    else merged.add(t.getValueNode());
                    continue;
                }
                JsonNode key = convert(t.getKeyNode(), depth + 1);
                o.set(key.asText(), convert(t.getValueNode(), depth + 1));
            }
            for (Node n : merged) {
                if (!(n instanceof MappingNode)) throw new IllegalArgumentException("a merge key (<<) takes a mapping or a list of mappings");
                ObjectNode from = mapping((MappingNode) n, depth + 1);
                from.fields().forEachRemaining(e -> { if (!o.has(e.getKey())) o.set(e.getKey(), e.getValue()); });
            }
            return o;
        }
    }
}
