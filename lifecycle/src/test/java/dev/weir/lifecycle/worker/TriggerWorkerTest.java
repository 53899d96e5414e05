package dev.weir.lifecycle.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.lifecycle.FunctionServer;
import dev.weir.lifecycle.StoreFixture;
import dev.weir.lifecycle.call.CallResult;
import dev.weir.lifecycle.store.DeadLetters;
import dev.weir.lifecycle.store.StoreClient;
import dev.weir.policy.decision.DecisionTable;
import dev.weir.policy.trigger.TriggerSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.weir.lifecycle.Fixtures.await;
import static dev.weir.lifecycle.Fixtures.policy;
import static dev.weir.lifecycle.Fixtures.worker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The worker against a real bundled store and a real HTTP function: marks, idempotency, poison
 * records, the mark guard and the role's view, over a seeded mix of writes.
 */
class TriggerWorkerTest {
    private StoreFixture store;
    private FunctionServer function;

    /** What the listener heard. */
    static final class Heard implements LifecycleListener {
        final Map<String, AtomicInteger> marksWritten = new ConcurrentHashMap<>();
        final List<String> deadLettered = new CopyOnWriteArrayList<>();
        final List<String> problems = new CopyOnWriteArrayList<>();
        final AtomicInteger calls = new AtomicInteger();

        @Override public void called(TriggerSpec trigger, List<String> eventIds, CallResult result, int attempt) {
            calls.incrementAndGet();
        }

        @Override public void deadLettered(TriggerSpec trigger, String eventId, String error, int attempts) {
            deadLettered.add(eventId + "/" + attempts);
        }

        @Override public void marked(TriggerSpec trigger, String eventId, boolean written) {
            if (written) marksWritten.computeIfAbsent(eventId, k -> new AtomicInteger()).incrementAndGet();
        }

        @Override public void problem(TriggerSpec trigger, String reason) {
            problems.add(reason);
        }
    }

    @BeforeEach
    void start() throws Exception {
        store = new StoreFixture();
        function = new FunctionServer(dev.weir.lifecycle.Fixtures.SECRET);
        store.table("images", "NEW_AND_OLD_IMAGES");
    }

    @AfterEach
    void stop() throws Exception {
        function.close();
        store.close();
    }

    private String policyText(int batch) {
        return """
                role faces_worker
                role admin
                allow admin on table images op *
                allow faces_worker on table images op read
                  fields [id, kind, image_uri, uploader, poison, faces_done]
                  mask uploader show_last(2)

                @id("faces")
                trigger on table images
                  when [INSERT, MODIFY]
                  rows where item.kind == "image"
                  changed [image_uri]
                  call "%s"
                  as role faces_worker
                  batch %d
                  retry 2 backoff 10ms to 40ms
                  mark faces_done
                """.formatted(function.url("/faces?token=t"), batch);
    }

    private static ObjectNode item(String id, String kind, String uri, boolean poison) {
        ObjectNode item = StoreClient.object();
        item.putObject("id").put("S", id);
        item.putObject("kind").put("S", kind);
        item.putObject("image_uri").put("S", uri);
        item.putObject("uploader").put("S", "uploader-" + id);
        item.putObject("secret").put("S", "secret-" + id);
        if (poison) item.putObject("poison").put("BOOL", true);
        return item;
    }

    private static ObjectNode s(String name, String value) {
        ObjectNode v = StoreClient.object();
        v.putObject(name).put("S", value);
        return v;
    }

