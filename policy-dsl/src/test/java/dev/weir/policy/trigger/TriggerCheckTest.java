package dev.weir.policy.trigger;

import dev.weir.policy.LoadResult;
import dev.weir.policy.Policies;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.model.AttributeValue;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Triggers in the policy language: parsing, compiling, and each refusal with file:line:column and the line. */
class TriggerCheckTest {
    private static final String ROLES = """
            role faces_worker
            role admin
            allow admin on table images op *
            allow faces_worker on table images op read fields [id, kind, image_uri, faces_done, geo_done, owner] mask owner show_last(2)
            """;

    private static List<String> check(String trigger) {
        String[] files = {"images.weir", ROLES + trigger};
        LoadResult r = Policies.load(files);
        return Policies.rendered(r, files);
    }

    private static LoadResult load(String trigger) {
        return Policies.load("images.weir", ROLES + trigger);
    }

    @Test
    void aFullTriggerCompiles() {
        LoadResult r = load("""
                @id("faces")
                trigger on table images
                  when [INSERT, MODIFY]
                  rows where item.kind == "image"
                  changed [image_uri]
                  call "http://127.0.0.1:9000/faces?token=x"
                  as role faces_worker
                  batch 10
                  retry 5 backoff 200ms to 30s
                  mark faces_done
                """);
        assertTrue(r.ok(), r.diagnostics().toString());
        List<TriggerSpec> triggers = r.table().orElseThrow().triggers();
        assertEquals(1, triggers.size());
        TriggerSpec t = triggers.getFirst();
        assertEquals("faces", t.id());
        assertEquals("images", t.table());
        assertEquals(Set.of(ChangeEvent.INSERT, ChangeEvent.MODIFY), t.events());
        assertEquals(List.of(Path.of("image_uri")), t.changed());
        assertEquals(URI.create("http://127.0.0.1:9000/faces?token=x"), t.url());
        assertEquals("http://127.0.0.1:9000/faces", t.functionForAudit());
        assertEquals("faces_worker", t.role());
        assertEquals(10, t.batch());
        assertEquals(5, t.retries());
        assertEquals(Duration.ofMillis(200), t.backoffLow());
        assertEquals(Duration.ofSeconds(30), t.backoffHigh());
        assertEquals("faces_done", t.mark());
        var request = TriggerCompiler.viewRequest("faces_worker", "images");
        assertTrue(t.rows().test(Map.of("kind", new AttributeValue.S("image")), request));
        assertFalse(t.rows().test(Map.of("kind", new AttributeValue.S("video")), request));
    }

    @Test
    void defaults() {
        LoadResult r = load("@id(\"d\") trigger on table images call \"https://f.example/x\" as role faces_worker mark geo_done\n");
        assertTrue(r.ok(), r.diagnostics().toString());
        TriggerSpec t = r.table().orElseThrow().triggers().getFirst();
        assertEquals(Set.of(ChangeEvent.values()), t.events());
        assertEquals(1, t.batch());
        assertEquals(TriggerSpec.DEFAULT_RETRIES, t.retries());
        assertEquals(List.of(), t.changed());
    }

    @Test
    void aPolicySetWithoutTriggersHasNone() {
        assertEquals(List.of(), Policies.load("p.weir", ROLES).table().orElseThrow().triggers());
    }

    @Test
    void unknownRole() {
        assertEquals(List.of("""
                        images.weir:6:76: error: unknown role 'face_worker' (did you mean 'faces_worker'?)
                        @id("t") trigger on table images call "http://h/f" mark faces_done as role face_worker
                                                                                                   ^"""),
                check("\n@id(\"t\") trigger on table images call \"http://h/f\" mark faces_done as role face_worker\n"));
    }

    @Test
    void rowsOnAFieldTheRoleCannotReadInClear() {
        assertEquals(List.of("""
                        images.weir:5:55: error: 'rows where' reads 'owner', which role 'faces_worker' does not read in the clear on table images: the trigger would decide on data its role may not see
                        @id("t") trigger on table images as role faces_worker rows where item.owner == "x" call "http://h/f" mark faces_done
                                                                              ^"""),
                check("@id(\"t\") trigger on table images as role faces_worker rows where item.owner == \"x\" call \"http://h/f\" mark faces_done\n"));
        assertEquals(List.of("images.weir:5:55: error: 'rows where' reads 'secret', which role 'faces_worker' does not read in the "
                        + "clear on table images: the trigger would decide on data its role may not see"),
                headlines("@id(\"t\") trigger on table images as role faces_worker rows where exists(item.secret) call \"http://h/f\" mark faces_done\n"));
    }

