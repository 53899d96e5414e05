package dev.weir.protocol.expr.eval;

import dev.weir.protocol.model.AttributeValue;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Set algebra and set equality at the sizes an item allows: a 400 KB item holds some 130,000
 * two-digit numbers, and an operand can be as large. Comparing each member with each (as
 * before) takes billions of number comparisons at these sizes; hashing takes milliseconds.
 */
class SetAlgebraTest {
    private static final int MEMBERS = 50_000;

    @Test
    void numberSetsAreJoinedAndSubtractedByValue() {
        AttributeValue base = new AttributeValue.NS(List.of("1", "2.50", "3"));
        assertEquals(new AttributeValue.NS(List.of("1", "2.50", "3", "4")),
                SetAlgebra.union(base, new AttributeValue.NS(List.of("2.5", "1E0", "4.000"))));
        assertEquals(new AttributeValue.NS(List.of("1")), SetAlgebra.difference(base, new AttributeValue.NS(List.of("2.5", "3.0"))));
        assertNull(SetAlgebra.difference(base, new AttributeValue.NS(List.of("1", "2.5", "3", "9"))));
        assertTrue(Values.equal(base, new AttributeValue.NS(List.of("3", "1.0", "25E-1"))));
        assertFalse(Values.equal(base, new AttributeValue.NS(List.of("3", "1.0", "2.6"))));
        assertFalse(Values.equal(new AttributeValue.NS(List.of("1", "1")), new AttributeValue.NS(List.of("1", "2"))));
    }

    @Test
    void setsOfFiftyThousandMembersTakeLinearTime() {
        List<String> numbers = new ArrayList<>(MEMBERS);
        List<String> others = new ArrayList<>(MEMBERS);
        List<String> strings = new ArrayList<>(MEMBERS);
        for (int i = 0; i < MEMBERS; i++) {
            numbers.add(Integer.toString(i));
            others.add((i + MEMBERS / 2) + ".0");
            strings.add("s" + i);
        }
        AttributeValue ns = new AttributeValue.NS(numbers);
        AttributeValue shifted = new AttributeValue.NS(others);
        AttributeValue ss = new AttributeValue.SS(strings);
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 2; round++) {
            long t0 = System.nanoTime();
            assertEquals(MEMBERS * 3 / 2, ((AttributeValue.NS) SetAlgebra.union(ns, shifted)).value().size());
            assertEquals(MEMBERS / 2, ((AttributeValue.NS) SetAlgebra.difference(ns, shifted)).value().size());
            assertNull(SetAlgebra.difference(ss, ss));
            assertTrue(Values.equal(ns, new AttributeValue.NS(numbers.reversed())));
            assertFalse(Values.equal(ns, shifted));
            best = Math.min(best, System.nanoTime() - t0);
        }
        assertTrue(best < 5_000_000_000L, "took " + best / 1_000_000 + " ms");
    }
}