    @Test
    void everyQualifyingVersionGetsOneMarkPoisonGoesToDeadLettersAndTheFunctionSeesTheRolesView() throws Exception {
        Random random = new Random(15);
        DecisionTable policy = policy(policyText(4));
        Map<String, Integer> qualifying = new HashMap<>(); // image item → qualifying events (non-poison)
        Set<String> poison = new HashSet<>();
        Set<String> videos = new HashSet<>();
        int poisonEvents = 0;
        Heard heard = new Heard();
        try (LifecycleWorker w = worker(store, policy, "A", Duration.ofSeconds(3), heard).start()) {
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 12; i++) {
                    String id = "i" + (round * 12 + i);
                    boolean isPoison = random.nextInt(12) == 0;
                    boolean video = !isPoison && random.nextInt(5) == 0;
                    store.put("images", item(id, video ? "video" : "image", "s3://b/" + id, isPoison));
                    if (isPoison) {
                        poison.add(id);
                        poisonEvents++;
                    } else if (video) {
                        videos.add(id);
                    } else {
                        qualifying.merge(id, 1, Integer::sum);
                    }
                }
                // changes to existing images: a new URI fires; a hidden field or an unwatched field does not
                List<String> images = new ArrayList<>(qualifying.keySet());
                images.sort(null);
                for (int k = 0; k < 6; k++) {
                    String id = images.get(random.nextInt(images.size()));
                    switch (random.nextInt(3)) {
                        case 0 -> {
                            store.update("images", id, "SET image_uri = :u", s(":u", "s3://b/" + id + "/v" + round + k));
                            qualifying.merge(id, 1, Integer::sum);
                        }
                        case 1 -> store.update("images", id, "SET secret = :s", s(":s", "changed-" + round + k));
                        default -> store.update("images", id, "SET uploader = :o", s(":o", "other-" + round + k));
                    }
                }
                Thread.sleep(150); // some writes land while the worker is mid-shard
            }
            int expectedEvents = qualifying.values().stream().mapToInt(Integer::intValue).sum();
            int expectedPoison = poisonEvents;
            assertTrue(await(60, () -> heard.marksWritten.size() == expectedEvents && heard.deadLettered.size() == expectedPoison),
                    () -> "marks " + heard.marksWritten.size() + "/" + expectedEvents + ", dead letters "
                            + heard.deadLettered.size() + "/" + expectedPoison + ", problems " + heard.problems);

            // exactly one mark per qualifying version, and the item holds the mark of its last one
            heard.marksWritten.forEach((event, n) -> assertEquals(1, n.get(), event));
            Map<String, BigInteger> lastSeq = new HashMap<>();
            Map<String, Integer> okEvents = new HashMap<>();
            Map<String, Integer> callsPerEvent = new HashMap<>();
            for (FunctionServer.Call c : function.calls) {
                for (JsonNode r : c.body().path("records")) {
                    // the role's view: no field outside its list, the uploader masked
                    JsonNode image = r.path("dynamodb").path("NewImage");
                    assertFalse(image.has("secret"), r::toString);
                    String id = r.path("dynamodb").path("Keys").path("id").path("S").asText();
                    assertNotEquals("uploader-" + id, image.path("uploader").path("S").asText());
                    assertTrue(image.path("uploader").path("S").asText().endsWith(id.substring(id.length() - 1)), r::toString);
                    assertEquals("image", image.path("kind").path("S").asText());
                    if (c.status() == 200) {
                        callsPerEvent.merge(r.path("eventID").asText(), 1, Integer::sum);
                        okEvents.merge(id, 1, Integer::sum);
                        lastSeq.merge(id, new BigInteger(r.path("dynamodb").path("SequenceNumber").asText()), BigInteger::max);
                    }
                }
            }
            assertEquals(qualifying, okEvents, "every qualifying change reached the function once, nothing else did");
            callsPerEvent.forEach((event, n) -> assertEquals(1, n, "acted once on " + event));
            function.acted.forEach((key, n) -> assertEquals(1, n.get()));
            assertEquals(0, function.badSignatures.get());
            for (JsonNode item : store.scan("images")) {
                String id = item.path("id").path("S").asText();
                if (qualifying.containsKey(id)) {
                    assertEquals(lastSeq.get(id), new BigInteger(item.path("faces_done").path("N").asText()), id);
                } else {
                    assertFalse(item.has("faces_done"), "no mark on " + id + " (video or poison)");
                }
            }

