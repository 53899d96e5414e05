package dev.weir.protocol.expr;

import dev.weir.protocol.expr.parse.ReservedWords;
import org.junit.jupiter.api.Test;

import static dev.weir.protocol.expr.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

class ExpressionContextTest {

    @Test void everyNameAndValueUsedAcrossTheRequest() {
        ExpressionContext ctx = new ExpressionContext(names("#a", "a", "#b", "b"), map(":v", n("1"), ":w", n("2")));
        ctx.condition("ConditionExpression", "#a = :v");
        ctx.update("SET #b = :w");
        assertDoesNotThrow(ctx::requireAllUsed);
    }

    @Test void unusedNames() {
        ExpressionContext ctx = new ExpressionContext(names("#a", "a", "#b", "b", "#c", "c"), map(":v", n("1")));
        ctx.condition("FilterExpression", "#b = :v");
        assertEquals("Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #c}", error(ctx::requireAllUsed));
    }

    @Test void unusedValues() {
        ExpressionContext ctx = new ExpressionContext(null, map(":v", n("1"), ":w", n("1")));
        ctx.projection("a");
        ctx.condition("ConditionExpression", "a = :w");
        assertEquals("Value provided in ExpressionAttributeValues unused in expressions: keys: {:v}", error(ctx::requireAllUsed));
    }

    @Test void namesAreReportedBeforeValues() {
        ExpressionContext ctx = new ExpressionContext(names("#a", "a"), map(":v", n("1")));
        assertEquals("Value provided in ExpressionAttributeNames unused in expressions: keys: {#a}", error(ctx::requireAllUsed));
    }

    @Test void noNamesOrValues() {
        ExpressionContext ctx = new ExpressionContext(null, null);
        ctx.projection("a, b.c");
        assertDoesNotThrow(ctx::requireAllUsed);
    }

    @Test void reservedWordsAreComplete() {
        assertEquals(573, ReservedWords.count());
        for (String w : new String[] {"abort", "NAME", "Status", "data", "date", "year", "zone", "ttl", "uuid", "value", "size", "set", "region", "name"}) {
            assertTrue(ReservedWords.isReserved(w), w);
        }
        for (String w : new String[] {"id", "email", "title", "salary", "ssn", "tags", "notes", "nest"}) {
            assertFalse(ReservedWords.isReserved(w), w);
        }
    }
}
