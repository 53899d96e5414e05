package dev.weir.protocol.expr.parse;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weir.protocol.error.DynamoError;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.model.AttributeValue;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
 * <p>Regression inputs live in {@code ExpressionParserFuzzTestInputs/<method>/}; {@code ./weir fuzz
 * expression} fuzzes this target and adds what it finds there.
 */
class ExpressionParserFuzzTest {

    @FuzzTest
    @Timeout(10)
    @DictionaryEntries({"#n", "#a", ":v", ":w", "SET ", "REMOVE ", "ADD ", "DELETE ", " AND ", " OR ", "NOT ",
            " BETWEEN ", " IN (", "attribute_exists(", "attribute_not_exists(", "attribute_type(", "begins_with(",
            "contains(", "size(", "if_not_exists(", "list_append(", "[0]", ".", ", ", " = ", " <> ", " <= ", " >= ",
            " + ", " - ", "(", ")"})
    void expressionsParseOrFailWithAValidationError(FuzzedDataProvider data) {
        Map<String, String> names = new LinkedHashMap<>();
        int nameCount = data.consumeInt(0, 3);
        for (int i = 0; i < nameCount; i++) names.put(data.pickValue(NAME_REFS), data.consumeString(12));
        Map<String, AttributeValue> values = new LinkedHashMap<>();
        int valueCount = data.consumeInt(0, 3);
        for (int i = 0; i < valueCount; i++) values.put(data.pickValue(VALUE_REFS), value(data, 2));
        int kind = data.consumeInt(0, 4);
        String text = data.consumeRemainingAsString();
        Substitutions substitutions = new Substitutions() {
            @Override public String name(String ref) { return names.get(ref); }

            @Override public AttributeValue value(String ref) { return values.get(ref); }
        };
        Supplier<Object> parse = switch (kind) {
            case 0 -> () -> ExpressionParser.condition("ConditionExpression", text, substitutions);
            case 1 -> () -> ExpressionParser.condition("KeyConditionExpression", text, substitutions);
            case 2 -> () -> ExpressionParser.condition("FilterExpression", text, substitutions);
            case 3 -> () -> ExpressionParser.update(text, substitutions);
            default -> () -> ExpressionParser.projection(text, substitutions);
        };
        Object first = parseOrValidationError(parse);
        Object again = parseOrValidationError(parse);
        assertEquals(first, again, () -> "a second parse of " + text + " differs");
    }

    /** The tree, or the message of the ValidationException; anything else fails the fuzz test. */
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

    private static final String[] NAME_REFS = {"#n", "#a", "#b", "#", "#n1"};
    private static final String[] VALUE_REFS = {":v", ":w", ":x", ":", ":v1"};

    /** A value of any type, with nesting up to {@code depth}. */
    static AttributeValue value(FuzzedDataProvider data, int depth) {
        int type = data.consumeInt(0, depth > 0 ? 9 : 7);
        return switch (type) {
            case 0 -> new AttributeValue.S(data.consumeString(8));
            case 1 -> new AttributeValue.N(data.pickValue(NUMBERS));
            case 2 -> new AttributeValue.B(new AttributeValue.Bytes(data.consumeBytes(6)));
            case 3 -> new AttributeValue.Bool(data.consumeBoolean());
            case 4 -> new AttributeValue.Null();
            case 5 -> new AttributeValue.SS(List.of(data.consumeString(4), "s"));
            case 6 -> new AttributeValue.NS(List.of(data.pickValue(NUMBERS)));
            case 7 -> new AttributeValue.BS(List.of(new AttributeValue.Bytes(data.consumeBytes(3))));
            case 8 -> {
                Map<String, AttributeValue> m = new LinkedHashMap<>();
                int n = data.consumeInt(0, 2);
                for (int i = 0; i < n; i++) m.put(data.consumeString(4), value(data, depth - 1));
                yield new AttributeValue.M(m);
            }
            default -> {
                List<AttributeValue> l = new ArrayList<>();
                int n = data.consumeInt(0, 2);
                for (int i = 0; i < n; i++) l.add(value(data, depth - 1));
                yield new AttributeValue.L(l);
            }
        };
    }

    private static final String[] NUMBERS = {"0", "1", "-1", "3.5", "1E+3", "99999999999999999999999999999999999999"};
}
