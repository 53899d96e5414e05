package dev.weir.policy.compile;

import dev.weir.policy.LoadResult;
import dev.weir.policy.PolicyLoader;
import dev.weir.policy.PolicySource;
import dev.weir.policy.decision.PolicyFacts;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whether a policy reads table tags comes from its syntax trees, not from a search of its text. */
class PolicyFactsTest {
    private static boolean readsTags(String policy) {
        LoadResult r = PolicyLoader.load(List.of(new PolicySource("p.weir", "role a\n" + policy)));
        assertTrue(r.ok(), r.diagnostics().toString());
        assertEquals(r.facts(), r.table().orElseThrow().facts());
        return r.facts().readsTableTags();
    }

    @Test
    void aTagReadIsFoundHoweverItIsSpelledAndWhateverTheReasonSays() {
        assertTrue(readsTags("""
                deny a on table * op * when ctx.table.tags.env == "prod" reason "ticket #4711"
                """));
        assertTrue(readsTags("""
                deny a on table * op * when ctx."table".tags.env == "prod"
                """));
        assertTrue(readsTags("""
                deny a on table * op * when ctx.table."tags"."cost-center" in ["a", "b"]
                """));
        assertTrue(readsTags("""
                allow a on table t op * rows where item.env == ctx.table.tags.env
                """), "in a row filter, on the right-hand side");
        assertTrue(readsTags("""
                allow a on table t op [PutItem] require not (item.x == "1" or begins_with(item.env, ctx.table.tags.env))
                """), "deep inside a requirement");
    }

    @Test
    void textThatOnlyLooksLikeATagReadIsNot() {
        assertFalse(readsTags("""
                # when ctx.table.tags.env == "prod"
                deny a on table * op * when "ctx.table.tags.env" in ctx.tls.subject.ou reason "ctx.table.tags"
                """));
        assertFalse(readsTags("allow a on table * op *\n"));
        assertFalse(readsTags("deny a on table * op * when ctx.table == \"tags\"\n"));
    }

    @Test
    void aPolicyThatDidNotCompileReadsNothing() {
        LoadResult broken = PolicyLoader.load(List.of(new PolicySource("p.weir", "allow nobody on table * op *\n")));
        assertFalse(broken.ok());
        assertEquals(PolicyFacts.NONE, broken.facts());
    }
}
