package dev.weir.protocol.expr.parse;

import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.expr.ExpressionContext;
import dev.weir.protocol.model.AttributeValue;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DynamoDB's 300 operators and weir's 300 levels of parentheses, checked before parsing; the
 * boundaries, what counts as an operator, the messages, and that the worst expressions within
 * the bounds parse in milliseconds (outside them, parsing took seconds or overflowed the stack).
 */
class ExpressionBoundsTest {
    private static final String TOO_MANY = "Invalid ConditionExpression: The expression contains too many operators; operator count: 301";
    private static final Map<String, AttributeValue> VALUES = Map.of(":v", new AttributeValue.N("1"));

    private static void condition(String text) {
        new ExpressionContext(Map.of(), VALUES).condition("ConditionExpression", text);
    }

    private static void update(String text) {
        new ExpressionContext(Map.of(), VALUES).update(text);
    }

    private static void projection(String text) {
        new ExpressionContext(Map.of(), Map.of()).projection(text);
    }

    private static String error(Consumer<String> parse, String text) {
        return assertThrows(DynamoException.class, () -> parse.accept(text)).error().message();
    }

    /**
     * weir's own texts are checked with {@code *WithinLimits}, whose answers are kept per kind and
     * text: asked again, in any order and across kinds, each gives the answer a fresh check gives.
     */
    @Test
    void keptLimitAnswersAreTheAnswersOfAFreshCheck() {
        String within = "a<b" + " or a<b".repeat(149);           // 299 operators, 1,046 chars: kept
        String over = "a<b" + " or a<b".repeat(150);             // 301
        assertTrue(within.length() <= ExpressionParser.MAX_LIMITS_CACHED_CHARS && over.length() <= ExpressionParser.MAX_LIMITS_CACHED_CHARS);
        String longOver = "a<b" + " or a<b".repeat(400);         // 2,803 chars, over the kept length: checked every time
        for (int round = 0; round < 3; round++) {
            assertTrue(ExpressionParser.conditionWithinLimits(within));
            assertEquals(false, ExpressionParser.conditionWithinLimits(over));
            assertEquals(false, ExpressionParser.conditionWithinLimits(longOver));
            assertEquals(false, ExpressionParser.conditionWithinLimits(""));
            assertEquals(false, ExpressionParser.conditionWithinLimits(null));
            // the same text under another kind is its own question
            assertEquals(false, ExpressionParser.updateWithinLimits("SET a = " + ":v + ".repeat(301) + ":v"));   // 301 +
            assertTrue(ExpressionParser.updateWithinLimits("SET a = :v"));
            assertTrue(ExpressionParser.projectionWithinLimits("a, b.c[1]"));
            String deep = "(".repeat(301) + "a<b" + ")".repeat(301);
            assertEquals(false, ExpressionParser.conditionWithinLimits(deep), "nesting over the bound");
        }
    }

    @Test
    void threeHundredOperatorsPassAndTheThreeHundredAndFirstIsRefused() {
        // n comparisons joined by n - 1 ORs
        assertDoesNotThrow(() -> condition("a<b" + " or a<b".repeat(149)));            // 299
        assertEquals(TOO_MANY, error(ExpressionBoundsTest::condition, "a<b" + " or a<b".repeat(150)));   // 301
        assertEquals(TOO_MANY, error(ExpressionBoundsTest::condition, "a<b" + " or a<b".repeat(580)), "the count stops at 301, as DynamoDB's does");
    }

    /** The cases Scylla's tests record of DynamoDB: nested ORs up to 299 operators pass, 909 do not, nor do 1,000 NOTs. */
    @Test
    void nestedExpressionsAreCountedAsDynamoDbCountsThem() {
        assertDoesNotThrow(() -> condition("a<b " + "or (a<b ".repeat(149) + ")".repeat(149)));
        assertEquals(TOO_MANY, error(ExpressionBoundsTest::condition, "a<b " + "or (a<b ".repeat(454) + ")".repeat(454)));
        assertEquals(TOO_MANY, error(ExpressionBoundsTest::condition, "not ".repeat(1000) + "a<b"));
        assertDoesNotThrow(() -> condition("not ".repeat(298) + "a<b"));
    }

    @Test
    void betweenCountsOnceAndFunctionsCount() {
        assertDoesNotThrow(() -> condition("a between b and c" + " and a between b and c".repeat(149)));   // 150 + 149
        assertEquals(TOO_MANY, error(ExpressionBoundsTest::condition, "a between b and c" + " and a between b and c".repeat(150)));
        assertDoesNotThrow(() -> condition("attribute_exists(a)" + " and attribute_exists(a)".repeat(149)));
        assertEquals(TOO_MANY, error(ExpressionBoundsTest::condition, "attribute_exists(a)" + " and attribute_exists(a)".repeat(150)));
        assertDoesNotThrow(() -> condition("a in (b, c)" + " or a in (b, c)".repeat(149)));
        assertEquals(TOO_MANY, error(ExpressionBoundsTest::condition, "a in (b, c)" + " or a in (b, c)".repeat(150)));
    }

