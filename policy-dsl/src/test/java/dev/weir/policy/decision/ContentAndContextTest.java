package dev.weir.policy.decision;

import dev.weir.policy.Policies;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValue.N;
import dev.weir.protocol.model.AttributeValue.S;
import dev.weir.protocol.model.Operation;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The context (when), content (rows where, require) and principal-attribute semantics. */
class ContentAndContextTest {

    private static Map<String, AttributeValue> item(Object... kv) {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            Object v = kv[i + 1];
            m.put((String) kv[i], v instanceof AttributeValue a ? a : v instanceof Number ? new N(v.toString()) : new S((String) v));
        }
        return m;
    }

    private static DecisionRequest req(Set<String> roles, Map<String, List<String>> attrs, Operation op, Context ctx) {
        return new DecisionRequest("ada", roles, attrs, "t", op, ctx);
    }

    private static Context at(String ip, String time) {
        try {
            return Context.of(ip == null ? null : InetAddress.ofLiteral(ip), time == null ? null : OffsetDateTime.parse(time).toInstant());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void whenOnSourceAddressAndNamedNetworks() {
        DecisionTable t = Policies.table("""
                role a
                network office = [10.0.0.0/8, "fd00::/8"]
                @id("r") allow a on table t op GetItem when ctx.source in office or ctx.source in [192.168.1.7]
                """);
        for (String ip : List.of("10.1.2.3", "fd00::1", "192.168.1.7", "::ffff:10.0.0.1")) {
            assertInstanceOf(Allowed.class, t.decide(req(Set.of("a"), Map.of(), Operation.GetItem, at(ip, null))), ip);
        }
        for (String ip : List.of("11.0.0.1", "fe80::1", "192.168.1.8")) {
            assertInstanceOf(NotPermitted.class, t.decide(req(Set.of("a"), Map.of(), Operation.GetItem, at(ip, null))), ip);
        }
        // no context: an allow with a condition on it does not match
        assertInstanceOf(NotPermitted.class, t.decide(new DecisionRequest(Set.of("a"), "t", Operation.GetItem)));
    }

    @Test
    void timeWindowsInAZoneIncludingDaylightSavingAndMidnightWrap() {
        DecisionTable t = Policies.table("""
                role a
                @id("day") allow a on table t op GetItem when ctx.time in 07:00..19:00 "Europe/Berlin"
                @id("night") allow a on table t op Query when ctx.time in 22:00..06:00
                """);
        // winter: Berlin is UTC+1; summer: UTC+2
        assertInstanceOf(Allowed.class, t.decide(req(Set.of("a"), Map.of(), Operation.GetItem, at(null, "2025-01-06T06:30:00Z"))));
        assertInstanceOf(NotPermitted.class, t.decide(req(Set.of("a"), Map.of(), Operation.GetItem, at(null, "2025-01-06T05:59:00Z"))));
        assertInstanceOf(NotPermitted.class, t.decide(req(Set.of("a"), Map.of(), Operation.GetItem, at(null, "2025-07-06T17:00:00Z"))));
        assertInstanceOf(Allowed.class, t.decide(req(Set.of("a"), Map.of(), Operation.GetItem, at(null, "2025-07-06T16:59:00Z"))));
        assertInstanceOf(Allowed.class, t.decide(req(Set.of("a"), Map.of(), Operation.Query, at(null, "2025-07-06T23:00:00Z"))));
        assertInstanceOf(Allowed.class, t.decide(req(Set.of("a"), Map.of(), Operation.Query, at(null, "2025-07-06T05:59:00Z"))));
        assertInstanceOf(NotPermitted.class, t.decide(req(Set.of("a"), Map.of(), Operation.Query, at(null, "2025-07-06T06:00:00Z"))));
    }

    @Test
    void tlsIdentityTableTagsAndNotEqualOnAbsentValues() {
        DecisionTable t = Policies.table("""
                role a
                @id("all") allow a on table t op *
                @id("cert") deny * on table t op Scan when not ("batch" in ctx.tls.subject.ou) reason "bulk reads need the batch certificate"
                @id("prod") deny * on table t op PutItem when ctx.table.tags.env == "prod" and not ("ops" in ctx.tls.san)
                """);
        Context none = Context.NONE;
        Context batch = none.withTls(TlsIdentity.of("CN=etl,OU=batch,O=Example", List.of("etl.example.com")));
        Context ops = none.withTls(TlsIdentity.of("CN=x,OU=ops", List.of("ops"))).withTableTags(Map.of("env", "prod"));
        Forbidden f = assertInstanceOf(Forbidden.class, t.decide(req(Set.of("a"), Map.of(), Operation.Scan, none)));
        assertEquals("bulk reads need the batch certificate", f.reason());
        assertInstanceOf(Allowed.class, t.decide(req(Set.of("a"), Map.of(), Operation.Scan, batch)));
        assertInstanceOf(Forbidden.class, t.decide(req(Set.of("a"), Map.of(), Operation.PutItem, none.withTableTags(Map.of("env", "prod")))));
        assertInstanceOf(Allowed.class, t.decide(req(Set.of("a"), Map.of(), Operation.PutItem, ops)));
        assertInstanceOf(Allowed.class, t.decide(req(Set.of("a"), Map.of(), Operation.PutItem, none)));
    }

    @Test
    void rowFiltersOrOverAllowsAndAndNotOverDenies() {
        DecisionTable t = Policies.table("""
                role a
                role b
                @id("own") allow a on table t op read rows where item.owner == principal.name
                @id("region") allow a on table t op read rows where item.region in principal.regions
                @id("hide") deny * on table t op read rows where item.classified == true
                @id("b-all") allow b on table t op read
                """);
        Map<String, List<String>> attrs = Map.of("regions", List.of("eu", "us"));
        Allowed a = assertInstanceOf(Allowed.class, t.decide(req(Set.of("a"), attrs, Operation.Scan, Context.NONE)));
        assertEquals(List.of("hide", "own", "region"), a.ruleIds());
        DecisionRequest r = req(Set.of("a"), attrs, Operation.Scan, Context.NONE);
        assertTrue(a.rows().test(r, item("owner", "ada", "region", "apac")));
        assertTrue(a.rows().test(r, item("owner", "bob", "region", "us")));
        assertFalse(a.rows().test(r, item("owner", "bob", "region", "apac")));
        assertFalse(a.rows().test(r, item("owner", "ada", "classified", new AttributeValue.Bool(true))));
        assertEquals("((item.owner == principal.name) or (item.region in principal.regions)) and not (item.classified == true)",
                a.rows().toString());
        Allowed b = assertInstanceOf(Allowed.class, t.decide(req(Set.of("b"), attrs, Operation.Scan, Context.NONE)));
        assertFalse(b.rows().isAll(), "the deny's row filter applies to b too");
        assertTrue(b.rows().test(r, item("owner", "bob")));
        assertFalse(b.rows().test(r, item("classified", new AttributeValue.Bool(true))));
        assertTrue(b.rows().bind(r).test(item()));
    }

    @Test
    void writeRequirementsAndTheAllowList() {
        DecisionTable t = Policies.table("""
                role writer
                @id("w") allow writer on table t op [PutItem, UpdateItem]
                  fields [id, name, region, email, address.*]
                  require item.region in principal.regions and size(item.name) <= 20
                """);
        DecisionRequest r = req(Set.of("writer"), Map.of("regions", List.of("eu", "us")), Operation.PutItem, Context.NONE);
        Allowed a = assertInstanceOf(Allowed.class, t.decide(r));
        assertEquals(java.util.Optional.empty(), a.refusesWrite(r, item("id", "1", "name", "Ada", "region", "eu")));
        assertTrue(a.refusesWrite(r, item("id", "1", "name", "Ada", "region", "apac")).orElseThrow().contains("requirement"));
        assertTrue(a.refusesWrite(r, item("id", "1", "region", "eu")).orElseThrow().contains("requirement"), "name missing: size is absent");
        assertEquals("the field 'salary' is outside the caller's allow-list",
                a.refusesWrite(r, item("id", "1", "name", "A", "region", "eu", "salary", 5)).orElseThrow());
        // a single-valued attribute is a one-element list
        DecisionRequest one = req(Set.of("writer"), DecisionRequest.singleValued(Map.of("regions", "eu")), Operation.PutItem, Context.NONE);
        assertTrue(a.refusesWrite(one, item("id", "1", "name", "A", "region", "eu")).isEmpty());
        assertTrue(a.judgesWrittenItems(), "an allow-list and a requirement judge the item");
    }

    /** Only a rule of every field and no requirement writes any item unjudged (callers then skip reading it). */
    @Test
    void aRuleJudgesWrittenItemsUnlessItAllowsEveryFieldWithoutRequirement() {
        DecisionTable t = Policies.table("""
                role all
                role listed
                role required
                @id("all") allow all on table t op [PutItem]
                @id("listed") allow listed on table t op [PutItem]
                  fields [id, name]
                @id("required") allow required on table t op [PutItem]
                  require item.region == "eu"
                """);
        for (String role : List.of("all", "listed", "required")) {
            DecisionRequest r = req(Set.of(role), Map.of(), Operation.PutItem, Context.NONE);
            Allowed a = assertInstanceOf(Allowed.class, t.decide(r));
            assertEquals(!role.equals("all"), a.judgesWrittenItems(), role);
            if (!a.judgesWrittenItems()) {
                assertTrue(a.refusesWrite(r, item("id", "1", "salary", 5, "region", "apac")).isEmpty(), role);
            } else {
                assertTrue(a.refusesWrite(r, item("id", "1", "salary", 5, "region", "apac")).isPresent(), role);
            }
        }
    }

    @Test
    void comparisonsFollowDynamoDbTyping() {
        DecisionTable t = Policies.table("""
                role a
                @id("r") allow a on table t op Scan
                  rows where item.age between 18 and 65 and begins_with(item.name, "A") and contains(item.tags, "x")
                    and exists(item.id) and item.score > 1.5 and item.code != "no" and size(item.tags) == 2
                """);
        DecisionRequest r = req(Set.of("a"), Map.of(), Operation.Scan, Context.NONE);
        Allowed a = assertInstanceOf(Allowed.class, t.decide(r));
        Map<String, AttributeValue> ok = item("id", "1", "age", 30, "name", "Ada", "score", 2,
                "tags", new AttributeValue.SS(List.of("x", "y")));
        assertTrue(a.rows().test(r, ok));
        Map<String, AttributeValue> stringAge = new LinkedHashMap<>(ok);
        stringAge.put("age", new S("30"));
        assertFalse(a.rows().test(r, stringAge), "a string is never between two numbers");
        Map<String, AttributeValue> noCode = new LinkedHashMap<>(ok);
        noCode.put("code", new S("no"));
        assertFalse(a.rows().test(r, noCode));
    }

    @Test
    void conditionalCellsDecideWithoutAllocatingANewDecisionEachTime() {
        DecisionTable t = Policies.table("role a\n@id(\"r\") allow a on table t op GetItem when principal.level == \"high\"\n");
        DecisionRequest high = req(Set.of("a"), Map.of("level", List.of("high")), Operation.GetItem, Context.NONE);
        assertSame(t.decide(high), t.decide(high));
        assertInstanceOf(NotPermitted.class, t.decide(req(Set.of("a"), Map.of("level", List.of("low")), Operation.GetItem, Context.NONE)));
    }

    @Test
    void newMasksHmacRoundBucketPatternAndListElements() {
        DecisionTable t = Policies.table("""
                role a
                @id("r") allow a on table t op GetItem
                  mask email hmac(key: "pseudonym")
                  mask salary bucket(10000)
                  mask age round(10)
                  mask phone pattern("[0-9](?=[0-9]{2})", "#")
                  remove tags[*].secret
                  mask notes[*] show_first(1)
                """);
        Allowed a = assertInstanceOf(Allowed.class, t.decide(new DecisionRequest(Set.of("a"), "t", Operation.GetItem)));
        Map<String, AttributeValue> out = a.fields().redact(item("email", "ada@example.com", "salary", 98000, "age", 45,
                "phone", "555-1234", "tags", new AttributeValue.L(List.of(new AttributeValue.M(Map.of("k", new S("v"), "secret", new S("s"))))),
                "notes", new AttributeValue.L(List.of(new S("abc"), new S("de")))));
        assertTrue(((S) out.get("email")).value().matches("[0-9a-f]{64}"), "hmac: plain hex, no key id");
        assertEquals(out.get("email"), a.fields().redact(item("email", "ada@example.com")).get("email"), "deterministic");
        assertEquals(new N("90000"), out.get("salary"));
        assertEquals(new N("50"), out.get("age"));
        assertEquals(new S("#55-##34"), out.get("phone"));
        assertEquals(new AttributeValue.L(List.of(new AttributeValue.M(Map.of("k", new S("v"))))), out.get("tags"));
        assertEquals(new AttributeValue.L(List.of(new S("a****"), new S("d****"))), out.get("notes"));
        assertFalse(a.fields().canReadInClear("tags[0].secret"));
        assertTrue(a.fields().canReadInClear("tags[0].k"));
        assertFalse(a.fields().canReadInClear("notes[1]"));
    }

    @Test
    void strictestMaskWinsAlsoAmongTheNewOnes() {
        String base = "role a\n@id(\"x\") allow a on table t op * mask e hash\n";
        assertTrue(((S) email(base + "@id(\"y\") allow a on table t op * mask e show_last(2)\n")).value().matches("test:[0-9a-f]{64}"));
        String hmac = ((S) email(base + "@id(\"y\") allow a on table t op * mask e hmac(key: \"k\")\n")).value();
        String hash = ((S) email(base)).value();
        assertFalse(hmac.equals(hash), "hmac beats hash");
        assertEquals(new S("-"), email(base + "@id(\"y\") allow a on table t op * mask e constant(\"-\")\n"));
    }

    private static AttributeValue email(String policy) {
        return assertInstanceOf(Allowed.class, Policies.table(policy).decide(new DecisionRequest(Set.of("a"), "t", Operation.GetItem)))
                .fields().redact(item("e", "ada@example.com")).get("e");
    }

    @Test
    void instantsAreUsedAsGiven() {
        assertEquals(Instant.parse("2025-01-06T06:30:00Z"), at(null, "2025-01-06T07:30:00+01:00").time());
    }
}
