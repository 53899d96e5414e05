package dev.weir.policy.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads test YAML into a tree, resolving anchors and aliases ({@code &ada} / {@code *ada}),
 * so a stored item can be written once and expected again. Plain data only (no tags that
 * build objects), with a bound on alias expansion.
 */
final class Yaml {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Yaml() {}

    static JsonNode read(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(1000);
        Object data = new org.yaml.snakeyaml.Yaml(new SafeConstructor(options)).load(text);
        return JSON.valueToTree(data);
    }
}
