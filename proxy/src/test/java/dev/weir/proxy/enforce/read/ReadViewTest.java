package dev.weir.proxy.enforce.read;

import dev.weir.policy.decision.DecisionRequest;
import dev.weir.policy.decision.Forbidden;
import dev.weir.policy.decision.NotPermitted;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValue.Bool;
import dev.weir.protocol.model.AttributeValue.M;
import dev.weir.protocol.model.AttributeValue.N;
import dev.weir.protocol.model.AttributeValue.S;
import dev.weir.protocol.model.Operation;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A principal's view of a table, built from real decisions of the test policy. */
class ReadViewTest {
    private static Map<String, AttributeValue> item(Object... kv) {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], (AttributeValue) kv[i + 1]);
        return m;
    }

    private final Map<String, AttributeValue> row = item("pk", new S("p"), "sk", new N("1"), "region", new S("eu"),
            "name", new S("Alice"), "secret", new S("s3cr3t"), "a.b", new S("dotted"),
            "meta", new M(item("public", new S("x"), "private", new S("y"))));

    @Test
    void aRestrictedViewAdmitsItsRowsAndShowsItsFields() {
        ReadView v = Views.view("reader", "t");
        assertFalse(v.isEmpty());
        assertFalse(v.isUnrestricted());
        assertTrue(v.admits(row));
        assertFalse(v.admits(item("pk", new S("p"), "region", new S("us"))), "another region");
        assertFalse(v.admits(item("pk", new S("p"), "region", new S("eu"), "classified", new Bool(true))), "a read deny with rows");
        Map<String, AttributeValue> shown = v.show(row);
        assertNull(shown.get("secret"), "not listed: removed");
        assertNotEquals(new S("Alice"), shown.get("name"), "masked");
        assertEquals(new S("dotted"), shown.get("a.b"));
        assertEquals(new M(item("public", new S("x"))), shown.get("meta"));
        assertEquals(Views.request("reader", "t", Operation.Query), v.request());
    }

    @Test
    void readableInClearTakesEachNameAsOneKey() {
        ReadView v = Views.view("reader", "t");
        assertTrue(v.canReadInClear(Path.of("pk")));
        assertTrue(v.canReadInClear(Path.of("a.b")), "the attribute named a.b is listed");
        assertFalse(v.canReadInClear(Path.of("a", "b")), "an attribute a is not");
        assertFalse(v.canReadInClear(Path.of("name")), "masked");
        assertFalse(v.canReadInClear(Path.of("secret")), "removed");
        assertFalse(v.canReadInClear(Path.of("meta")), "only part of it is shown");
        assertTrue(v.canReadInClear(Path.of("meta", "public")));
        assertFalse(v.canReadInClear(Path.of("meta.public")), "the attribute named meta.public is not listed");
        assertTrue(v.readsInClear(List.of("pk", "sk")));
        assertFalse(v.readsInClear(List.of("pk", "name")));
    }

    @Test
    void anAdminsViewIsUnrestricted() {
        ReadView v = Views.view("admin", "t");
        assertTrue(v.isUnrestricted());
        assertTrue(v.admits(row));
        assertSame(row, v.show(row));
        assertTrue(v.canReadInClear(Path.of("secret", "x", 3)));
    }

    @Test
    void allowsUniteAndTheDenyStillCuts() {
        ReadView v = Views.view("reader", "plain");
        assertFalse(v.isUnrestricted());
        assertTrue(v.admits(item("pk", new S("p"), "region", new S("us"))), "an allow without rows admits every region");
        assertFalse(v.admits(item("pk", new S("p"), "classified", new Bool(true))), "the deny's rows still apply");
    }

    @Test
    void noReadRuleMeansTheEmptyView() {
        DecisionRequest r = Views.request("writer", "t", Operation.Query);
        ReadView v = ReadView.of(Views.TABLE.decide(r), r);
        assertSame(ReadView.EMPTY, v, "a write rule gives no read view");
        assertSame(ReadView.EMPTY, ReadView.of(new Forbidden(List.of("d"), "no"), r));
        assertSame(ReadView.EMPTY, ReadView.of(NotPermitted.INSTANCE, r));
        assertTrue(v.isEmpty());
        assertFalse(v.isUnrestricted());
        assertFalse(v.admits(row));
        assertEquals(Map.of(), v.show(row));
        assertFalse(v.canReadInClear(Path.of("pk")));
        assertFalse(v.readsInClear(List.of("pk")));
        assertNull(v.request());
    }
}