    @Test
    void inUpdatesTheAssignmentIsNoOperatorButArithmeticIs() {
        StringBuilder sets = new StringBuilder("SET a0=b+:v");
        for (int i = 1; i < 300; i++) sets.append(",a").append(i).append("=b+:v");
        assertDoesNotThrow(() -> update(sets.toString()));
        assertEquals("Invalid UpdateExpression: The expression contains too many operators; operator count: 301",
                error(ExpressionBoundsTest::update, sets + ",a300=b-:v"));
        StringBuilder plain = new StringBuilder("SET a0=:v");
        for (int i = 1; i < 400; i++) plain.append(",a").append(i).append("=:v");
        assertDoesNotThrow(() -> update(plain.toString()), "400 assignments are no operators");
    }

    @Test
    void threeHundredLevelsOfParenthesesPassAndDeeperAreRefusedBeforeParsing() {
        assertDoesNotThrow(() -> condition("( ".repeat(300) + "a<b" + " )".repeat(300)));
        assertEquals("Invalid ConditionExpression: The expression has redundant parentheses;",
                error(ExpressionBoundsTest::condition, "( ".repeat(301) + "a<b" + " )".repeat(301)));
        assertEquals("Invalid ConditionExpression: The expression has redundant parentheses;",
                error(ExpressionBoundsTest::condition, "(".repeat(2040) + "a<b" + ")".repeat(2040)));
        assertEquals("Invalid ConditionExpression: The expression has redundant parentheses;",
                error(ExpressionBoundsTest::condition, "(".repeat(4096)));
        assertEquals("Invalid UpdateExpression: Syntax error; token: \"(\", near: \"= ((\"",
                error(ExpressionBoundsTest::update, "SET a = " + "(".repeat(1000) + "b" + ")".repeat(1000)));
        assertEquals("Invalid ProjectionExpression: Syntax error; token: \"(\", near: \", ((\"",
                error(ExpressionBoundsTest::projection, "a, " + "(".repeat(2000)));
        assertTrue(error(ExpressionBoundsTest::projection, "a, (").startsWith("Invalid ProjectionExpression: Syntax error;"));
    }

    /** An expression over 4 KB is refused by its size before it is lexed, whatever it holds. */
    @Test
    void theSizeComesFirst() {
        assertEquals("Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 200004",
                error(ExpressionBoundsTest::condition, "a<b " + "and (a<b ".repeat(20000) + ")".repeat(20000)));
        assertEquals("Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 4097",
                error(ExpressionBoundsTest::condition, "a = " + "é".repeat(2046) + "x"));
        String mega = "(".repeat(1 << 20);
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            assertTrue(error(ExpressionBoundsTest::condition, mega).contains("expression size: 1048576"));
            best = Math.min(best, System.nanoTime() - t0);
        }
        assertTrue(best < 1_000_000_000L, "refusing a 1 MB expression took " + best / 1_000_000 + " ms");
    }

    /**
     * The worst expressions weir still parses: each at the bounds (300 operators, 300 levels,
     * 4 KB) in the shapes that cost the parser most. The best of three runs of each stays in
     * milliseconds (before the bounds, the same shapes a little deeper took seconds).
     */
    @Test
    void theWorstExpressionsWithinTheBoundsParseInMilliseconds() {
        String[] conditions = {
                "( ".repeat(300) + "a<b" + " )".repeat(300),
                "a < " + "( ".repeat(299) + "b" + " )".repeat(299),
                "a<b " + "or (a<b ".repeat(149) + ")".repeat(149),
                "a<b" + " or a<b".repeat(149),
                "not ".repeat(299) + "a<b",
                "a in (" + "b,".repeat(99) + "b)" + " and size(a) > b".repeat(98),
        };
        for (String text : conditions) {
            long[] best = {Long.MAX_VALUE};
            Throwable[] failure = {null};
            // on a thread with the JVM's default stack (1 MB), as the store's and weir's threads have
            Thread t = Thread.ofPlatform().stackSize(1 << 20).start(() -> {
                try {
                    for (int round = 0; round < 3; round++) {
                        long t0 = System.nanoTime();
                        try {
                            condition(text);
                        } catch (DynamoException refused) {
                            // a semantic refusal after the parse is as good: the parse is what is timed
                        }
                        best[0] = Math.min(best[0], System.nanoTime() - t0);
                    }
                } catch (Throwable e) {
                    failure[0] = e;
                }
            });
            assertDoesNotThrow(() -> t.join());
            assertEquals(null, failure[0], text.substring(0, 40));
            assertTrue(best[0] < 1_000_000_000L, "parsing took " + best[0] / 1_000_000 + " ms: " + text.substring(0, 40));
        }
    }
}
