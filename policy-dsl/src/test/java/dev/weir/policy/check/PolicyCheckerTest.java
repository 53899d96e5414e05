package dev.weir.policy.check;

import dev.weir.policy.LoadResult;
import dev.weir.policy.Policies;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyCheckerTest {

    /** Loads the files and returns every diagnostic rendered with its line and caret. */
    private static List<String> check(String... nameAndText) {
        LoadResult r = Policies.load(nameAndText);
        return Policies.rendered(r, nameAndText);
    }

    @Test
    void unknownRoleWithSuggestion() {
        assertEquals(List.of("""
                        people.weir:2:7: error: unknown role 'analsyt' (did you mean 'analyst'?)
                        allow analsyt on table people op read
                              ^"""),
                check("people.weir", "role analyst\nallow analsyt on table people op read\n"));
    }

    @Test
    void unknownRoleWithoutCloseMatchAndInExtends() {
        assertEquals(List.of("""
                        p.weir:1:17: error: unknown role 'nobody'
                        role a extends  nobody
                                        ^""", """
                        p.weir:2:11: error: unknown role 'zzz'
                        allow [a, zzz] on table t op *
                                  ^"""),
                check("p.weir", "role a extends  nobody\nallow [a, zzz] on table t op *\n"));
    }

    @Test
    void unknownOperationWithSuggestion() {
        assertEquals(List.of("""
                        p.weir:2:30: error: unknown operation 'GetItm' (did you mean 'GetItem'?)
                        allow a on table t op [Scan, GetItm, reed, Frobnicate]
                                                     ^""", """
                        p.weir:2:38: error: unknown operation 'reed' (did you mean 'read'?)
                        allow a on table t op [Scan, GetItm, reed, Frobnicate]
                                                             ^""", """
                        p.weir:2:44: error: unknown operation 'Frobnicate'
                        allow a on table t op [Scan, GetItm, reed, Frobnicate]
                                                                   ^"""),
                check("p.weir", "role a\nallow a on table t op [Scan, GetItm, reed, Frobnicate]\n"));
    }

    @Test
    void roleInheritanceCycle() {
        assertEquals(List.of("""
                        p.weir:2:6: error: role inheritance cycle: a -> c -> b -> a
                        role a extends c
                             ^""", """
                        p.weir:4:6: error: role inheritance cycle: self -> self
                        role self extends self
                             ^"""),
                check("p.weir", "role b extends a\nrole a extends c\nrole c extends b\nrole self extends self\n"));
    }

    @Test
    void duplicateRuleIdAcrossFiles() {
        assertEquals(List.of("""
                        b.weir:2:1: error: duplicate rule id 'x' (first defined at a.weir:1:1)
                        @id("x")
                        ^"""),
                check("b.weir", "role r\n@id(\"x\")\ndeny r on table t op *\n", "a.weir", "@id(\"x\") allow r on table t op *\n"));
    }

    @Test
    void duplicateRole() {
        assertEquals(List.of("""
                        q.weir:1:8: error: duplicate role 'a' (first declared at p.weir:1:6)
                        role   a
                               ^"""),
                check("p.weir", "role a\n", "q.weir", "role   a\n"));
    }

    @Test
    void reasonOnAllow() {
        assertEquals(List.of("""
                        p.weir:2:28: error: 'reason' is only allowed on deny rules
                        allow a on table t op read reason "why"
                                                   ^"""),
                check("p.weir", "role a\nallow a on table t op read reason \"why\"\n"));
    }

    @Test
    void fieldClausesOnDenyAndRepeatedClauses() {
        assertEquals(List.of("""
                        p.weir:2:24: error: 'mask' is not allowed on deny rules (a deny refuses the whole request)
                        deny a on table t op * mask x hash reason "a" reason "b"
                                               ^""", """
                        p.weir:2:47: error: duplicate 'reason' clause
                        deny a on table t op * mask x hash reason "a" reason "b"
                                                                      ^""", """
                        p.weir:3:36: error: duplicate 'fields' clause
                        allow a on table t op * fields [x] fields [y]
                                                           ^"""),
                check("p.weir", "role a\ndeny a on table t op * mask x hash reason \"a\" reason \"b\"\n"
                        + "allow a on table t op * fields [x] fields [y]\n"));
    }

    @Test
    void maskOnFieldExcludedByTheSameRule() {
        assertEquals(List.of("""
                        p.weir:3:8: error: mask on 'ssn': not in this rule's fields list
                          mask ssn hash
                               ^""", """
                        p.weir:4:8: error: null on 'address.street': not in this rule's fields list
                          null address.street
                               ^"""),
                check("p.weir", "role a\nallow a on table t op * fields [id, address.city, x.*]\n  mask ssn hash\n"
                        + "  null address.street\n  mask address.city hash\n  mask x.y show_first(1)\n  mask address hash\n"));
    }

    @Test
    void removeOfAnExcludedFieldIsAcceptedAndGuardsAgainstOtherGrants() {
        LoadResult r = Policies.load("p.weir", "role a\nallow a on table t op * fields [id] remove salary\n"
                + "allow a on table t op * fields [salary]\n");
        assertEquals(List.of(), r.diagnostics());
        var allowed = (dev.weir.policy.decision.Allowed) r.table().orElseThrow().decide(
                new dev.weir.policy.decision.DecisionRequest(java.util.Set.of("a"), "t", dev.weir.protocol.model.Operation.GetItem));
        assertEquals(java.util.Set.of("id"), allowed.fields().redact(java.util.Map.of(
                "id", new dev.weir.protocol.model.AttributeValue.S("1"),
                "salary", new dev.weir.protocol.model.AttributeValue.N("1"))).keySet());
    }

    @Test
    void theSampleAsWrittenOnlyLacksTheIngestRole() {
        assertEquals(List.of("""
                        sample.weir:16:7: error: unknown role 'ingest'
                        allow ingest on table people op [write]
                              ^"""),
                check("sample.weir", Policies.SAMPLE));
        assertTrue(Policies.load("sample.weir", Policies.SAMPLE_WITH_INGEST).ok());
    }

    @Test
    void suggestionsAreCaseInsensitiveAndBounded() {
        assertEquals("GetItem", Suggestions.closest("getitem", OperationNames.known()).orElseThrow());
        assertEquals("analyst", Suggestions.closest("analsyt", List.of("admin", "analyst", "support")).orElseThrow());
        assertFalse(Suggestions.closest("ingest", List.of("admin", "analyst", "support")).isPresent());
    }

    @Test
    void renderKeepsTabsSoTheCaretLinesUp() {
        Diagnostic d = new Diagnostic("p.weir", 1, 3, Severity.ERROR, "boom");
        assertEquals("p.weir:1:3: error: boom\n\t\tx\n\t\t^", d.render("\t\tx"));
        assertEquals("p.weir:1:3: error: boom", d.render(null));
        assertEquals("dir: error: empty", new Diagnostic("dir", 0, 0, Severity.ERROR, "empty").render("x"));
    }
}
