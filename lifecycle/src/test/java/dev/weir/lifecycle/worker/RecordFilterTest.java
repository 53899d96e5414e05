package dev.weir.lifecycle.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.lifecycle.Fixtures;
import dev.weir.policy.trigger.TriggerSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which records fire a trigger, the mark guard, and the back-off's bounds: pure functions. */
class RecordFilterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode record(String event, String oldImage, String newImage) throws Exception {
        return JSON.readTree("{\"eventID\":\"e1\",\"eventName\":\"" + event + "\",\"dynamodb\":{"
                + (oldImage == null ? "" : "\"OldImage\":" + oldImage + (newImage == null ? "" : ","))
                + (newImage == null ? "" : "\"NewImage\":" + newImage) + "}}");
    }

    private static TriggerSpec trigger(String clauses) {
        return Fixtures.policy("""
                role r
                allow r on table t op read
                @id("x") trigger on table t call "http://h/f" as role r mark done %s
                """.formatted(clauses)).triggers().getFirst();
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
    void backoffGrowsWithJitterAndStaysWithinItsBounds() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));
        SplittableRandom random = new SplittableRandom(15);
        for (int i = 0; i < 200; i++) {
            long first = b.before(1, random).toMillis();
            assertTrue(first >= 50 && first <= 100, "retry 1: " + first);
            long third = b.before(3, random).toMillis();
            assertTrue(third >= 200 && third <= 400, "retry 3: " + third);
            long late = b.before(60, random).toMillis();
            assertTrue(late >= 1000 && late <= 2000, "capped: " + late);
        }
        assertTrue(new Backoff(Duration.ZERO, Duration.ZERO).before(1, random).toMillis() <= 1, "a zero back-off waits at most 1 ms");
    }
}
