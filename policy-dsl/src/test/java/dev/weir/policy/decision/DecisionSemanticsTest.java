package dev.weir.policy.decision;

import dev.weir.policy.LoadResult;
import dev.weir.policy.Policies;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValue.S;
import dev.weir.protocol.model.Operation;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static dev.weir.policy.Policies.decide;
import static dev.weir.policy.Policies.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecisionSemanticsTest {
    private static final Map<String, AttributeValue> PERSON = person();

    private static Map<String, AttributeValue> person() {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        m.put("id", new S("p1"));
        m.put("name", new S("Ada"));
        m.put("region", new S("eu"));
        m.put("email", new S("ada@example.org"));
        m.put("ssn", new S("123-45-6789"));
        m.put("salary", new AttributeValue.N("100000"));
        m.put("address", new AttributeValue.M(Map.of("city", new S("Berlin"), "street", new S("Main 1"))));
        m.put("notes", new S("private"));
        return m;
    }

    private static Allowed allowed(Decision d) {
        return assertInstanceOf(Allowed.class, d);
    }

    @Test
    void theSample() {
        DecisionTable t = table(Policies.SAMPLE_WITH_INGEST);

        Allowed read = allowed(decide(t, Set.of("analyst"), "people", Operation.GetItem));
        assertEquals(List.of("people-read"), read.ruleIds());
        Map<String, AttributeValue> seen = read.fields().redact(PERSON);
        assertEquals(List.of("id", "name", "region", "email", "ssn", "address"), List.copyOf(seen.keySet()));
        assertEquals(new S("****6789"), seen.get("ssn"));
        assertEquals(PERSON.get("address"), seen.get("address"));
        assertEquals(List.of("ssn"), read.fields().maskedPaths());
        assertEquals(List.of("salary"), read.fields().removedPaths());

        assertInstanceOf(NotPermitted.class, decide(t, Set.of("analyst"), "people", Operation.PutItem));
        assertInstanceOf(NotPermitted.class, decide(t, Set.of("analyst"), "other", Operation.GetItem));

        Allowed write = allowed(decide(t, Set.of("ingest"), "people", Operation.UpdateItem));
        assertEquals(List.of("people-write"), write.ruleIds());
        assertTrue(write.fields().isIdentity());

        Forbidden drop = assertInstanceOf(Forbidden.class, decide(t, Set.of("admin"), "audit", Operation.DeleteTable));
        assertEquals(List.of("no-drop"), drop.ruleIds());
        assertEquals("people is never dropped", drop.reason());
        Allowed adminElsewhere = allowed(decide(t, Set.of("admin"), "scratch", Operation.DeleteTable));
        assertEquals(List.of("admin-all"), adminElsewhere.ruleIds());
    }

    @Test
    void defaultDeny() {
        DecisionTable t = table("role a\nrole b\nallow a on table t op GetItem\n");
        assertEquals(NotPermitted.INSTANCE, decide(t, Set.of("b"), "t", Operation.GetItem));
        assertEquals(NotPermitted.INSTANCE, decide(t, Set.of(), "t", Operation.GetItem));
        assertEquals(NotPermitted.INSTANCE, decide(t, Set.of("stranger"), "t", Operation.GetItem));
        assertEquals(NotPermitted.INSTANCE, decide(t, Set.of("a"), "u", Operation.GetItem));
        assertEquals(NotPermitted.INSTANCE, decide(t, Set.of("a"), "t", Operation.Query));
        assertEquals(List.of(), NotPermitted.INSTANCE.ruleIds());
    }

    @Test
    void anyDenyWinsAndNamesEveryMatchingDeny() {
        DecisionTable t = table("""
                role a
                @id("z-allow") allow a on table t op *
                @id("d2") deny a on table t op [Scan]
                @id("d1") deny * on table * op read
                @id("d3") deny a on table t op Scan reason "no scans"
                """);
        Forbidden f = assertInstanceOf(Forbidden.class, decide(t, Set.of("a"), "t", Operation.Scan));
        assertEquals(List.of("d1", "d2", "d3"), f.ruleIds());
        assertEquals("no scans", f.reason());
        Forbidden g = assertInstanceOf(Forbidden.class, decide(t, Set.of("a"), "t", Operation.GetItem));
        assertEquals(List.of("d1"), g.ruleIds());
        assertEquals("denied by rule d1", g.reason());
        assertEquals(List.of("z-allow"), allowed(decide(t, Set.of("a"), "t", Operation.PutItem)).ruleIds());
        // a deny for one of several roles still forbids
        DecisionTable u = table("role a\nrole b\nallow a on table t op *\ndeny b on table t op Query\n");
        assertInstanceOf(Forbidden.class, decide(u, Set.of("a", "b"), "t", Operation.Query));
    }

    @Test
    void allowedNamesEveryMatchingAllowAndUnionsFields() {
        DecisionTable t = table("""
                role a
                role b
                @id("r1") allow a on table t op read fields [id, name]
                @id("r2") allow a on table t op GetItem fields [id, email]
                @id("r3") allow b on table t op GetItem fields [region]
                """);
        Allowed one = allowed(decide(t, Set.of("a"), "t", Operation.GetItem));
        assertEquals(List.of("r1", "r2"), one.ruleIds());
        assertEquals(Set.of("id", "name", "email"), one.fields().redact(PERSON).keySet());
        Allowed scan = allowed(decide(t, Set.of("a"), "t", Operation.Scan));
        assertEquals(Set.of("id", "name"), scan.fields().redact(PERSON).keySet());
        Allowed both = allowed(decide(t, Set.of("a", "b"), "t", Operation.GetItem));
        assertEquals(List.of("r1", "r2", "r3"), both.ruleIds());
        assertEquals(Set.of("id", "name", "email", "region"), both.fields().redact(PERSON).keySet());
        // same answer again (memoised path)
        assertEquals(both, decide(t, Set.of("b", "a"), "t", Operation.GetItem));
    }

    @Test
    void anAllowWithoutFieldsAllowsEveryField() {
        DecisionTable t = table("role a\nallow a on table t op * fields [id]\nallow a on table t op GetItem\n");
        Allowed d = allowed(decide(t, Set.of("a"), "t", Operation.GetItem));
        assertEquals(PERSON, d.fields().redact(PERSON));
        assertTrue(d.fields().isIdentity());
        assertEquals(Set.of("id"), allowed(decide(t, Set.of("a"), "t", Operation.Query)).fields().redact(PERSON).keySet());
    }

    @Test
    void strictestActionWinsAcrossRules() {
        String base = "role a\nallow a on table t op * mask ssn show_last(4)\n";
        assertEquals(new S("****6789"), ssn(base));
        assertEquals(new S("12****"), ssn(base + "allow a on table t op * mask ssn show_first(2)\n"));
        assertEquals(new S("****6789"), ssn(base + "allow a on table t op * mask ssn show_first(4)\n"));
        assertEquals(new S("xx"), ssn(base + "allow a on table t op * mask ssn constant(\"xx\")\n"));
        assertEquals(new S("xx"), ssn(base + "allow a on table t op * mask ssn hash\nallow a on table t op * mask ssn constant(\"xx\")\n"));
        assertEquals(new AttributeValue.Null(), ssn(base + "allow a on table t op * mask ssn hash null ssn\n"));
        assertEquals(null, ssn(base + "allow a on table t op * null ssn\nallow a on table t op * remove ssn\n"));
        assertTrue(((S) ssn(base + "allow a on table t op * mask ssn hash\n")).value().matches("test:[0-9a-f]{64}"));
    }

    private static AttributeValue ssn(String policy) {
        return allowed(decide(table(policy), Set.of("a"), "t", Operation.GetItem)).fields().redact(PERSON).get("ssn");
    }

    @Test
    void inheritanceIsTransitiveAndOneWay() {
        DecisionTable t = table("""
                role base
                role mid extends base
                role top extends mid, other
                role other
                @id("base-read") allow base on table t op read
                @id("mid-write") allow mid on table t op write
                @id("other-del") allow other on table t op delete
                """);
        assertEquals(List.of("base-read"), allowed(decide(t, Set.of("top"), "t", Operation.Query)).ruleIds());
        assertEquals(List.of("mid-write"), allowed(decide(t, Set.of("top"), "t", Operation.PutItem)).ruleIds());
        assertEquals(List.of("other-del"), allowed(decide(t, Set.of("top"), "t", Operation.DeleteItem)).ruleIds());
        assertEquals(List.of("base-read"), allowed(decide(t, Set.of("mid"), "t", Operation.Scan)).ruleIds());
        assertInstanceOf(NotPermitted.class, decide(t, Set.of("base"), "t", Operation.PutItem));
        assertInstanceOf(NotPermitted.class, decide(t, Set.of("mid"), "t", Operation.DeleteItem));
    }

    @Test
    void wildcards() {
        DecisionTable t = table("role a\n@id(\"any\") allow * on table * op *\n@id(\"x\") deny a on table * op DeleteTable\n");
        assertEquals(List.of("any"), allowed(decide(t, Set.of(), "whatever", Operation.ListTables)).ruleIds());
        assertEquals(List.of("any"), allowed(decide(t, Set.of("unknown-role"), "t", Operation.GetItem)).ruleIds());
        assertInstanceOf(Forbidden.class, decide(t, Set.of("a"), "never-named", Operation.DeleteTable));
        assertInstanceOf(Allowed.class, decide(t, Set.of(), "never-named", Operation.DeleteTable));
    }

    @Test
    void operationGroups() {
        for (Operation.Group g : Operation.Group.values()) {
            DecisionTable t = table("role a\nallow a on table t op " + g.keyword() + "\n");
            for (Operation op : Operation.values()) {
                Decision d = decide(t, Set.of("a"), "t", op);
                assertEquals(op.group() == g, d instanceof Allowed, g + " / " + op);
            }
        }
        DecisionTable mixed = table("role a\nallow a on table t op [read, DeleteItem, CreateTable]\n");
        Set<Operation> allowed = EnumSet.noneOf(Operation.class);
        for (Operation op : Operation.values()) if (decide(mixed, Set.of("a"), "t", op) instanceof Allowed) allowed.add(op);
        Set<Operation> expected = EnumSet.of(Operation.DeleteItem, Operation.CreateTable);
        for (Operation op : Operation.values()) if (op.group() == Operation.Group.READ) expected.add(op);
        assertEquals(expected, allowed);
    }

    @Test
    void ruleAndFileOrderNeverMatter() {
        List<String> rules = List.of(
                "@id(\"r1\") allow a on table t op * fields [id, ssn, address.*] mask ssn show_last(4)",
                "@id(\"r2\") allow b on table t op read fields [id, name, ssn] mask ssn show_first(3)",
                "@id(\"r3\") allow a on table t op GetItem mask address.street hash remove notes",
                "@id(\"r4\") deny b on table t op Scan reason \"no\"",
                "@id(\"r5\") deny a on table t op Scan",
                "@id(\"r6\") allow c on table [t, u] op [Query, GetItem] fields [email] null email");
        String roles = "role a\nrole b extends c\nrole c\n";
        Random random = new Random(42);
        String reference = null;
        for (int round = 0; round < 12; round++) {
            List<String> shuffled = new ArrayList<>(rules);
            Collections.shuffle(shuffled, random);
            int split = random.nextInt(shuffled.size() + 1);
            LoadResult r = Policies.load(
                    "x.weir", roles + String.join("\n", shuffled.subList(0, split)),
                    "y.weir", String.join("\n", shuffled.subList(split, shuffled.size())));
            assertTrue(r.ok(), r.diagnostics()::toString);
            String summary = summarize(r.table().orElseThrow());
            if (reference == null) reference = summary;
            assertEquals(reference, summary);
        }
    }

    private static String summarize(DecisionTable t) {
        StringBuilder out = new StringBuilder();
        for (Set<String> roles : List.of(Set.of("a"), Set.of("b"), Set.of("c"), Set.of("a", "b"), Set.<String>of())) {
            for (String table : List.of("t", "u", "v")) {
                for (Operation op : Operation.values()) {
                    Decision d = t.decide(new DecisionRequest(roles, table, op));
                    out.append(roles).append(table).append(op).append(d.getClass().getSimpleName()).append(d.ruleIds());
                    switch (d) {
                        case Allowed a -> out.append(a.fields().redact(PERSON)).append(a.fields().maskedPaths())
                                .append(a.fields().removedPaths());
                        case Forbidden f -> out.append(f.reason());
                        case NotPermitted n -> { }
                    }
                    out.append('\n');
                }
            }
        }
        return out.toString();
    }

    @Test
    void tableIsSafeToShareBetweenThreads() throws Exception {
        DecisionTable t = table(Policies.SAMPLE_WITH_INGEST);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 4; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int n = 0; n < 20_000; n++) {
                        Decision d = t.decide(new DecisionRequest(Set.of("support", "ingest"), "people", Operation.GetItem));
                        if (!(d instanceof Allowed a) || !a.ruleIds().equals(List.of("people-read"))) throw new AssertionError(d);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread th : threads) th.join();
        assertEquals(List.of(), failures);
    }
}