    @Test
    void changedOnAFieldTheRoleCannotReadInClear() {
        assertEquals(List.of("""
                        images.weir:5:75: error: 'changed' names 'owner', which role 'faces_worker' does not read in the clear on table images: the trigger would decide on data its role may not see
                        @id("t") trigger on table images as role faces_worker changed [image_uri, owner] call "http://h/f" mark faces_done
                                                                                                  ^"""),
                check("@id(\"t\") trigger on table images as role faces_worker changed [image_uri, owner] call \"http://h/f\" mark faces_done\n"));
    }

    @Test
    void aRoleThatMayNotReadTheStream() {
        assertEquals(List.of("""
                        images.weir:5:42: error: role 'faces_worker' may not read the stream of table videos (no rule allows it GetRecords), so the trigger would never see a change
                        @id("t") trigger on table videos as role faces_worker call "http://h/f" mark faces_done
                                                                 ^"""),
                check("@id(\"t\") trigger on table videos as role faces_worker call \"http://h/f\" mark faces_done\n"));
    }

    @Test
    void aMarkAlsoInChanged() {
        assertEquals(List.of("""
                        images.weir:5:94: error: the mark 'faces_done' is also in 'changed' (at images.weir:5:64): writing it would fire the trigger again
                        @id("t") trigger on table images as role faces_worker changed [faces_done] call "http://h/f" mark faces_done
                                                                                                                     ^"""),
                check("@id(\"t\") trigger on table images as role faces_worker changed [faces_done] call \"http://h/f\" mark faces_done\n"));
    }

    @Test
    void urlsThatAreNotHttp() {
        assertEquals(List.of("""
                        images.weir:5:55: error: a trigger calls an http or https URL, not 'ftp:'
                        @id("t") trigger on table images as role faces_worker call "ftp://h/f" mark faces_done
                                                                              ^"""),
                check("@id(\"t\") trigger on table images as role faces_worker call \"ftp://h/f\" mark faces_done\n"));
        assertEquals(List.of("""
                        images.weir:5:55: error: a trigger calls an http or https URL, not 'localhost:9000'
                        @id("t") trigger on table images as role faces_worker call "localhost:9000" mark faces_done
                                                                              ^""".replace("not 'localhost:9000'", "not 'localhost:'")),
                check("@id(\"t\") trigger on table images as role faces_worker call \"localhost:9000\" mark faces_done\n"));
        assertEquals(1, check("@id(\"t\") trigger on table images as role faces_worker call \"http://u:p@h/f\" mark faces_done\n").size());
    }

    @Test
    void batchOutOfRange() {
        assertEquals(List.of("""
                        images.weir:5:55: error: batch must be from 1 to 1000 records per call, not 0
                        @id("t") trigger on table images as role faces_worker batch 0 call "http://h/f" mark faces_done
                                                                              ^"""),
                check("@id(\"t\") trigger on table images as role faces_worker batch 0 call \"http://h/f\" mark faces_done\n"));
        assertEquals(List.of("images.weir:5:55: error: batch must be from 1 to 1000 records per call, not 1001"),
                headlines("@id(\"t\") trigger on table images as role faces_worker batch 1001 call \"http://h/f\" mark faces_done\n"));
    }

    @Test
    void retryOutOfRangeAndBackoff() {
        assertEquals(List.of("""
                        images.weir:5:55: error: retry must be from 0 to 100 attempts, not 101
                        @id("t") trigger on table images as role faces_worker retry 101 call "http://h/f" mark faces_done
                                                                              ^"""),
                check("@id(\"t\") trigger on table images as role faces_worker retry 101 call \"http://h/f\" mark faces_done\n"));
        assertEquals(List.of("images.weir:5:55: error: the back-off goes from a positive duration up to one at least as long: 5000ms to 1000ms"),
                headlines("@id(\"t\") trigger on table images as role faces_worker retry 3 backoff 5s to 1s call \"http://h/f\" mark faces_done\n"));
        assertEquals(List.of("images.weir:5:78: error: unknown unit 'h' (a duration is a whole number of ms, s or m, e.g. 200ms)"),
                headlines("@id(\"t\") trigger on table images as role faces_worker retry 3 backoff 5s to 1h call \"http://h/f\" mark faces_done\n"));
    }

