package dev.weir.policy.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.policy.LoadResult;
import dev.weir.policy.PolicyLoader;
import dev.weir.policy.PolicySource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which records fire a trigger, why not, the mark guard and the mark written: pure functions. */
class RecordFilterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode record(String event, String oldImage, String newImage) throws Exception {
        return JSON.readTree("{\"eventID\":\"e1\",\"eventName\":\"" + event + "\",\"dynamodb\":{"
                + (oldImage == null ? "" : "\"OldImage\":" + oldImage + (newImage == null ? "" : ","))
                + (newImage == null ? "" : "\"NewImage\":" + newImage) + "}}");
    }

    private static TriggerSpec trigger(String clauses) {
        LoadResult r = PolicyLoader.load(List.of(new PolicySource("images.weir", """
                role r
                allow r on table t op read
                @id("x") trigger on table t call "http://h/f" as role r mark done %s
                """.formatted(clauses))));
        assertTrue(r.ok(), () -> r.diagnostics().toString());
        return r.table().orElseThrow().triggers().getFirst();
    }

    @Test
    void onlyMarksChanged() throws Exception {
        String before = "{\"id\":{\"S\":\"a\"},\"v\":{\"N\":\"1\"}}";
        String marked = "{\"id\":{\"S\":\"a\"},\"v\":{\"N\":\"1\"},\"done\":{\"N\":\"7\"}}";
        String bothMarked = "{\"id\":{\"S\":\"a\"},\"v\":{\"N\":\"1\"},\"done\":{\"N\":\"7\"},\"geo\":{\"N\":\"9\"}}";
        String changed = "{\"id\":{\"S\":\"a\"},\"v\":{\"N\":\"2\"},\"done\":{\"N\":\"8\"}}";
        List<String> marks = List.of("done", "geo");
        assertTrue(RecordFilter.onlyMarksChanged(record("MODIFY", before, marked), marks));
        assertTrue(RecordFilter.onlyMarksChanged(record("MODIFY", marked, bothMarked), marks), "another trigger's mark");
        assertFalse(RecordFilter.onlyMarksChanged(record("MODIFY", marked, changed), marks), "a value changed too");
        assertFalse(RecordFilter.onlyMarksChanged(record("MODIFY", before, marked), List.of("geo")), "not a mark");
        assertFalse(RecordFilter.onlyMarksChanged(record("INSERT", null, marked), marks));
        assertFalse(RecordFilter.onlyMarksChanged(record("MODIFY", null, marked), marks), "without both images: not known");
        String binary = "{\"id\":{\"S\":\"a\"},\"b\":{\"B\":\"AAEC\"},\"s\":{\"SS\":[\"x\",\"y\"]}}";
        String binaryMarked = "{\"id\":{\"S\":\"a\"},\"b\":{\"B\":\"AAEC\"},\"s\":{\"SS\":[\"x\",\"y\"]},\"done\":{\"N\":\"1\"}}";
        assertTrue(RecordFilter.onlyMarksChanged(record("MODIFY", binary, binaryMarked), marks), "binary and set values compare by value");
    }

    @Test
    void eventsRowsAndChanged() throws Exception {
        TriggerSpec t = trigger("when [INSERT, MODIFY] rows where item.kind == \"image\" changed [uri, meta.size]");
        String img1 = "{\"id\":{\"S\":\"a\"},\"kind\":{\"S\":\"image\"},\"uri\":{\"S\":\"u1\"}}";
        String img2 = "{\"id\":{\"S\":\"a\"},\"kind\":{\"S\":\"image\"},\"uri\":{\"S\":\"u2\"}}";
        String img1Other = "{\"id\":{\"S\":\"a\"},\"kind\":{\"S\":\"image\"},\"uri\":{\"S\":\"u1\"},\"x\":{\"N\":\"1\"}}";
        String img1Size = "{\"id\":{\"S\":\"a\"},\"kind\":{\"S\":\"image\"},\"uri\":{\"S\":\"u1\"},\"meta\":{\"M\":{\"size\":{\"N\":\"5\"}}}}";
        String video = "{\"id\":{\"S\":\"a\"},\"kind\":{\"S\":\"video\"},\"uri\":{\"S\":\"u1\"}}";
        assertTrue(RecordFilter.fires(t, record("INSERT", null, img1)), "an INSERT changes every attribute it has");
        assertTrue(RecordFilter.fires(t, record("MODIFY", img1, img2)));
        assertTrue(RecordFilter.fires(t, record("MODIFY", img1, img1Size)), "a nested path");
        assertFalse(RecordFilter.fires(t, record("MODIFY", img1, img1Other)), "no watched value changed");
        assertFalse(RecordFilter.fires(t, record("INSERT", null, video)), "rows where");
        assertFalse(RecordFilter.fires(t, record("REMOVE", img1, null)), "REMOVE is not among its events");
        TriggerSpec removes = trigger("when [REMOVE] rows where item.kind == \"image\"");
        assertTrue(RecordFilter.fires(removes, record("REMOVE", img1, null)), "a REMOVE is judged on its old image");
        assertFalse(RecordFilter.fires(removes, record("REMOVE", video, null)));
    }

    @Test
    void reasonsAndMarks() throws Exception {
        TriggerSpec t = trigger("when [INSERT, MODIFY] rows where item.kind == \"image\" changed [uri]");
        String img1 = "{\"id\":{\"S\":\"a\"},\"kind\":{\"S\":\"image\"},\"uri\":{\"S\":\"u1\"}}";
        String img1Other = "{\"id\":{\"S\":\"a\"},\"kind\":{\"S\":\"image\"},\"uri\":{\"S\":\"u1\"},\"x\":{\"N\":\"1\"}}";
        String video = "{\"id\":{\"S\":\"a\"},\"kind\":{\"S\":\"video\"},\"uri\":{\"S\":\"u1\"}}";
        assertEquals("the role sees a REMOVE, and the trigger fires on [INSERT, MODIFY]",
                RecordFilter.whyNot(t, record("REMOVE", img1, null)).orElseThrow());
        assertEquals("'rows where' does not hold on the new image", RecordFilter.whyNot(t, record("INSERT", null, video)).orElseThrow());
        assertEquals("none of 'changed' [uri] changed", RecordFilter.whyNot(t, record("MODIFY", img1, img1Other)).orElseThrow());

        JsonNode modify = JSON.readTree("{\"eventName\":\"MODIFY\",\"dynamodb\":{\"Keys\":{\"id\":{\"S\":\"a\"}},"
                + "\"SequenceNumber\":\"000120\",\"OldImage\":" + img1 + ",\"NewImage\":" + img1Other + "}}");
        RecordFilter.MarkWrite mark = RecordFilter.markOf(t, modify).orElseThrow();
        assertEquals("done", mark.attribute());
        assertEquals("{\"id\":{\"S\":\"a\"}}", mark.key().toString());
        assertEquals(120, mark.sequence().intValue());
        JsonNode remove = JSON.readTree("{\"eventName\":\"REMOVE\",\"dynamodb\":{\"Keys\":{\"id\":{\"S\":\"a\"}},"
                + "\"SequenceNumber\":\"121\",\"OldImage\":" + img1 + "}}");
        assertTrue(RecordFilter.markOf(t, remove).isEmpty(), "a REMOVE leaves no item to mark");

        // judge: the mark guard before the view, the view's verdict, then the filter
        List<String> marks = List.of("done");
        JsonNode markOnly = record("MODIFY", img1, img1.substring(0, img1.length() - 1) + ",\"done\":{\"N\":\"3\"}}");
        RecordView never = (trigger, rec, viewType, keys) -> { throw new AssertionError("the mark guard comes first"); };
        assertEquals(new Judgement.DoesNotFire("only completion marks changed", null),
                RecordFilter.judge(t, markOnly, marks, never, "NEW_AND_OLD_IMAGES", List.of("id")));
        RecordView hides = (trigger, rec, viewType, keys) -> java.util.Optional.empty();
        assertEquals(new Judgement.DoesNotFire("role r's view drops the change (a row it does not see, or hidden values only)", null),
                RecordFilter.judge(t, record("INSERT", null, img1), marks, hides, "NEW_AND_OLD_IMAGES", List.of("id")));
    }
}