            // poison: three failed calls of the record alone (retry 2), then the dead letter, as the role saw it
            List<JsonNode> letters = store.scan(DeadLetters.NAME);
            assertEquals(expectedPoison, letters.size());
            for (JsonNode letter : letters) {
                assertEquals("faces", letter.path("trigger").path("S").asText());
                assertEquals("3", letter.path("attempts").path("N").asText());
                assertEquals("HTTP 500", letter.path("error").path("S").asText());
                String record = letter.path("record").path("S").asText();
                assertFalse(record.contains("secret"), record);
                assertTrue(record.contains(letter.path("eventId").path("S").asText()));
            }
            for (String d : heard.deadLettered) assertTrue(d.endsWith("/3"), d);

            // a change of the mark alone never fires: neither the worker's own marks (above: one call per event) nor a manual one
            int callsBefore = function.calls.size();
            String someImage = qualifying.keySet().iterator().next();
            ObjectNode v = StoreClient.object();
            v.putObject(":m").put("N", "1");
            store.update("images", someImage, "SET faces_done = :m", v);
            Thread.sleep(800);
            assertEquals(callsBefore, function.calls.size(), "a mark-only change fired the trigger");
            // ... while a real change still does
            store.update("images", someImage, "SET image_uri = :u", s(":u", "s3://b/again"));
            assertTrue(await(20, () -> function.calls.size() == callsBefore + 1));
            assertTrue(heard.problems.isEmpty(), heard.problems::toString);
        }
    }

    @Test
    void aStreamWithoutBothImagesIsAProblemNotAGuess() throws Exception {
        store.table("thumbs", "NEW_IMAGE");
        DecisionTable policy = policy("""
                role w
                allow w on table thumbs op read
                @id("t") trigger on table thumbs call "%s" as role w mark done
                """.formatted(function.url("/t")));
        Heard heard = new Heard();
        try (LifecycleWorker w = worker(store, policy, "A", Duration.ofSeconds(3), heard).start()) {
            store.put("thumbs", item("x", "image", "u", false));
            assertTrue(await(10, () -> !heard.problems.isEmpty()));
            assertTrue(heard.problems.getFirst().contains("NEW_AND_OLD_IMAGES"), heard.problems::toString);
            Thread.sleep(300);
            assertEquals(0, function.calls.size());
        }
    }

    /**
     * Lag per shard: while the runner handles records that were 2.5 s old when it read them, it
     * says it is that far behind; once it has read to the tip, 0.
     */
    @Test
    void eachShardSaysHowFarBehindItIs() throws Exception {
        DecisionTable policy = policy(policyText(1));
        function.delay(400);
        for (int i = 0; i < 4; i++) store.put("images", item("old" + i, "image", "u" + i, false));
        Thread.sleep(2_500);
        Heard heard = new Heard();
        try (LifecycleWorker w = worker(store, policy, "A", Duration.ofSeconds(3), heard).start()) {
            long most = -1;
            long until = System.nanoTime() + 20_000_000_000L;
            while (function.calls.size() < 4 && System.nanoTime() < until) {
                for (long ms : w.behindMillis().values()) most = Math.max(most, ms);
                Thread.sleep(20);
            }
            assertEquals(4, function.calls.size());
            assertTrue(most >= 1_500, "behind while handling records 2.5 s old: " + most + " ms");
            assertTrue(await(20, () -> !w.behindMillis().isEmpty() && w.behindMillis().values().stream().allMatch(ms -> ms == 0)),
                    "at the tip once read up: " + w.behindMillis());
            assertEquals(w.running(), w.behindMillis().keySet(), "one figure per shard it runs");
        }
    }

    @Test
    void removeEventsAreCalledButLeaveNoStub() throws Exception {
        DecisionTable policy = policy("""
                role w
                allow w on table images op read
                @id("gone") trigger on table images when [REMOVE] call "%s" as role w mark gone_done
                """.formatted(function.url("/gone")));
        Heard heard = new Heard();
        try (LifecycleWorker w = worker(store, policy, "A", Duration.ofSeconds(3), heard).start()) {
            store.put("images", item("a", "image", "u", false));
            store.delete("images", "a");
            assertTrue(await(20, () -> function.calls.size() == 1));
            assertEquals("REMOVE", function.calls.getFirst().body().path("records").get(0).path("eventName").asText());
            Thread.sleep(300);
            assertEquals(List.of(), store.scan("images"), "the mark must not bring a deleted item back");
        }
    }

    /**
     * A deletion by time to live reaches a REMOVE trigger with DynamoDB's service identity, so the function can
     * tell it, when the role sees the whole item in clear; a role that does not see the time-to-live attribute
     * gets the REMOVE without it (the identity would tell that the hidden attribute held a time now past).
     */
    @Test
    void aDeletionByTimeToLiveCarriesTheServiceIdentity() throws Exception {
        function.close();
        store.close();
        store = new StoreFixture(Duration.ofMillis(100));
        function = new FunctionServer(dev.weir.lifecycle.Fixtures.SECRET);
        store.table("images", "NEW_AND_OLD_IMAGES");
        ObjectNode ttl = StoreClient.object();
        ttl.put("TableName", "images");
        ttl.putObject("TimeToLiveSpecification").put("AttributeName", "expires").put("Enabled", true);
        store.client.dynamo("UpdateTimeToLive", ttl);
        DecisionTable policy = policy("""
                role w
                role narrow
                allow w on table images op read
                allow narrow on table images op read
                  fields [id, kind, image_uri, uploader, secret]
                @id("gone") trigger on table images when [REMOVE] call "%s" as role w mark gone_done
                @id("gone-narrow") trigger on table images when [REMOVE] call "%s" as role narrow mark gone_narrow
                """.formatted(function.url("/gone"), function.url("/narrow")));
        try (LifecycleWorker w = worker(store, policy, "A", Duration.ofSeconds(3), new Heard()).start()) {
            store.put("images", item("by-hand", "image", "u", false));
            store.delete("images", "by-hand");
            ObjectNode expiring = item("by-ttl", "image", "u", false);
            expiring.putObject("expires").put("N", Long.toString(System.currentTimeMillis() / 1000 - 10));
            store.put("images", expiring);
            assertTrue(await(20, () -> function.calls.stream().mapToInt(c -> c.body().path("records").size()).sum() == 4));
            List<JsonNode> records = new ArrayList<>();
            List<JsonNode> narrow = new ArrayList<>();
            function.calls.forEach(c -> c.body().path("records").forEach(
                    c.body().path("trigger").asText().equals("gone") ? records::add : narrow::add));
            assertEquals(2, narrow.size());
            for (JsonNode r : narrow) {
                assertEquals("REMOVE", r.path("eventName").asText());
                assertTrue(r.path("userIdentity").isMissingNode(), r.toString());
            }
            JsonNode byHand = records.stream().filter(r -> r.path("dynamodb").path("Keys").path("id").path("S").asText()
                    .equals("by-hand")).findFirst().orElseThrow();
            JsonNode byTtl = records.stream().filter(r -> r.path("dynamodb").path("Keys").path("id").path("S").asText()
                    .equals("by-ttl")).findFirst().orElseThrow();
            assertEquals("REMOVE", byHand.path("eventName").asText());
            assertTrue(byHand.path("userIdentity").isMissingNode(), byHand.toString());
            assertEquals("REMOVE", byTtl.path("eventName").asText());
            assertEquals("Service", byTtl.path("userIdentity").path("Type").asText(), byTtl.toString());
            assertEquals("dynamodb.amazonaws.com", byTtl.path("userIdentity").path("PrincipalId").asText());
            assertEquals(byTtl.path("dynamodb").path("OldImage").path("expires").path("N").asText().length() > 0, true,
                    "the role sees the time-to-live attribute: " + byTtl);
        }
    }
}
