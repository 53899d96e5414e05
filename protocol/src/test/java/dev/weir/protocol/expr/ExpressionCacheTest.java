package dev.weir.protocol.expr;

import dev.weir.protocol.model.AttributeValue;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.weir.protocol.expr.Fixtures.map;
import static dev.weir.protocol.expr.Fixtures.n;
import static dev.weir.protocol.expr.Fixtures.names;
import static dev.weir.protocol.expr.Fixtures.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Parse trees are shared between calls with the same text: the placeholders must still be
 * resolved per call, errors must still be reported every time, and threads must not disturb
 * one another.
 */
class ExpressionCacheTest {
    private static final String CONDITION = "#a = :v AND size(#b) > :n";

    private static boolean holds(String name, AttributeValue v, Map<String, AttributeValue> item) {
        ExpressionContext ctx = new ExpressionContext(names("#a", name, "#b", "tags"), Map.of(":v", v, ":n", n("1")));
        return ctx.condition("ConditionExpression", CONDITION).test(item);
    }

    @Test
    void theSameTextWithOtherPlaceholderValuesGivesOtherConditions() {
        Map<String, AttributeValue> item = map("region", s("eu"), "owner", s("ada"), "tags", Fixtures.ss("x", "y"));
        assertTrue(holds("region", s("eu"), item));
        assertFalse(holds("region", s("us"), item));
        assertTrue(holds("owner", s("ada"), item));
        assertFalse(holds("owner", s("eu"), item));
    }

    @Test
    void anErrorIsReportedEveryTimeNotOnlyOnTheFirstParse() {
        for (int i = 0; i < 3; i++) {
            String message = Fixtures.error(() -> new ExpressionContext(names(), Map.of()).condition("ConditionExpression", "a = = b"));
            assertTrue(message.startsWith("Invalid ConditionExpression: Syntax error; token: \"=\""), message);
            // a tree that parsed is reused, but an undefined placeholder is still an error
            message = Fixtures.error(() -> new ExpressionContext(names(), Map.of()).condition("ConditionExpression", CONDITION));
            assertTrue(message.contains("#a"), message);
        }
    }

    @Test
    void manyThreadsShareTreesWithoutDisturbingOneAnother() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> tasks = new ArrayList<>();
            for (int t = 0; t < 64; t++) {
                int k = t;
                tasks.add(() -> {
                    for (int i = 0; i < 200; i++) {
                        String want = "v" + ((k + i) % 7);
                        Map<String, AttributeValue> item = map("x", s(want), "tags", Fixtures.ss("a", "b"));
                        if (!holds("x", s(want), item) || holds("x", s(want + "!"), item)) return false;
                        Update u = new ExpressionContext(names("#p", "x"), Map.of(":w", s(want)))
                                .update("SET #p = :w REMOVE tags");
                        if (!u.apply(map("x", s("old"), "tags", s("t"))).equals(map("x", s(want)))) return false;
                    }
                    return true;
                });
            }
            for (Future<Boolean> f : pool.invokeAll(tasks)) assertEquals(true, f.get());
        } finally {
            pool.shutdownNow();
        }
    }
}