    @Test
    void missingIdAndClauses() {
        assertEquals(List.of(
                        "images.weir:5:1: error: a trigger needs a 'as role' clause (the role whose read view its records are cut through: as role R)",
                        "images.weir:5:1: error: a trigger needs a 'call' clause (the function: call \"https://...\")",
                        "images.weir:5:1: error: a trigger needs a 'mark' clause (the completion mark attribute: mark done_attr)",
                        "images.weir:5:1: error: a trigger needs an @id(\"...\"): its leases and checkpoints are stored under it"),
                headlines("trigger on table images\n"));
    }

    @Test
    void unknownEventDuplicateClauseDuplicateIdAndSharedMark() {
        assertEquals(List.of(
                        "images.weir:5:40: error: unknown change 'UPDATE': a trigger fires on INSERT, MODIFY or REMOVE",
                        "images.weir:5:56: error: duplicate 'batch' clause"),
                headlines("@id(\"t\") trigger on table images when [UPDATE] batch 2 batch 3 as role faces_worker call \"http://h/f\" mark faces_done\n"));
        assertEquals(List.of(
                        "images.weir:6:1: error: duplicate trigger id 't' (first defined at images.weir:5:1)",
                        "images.weir:6:73: error: the mark 'faces_done' is already the mark of trigger 't' on table images (each trigger needs its own)"),
                headlines("@id(\"t\") trigger on table images as role faces_worker call \"http://h/f\" mark faces_done\n"
                        + "@id(\"t\") trigger on table images as role faces_worker call \"http://h/g\" mark faces_done\n"));
        assertEquals(List.of("images.weir:6:1: error: the id 't' is already a rule's (defined at images.weir:5:1)"),
                headlines("@id(\"t\") allow admin on table videos op read\n"
                        + "@id(\"t\") trigger on table images as role faces_worker call \"http://h/f\" mark faces_done\n"));
    }

    @Test
    void changedTakesNamesNotPatterns() {
        assertEquals(List.of("images.weir:5:64: error: 'changed' names attributes (a.b.c), not patterns: tags[*]"),
                headlines("@id(\"t\") trigger on table images as role faces_worker changed [tags[*]] call \"http://h/f\" mark faces_done\n"));
    }

    @Test
    void keywordsStayUsableAsAttributeNames() {
        LoadResult r = Policies.load("p.weir", "role r\nallow r on table t op read fields [batch, to, mark, call, as, changed]\n"
                + "  rows where item.retry == 1\n");
        assertTrue(r.ok(), r.diagnostics().toString());
    }

    @Test
    void theFormatterPutsEachClauseOnItsOwnLine() {
        String trigger = "@id(\"f\") trigger on table images when [INSERT] call \"http://h/f\" as role faces_worker"
                + " retry 2 backoff 1s to 2s mark geo_done\n";
        String formatted = dev.weir.policy.format.PolicyFormatter.format("images.weir", ROLES + trigger).text().orElseThrow();
        assertTrue(formatted.contains("""
                @id("f")
                trigger on table images
                  when [INSERT]
                  call "http://h/f"
                  as role faces_worker
                  retry 2 backoff 1s to 2s
                  mark geo_done
                """), formatted);
        LoadResult again = Policies.load("images.weir", formatted);
        assertTrue(again.ok(), again.diagnostics().toString());
        TriggerSpec before = load(trigger).table().orElseThrow().triggers().getFirst();
        TriggerSpec after = again.table().orElseThrow().triggers().getFirst();
        assertEquals(List.of(before.id(), before.events(), before.url(), before.role(), before.retries(), before.backoffLow(),
                before.backoffHigh(), before.mark()), List.of(after.id(), after.events(), after.url(), after.role(),
                after.retries(), after.backoffLow(), after.backoffHigh(), after.mark()));
    }

    private static List<String> headlines(String trigger) {
        return load(trigger).diagnostics().stream().map(d -> d.headline()).toList();
    }
}
