package dev.weir.protocol.expr.parse;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.protocol.error.DynamoError;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The expression grammar on arbitrary text, names and values: a condition, update or
 * projection either parses or fails with a ValidationException (status 400, a message), never
 * with any other exception; and parsing the same text again (now from the parse cache) gives an
 * equal tree, so the cache never changes what a text means.
 *
 * <p>Input format (so seeds are plain files): the first line names the kind ({@code condition},
 * {@code key}, {@code filter}, {@code update}, anything else is a projection); then lines
 * {@code #ref=name} and {@code :ref=<value as DynamoDB JSON>} (a value that does not read is
 * left out); then a line {@code ---}; the rest is the expression. Without {@code ---} the rest
 * after the first line is the expression. Regression inputs live in
 * {@code ExpressionParserFuzzTestInputs/<method>/}; {@code ./weir fuzz expression} fuzzes.
 */
class ExpressionParserFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @FuzzTest
    @DictionaryEntries({"#n", "#a", ":v", ":w", "SET ", "REMOVE ", "ADD ", "DELETE ", " AND ", " OR ", "NOT ",
            " BETWEEN ", " IN (", "attribute_exists(", "attribute_not_exists(", "attribute_type(", "begins_with(",
            "contains(", "size(", "if_not_exists(", "list_append(", "[0]", ".", ", ", " = ", " <> ", " <= ", " >= ",
            " + ", " - ", "(", ")", "---", "{\"S\":\"x\"}", "{\"N\":\"1\"}", "{\"L\":[]}", "{\"M\":{}}"})
    void expressionsParseOrFailWithAValidationError(byte[] input) {
        String[] lines = new String(input, StandardCharsets.UTF_8).split("\n", -1);
        Map<String, String> names = new LinkedHashMap<>();
        Map<String, AttributeValue> values = new LinkedHashMap<>();
        int line = 1;
        int separator = java.util.Arrays.asList(lines).indexOf("---");
        if (separator > 0) {
            for (; line < separator; line++) {
                int eq = lines[line].indexOf('=');
                if (eq < 0) continue;
                String ref = lines[line].substring(0, eq), text = lines[line].substring(eq + 1);
                if (ref.startsWith("#")) names.put(ref, text);
                if (ref.startsWith(":")) {
                    try {
                        values.put(ref, AttributeValueJson.value(JSON.readTree(text)));
                    } catch (Exception unreadable) {
                        // not a value: the expression is parsed without it
                    }
                }
            }
            line = separator + 1;
        }
        String text = String.join("\n", java.util.Arrays.copyOfRange(lines, Math.min(line, lines.length), lines.length));
        Substitutions substitutions = new Substitutions() {
            @Override public String name(String ref) { return names.get(ref); }

            @Override public AttributeValue value(String ref) { return values.get(ref); }
        };
        Supplier<Object> parse = switch (lines[0]) {
            case "condition" -> () -> ExpressionParser.condition("ConditionExpression", text, substitutions);
            case "key" -> () -> ExpressionParser.condition("KeyConditionExpression", text, substitutions);
            case "filter" -> () -> ExpressionParser.condition("FilterExpression", text, substitutions);
            case "update" -> () -> ExpressionParser.update(text, substitutions);
            default -> () -> ExpressionParser.projection(text, substitutions);
        };
        Object first = parseOrValidationError(parse);
        Object again = parseOrValidationError(parse);
        assertEquals(first, again, () -> "a second parse of " + text + " differs");
    }

    /** The tree, or the error of the ValidationException; anything else fails the fuzz test. */
    private static Object parseOrValidationError(Supplier<Object> parse) {
        try {
            Object tree = parse.get();
            assertNotNull(tree);
            return tree;
        } catch (DynamoException e) {
            DynamoError error = e.error();
            assertEquals("ValidationException", error.shortType(), error::toString);
            assertEquals(400, error.status(), error::toString);
            assertNotNull(error.message());
            assertFalse(error.message().isBlank(), error::toString);
            return error;
        }
    }
}
