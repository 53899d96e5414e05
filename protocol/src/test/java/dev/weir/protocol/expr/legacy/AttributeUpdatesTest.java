package dev.weir.protocol.expr.legacy;

import dev.weir.protocol.expr.ExpressionContext;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.Update;
import dev.weir.protocol.model.AttributeValue;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.weir.protocol.expr.legacy.LegacyTranslationTest.attributeUpdates;
import static dev.weir.protocol.expr.legacy.LegacyTranslationTest.error;
import static dev.weir.protocol.expr.legacy.LegacyTranslationTest.item;
import static dev.weir.protocol.expr.legacy.LegacyTranslationTest.n;
import static dev.weir.protocol.expr.legacy.LegacyTranslationTest.s;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** AttributeUpdates: PUT, ADD and DELETE as updates of the expression engine. */
class AttributeUpdatesTest {
    private static AttributeValue ss(String... v) { return new AttributeValue.SS(List.of(v)); }

    @Test
    void putDeleteAndAddApplyLikeTheirExpressionTwins() {
        Update legacy = attributeUpdates("{'p':{'Value':{'S':'new'}},'gone':{'Action':'DELETE'},"
                + "'tags':{'Action':'DELETE','Value':{'SS':['a']}},'count':{'Action':'ADD','Value':{'N':'2'}},"
                + "'set':{'Action':'ADD','Value':{'SS':['z']}}}");
        Update twin = new ExpressionContext(Map.of("#c", "count", "#s", "set"),
                Map.of(":p", s("new"), ":t", ss("a"), ":n", n("2"), ":z", ss("z")))
                .update("SET p = :p REMOVE gone DELETE tags :t ADD #c :n, #s :z");
        assertEquals(twin.writePaths(), legacy.writePaths());
        assertEquals(twin.readPaths(), legacy.readPaths());
        Map<String, AttributeValue> before = item("p", s("old"), "gone", n("1"), "tags", ss("a", "b"), "count", n("40"));
        assertEquals(twin.apply(before), legacy.apply(before));
        assertEquals(item("p", s("new"), "tags", ss("b"), "count", n("42"), "set", ss("z")), legacy.apply(before));
        assertEquals(twin.apply(null), legacy.apply(null));
    }

    @Test
    void addOfAListAppendsAndReadsTheList() {
        Update legacy = attributeUpdates("{'l':{'Action':'ADD','Value':{'L':[{'S':'x'}]}}}");
        assertEquals(Set.of(Path.of("l")), legacy.readPaths());
        assertEquals(Set.of(Path.of("l")), legacy.writePaths());
        assertEquals(item("l", new AttributeValue.L(List.of(s("x")))), legacy.apply(item()));
        assertEquals(item("l", new AttributeValue.L(List.of(s("w"), s("x")))),
                legacy.apply(item("l", new AttributeValue.L(List.of(s("w"))))));
    }

    @Test
    void typeMismatchesAndInvalidActionsAreRefused() {
        String p = "One or more parameter values were invalid: ";
        Update add = attributeUpdates("{'a':{'Action':'ADD','Value':{'N':'1'}}}");
        assertEquals(p + "Type mismatch for attribute to update", error(() -> add.apply(item("a", s("x")))));
        Update delete = attributeUpdates("{'a':{'Action':'DELETE','Value':{'SS':['x']}}}");
        assertEquals(p + "Type mismatch for attribute to update", error(() -> delete.apply(item("a", n("1")))));
        Update append = attributeUpdates("{'a':{'Action':'ADD','Value':{'L':[]}}}");
        assertEquals(p + "Type mismatch for attribute to update", error(() -> append.apply(item("a", n("1")))));

        assertEquals(p + "Only DELETE action is allowed when no attribute value is specified",
                error(() -> attributeUpdates("{'a':{'Action':'PUT'}}")));
        assertEquals(p + "Only DELETE action is allowed when no attribute value is specified",
                error(() -> attributeUpdates("{'a':{}}")));
        assertEquals(p + "ADD action is not supported for the type S",
                error(() -> attributeUpdates("{'a':{'Action':'ADD','Value':{'S':'x'}}}")));
        assertEquals(p + "DELETE action with value is not supported for the type N",
                error(() -> attributeUpdates("{'a':{'Action':'DELETE','Value':{'N':'1'}}}")));
        assertEquals("1 validation error detected: Value 'MERGE' at 'attributeUpdates.a.member.action' failed to satisfy "
                + "constraint: Member must satisfy enum value set: [ADD, PUT, DELETE]",
                error(() -> attributeUpdates("{'a':{'Action':'MERGE','Value':{'S':'x'}}}")));
    }
}
