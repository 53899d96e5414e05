package dev.weir.proxy.enforce;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.audit.event.AuditEvent;
import dev.weir.audit.fault.Tmpfs;
import dev.weir.audit.pipeline.AuditCounters;
import dev.weir.audit.pipeline.AuditPipeline;
import dev.weir.proxy.identity.Principal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The audit records of a fixed set of requests, field by field, against golden records kept in
 * {@code src/test/resources/audit/} (written by the audit step as it was before issue 16 moved
 * the derivation of events to the audit writer): every decision kind (allowed reads and writes of
 * each shape, masked, denied, a refused side channel, not permitted, unidentified callers, parse
 * errors, the store's 400 and 500, a put whose key schema cannot be read) in async mode, and in
 * sync mode the decision and outcome records, the record of a request not forwarded because its
 * decision record could not be made durable, and the record of an answer withheld because its
 * outcome record could not be (on a full tmpfs; needs root). Before each fill the test waits for
 * the shipping sink to save its offset file ({@link #settled}): that save, a write and a rename,
 * is the only other writer on the disk, and one that straddled the fill gave weir a page back.
 *
 * <p>What changes from run to run is checked, then left out of the comparison: the request id
 * (the one the client got), the time received (within the test's run), the time to decision and
 * to answer (0 &le; decision &le; answer; none in a decision record). Everything else must be identical. To write the golden
 * files again (only when a change of the records is intended): {@code -Dweir.audit.golden=write}.
 */
class AuditRecordsGoldenTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final boolean WRITE = "write".equals(System.getProperty("weir.audit.golden"));
    private static final String POLICY = """
            role admin
            role analyst
            role ingest
            @id("admin-all") allow admin on table * op *
            @id("people-read") allow analyst on table people op [GetItem, Query, Scan, BatchGetItem]
              fields [id, name, region, ssn, address.*]
              mask ssn show_last(4)
              remove address.street
            @id("no-secrets") deny analyst on table secrets op *
              reason "secrets are closed to analysts"
            @id("people-write") allow ingest on table people op [PutItem, UpdateItem, DeleteItem, BatchWriteItem, TransactWriteItems]
            """;
    private static final String SCHEMA = "{\"Table\":{\"TableName\":\"%s\",\"KeySchema\":[{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"}],"
            + "\"AttributeDefinitions\":[{\"AttributeName\":\"id\",\"AttributeType\":\"S\"}]}}";
    private static final String ITEM = "{\"id\":{\"S\":\"p-1\"},\"name\":{\"S\":\"Ada\"},\"region\":{\"S\":\"eu\"},"
            + "\"ssn\":{\"S\":\"123-45-6789\"},\"address\":{\"M\":{\"street\":{\"S\":\"Main St\"},\"city\":{\"S\":\"Oslo\"}}}}";

    @TempDir
    Path dir;

    /** A sink that refuses every record. */
    private static final dev.weir.audit.sink.AuditSink STUCK = new dev.weir.audit.sink.AuditSink() {
        @Override public void write(AuditEvent event) throws IOException {
            throw new IOException("this sink takes nothing");
        }

        @Override public void flush() {}

        @Override public void close() {}
    };

    /** What the stub store answers. */
    private static Map.Entry<Integer, String> store(String target, String body) {
        String table = body.replaceAll("(?s).*\"TableName\":\"([^\"]*)\".*", "$1");
        if (target.endsWith("DescribeTable")) {
            return table.equals("noschema") ? Map.entry(500, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\"}")
                    : Map.entry(200, SCHEMA.formatted(table));
        }
        if (table.equals("broken")) {
            return Map.entry(500, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\",\"message\":\"boom\"}");
        }
        if (table.equals("conditional")) {
            return Map.entry(400, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException\","
                    + "\"message\":\"The conditional request failed\"}");
        }
        if (target.endsWith("BatchGetItem")) return Map.entry(200, "{\"Responses\":{\"people\":[" + ITEM + "]},\"UnprocessedKeys\":{}}");
        if (target.endsWith("GetItem")) return Map.entry(200, "{\"Item\":" + ITEM + "}");
        if (target.endsWith("Query") || target.endsWith("Scan")) {
            return Map.entry(200, "{\"Items\":[" + ITEM + "," + ITEM.replace("p-1", "p-2") + "],\"Count\":2,\"ScannedCount\":2}");
        }
        return Map.entry(200, "{}");
    }

    /** One request: who sends it (a principal, or an access key and secret), what, and the case's name. */
    private record Call(String name, String accessKey, String secret, String op, String body) {
        static Call as(String name, String principal, String op, String body) {
            Principal p = FirewallHarness.principal(principal);
            return new Call(name, p.accessKeyId(), p.secretAccessKey(), op, body);
        }
    }

    private static final List<Call> ASYNC = List.of(
            Call.as("allowed GetItem", "admin", "GetItem", "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"p-1\"}},"
                    + "\"ProjectionExpression\":\"#n, address.city\",\"ExpressionAttributeNames\":{\"#n\":\"name\"}}"),
            Call.as("invalid Query: a reserved word", "admin", "Query", "{\"TableName\":\"people\",\"KeyConditionExpression\":\"id = :v\","
                    + "\"FilterExpression\":\"region = :r\",\"ExpressionAttributeValues\":{\":v\":{\"S\":\"p-1\"},\":r\":{\"S\":\"eu\"}}}"),
            Call.as("allowed Query", "admin", "Query", "{\"TableName\":\"people\",\"KeyConditionExpression\":\"id = :v\","
                    + "\"FilterExpression\":\"#r = :r\",\"ExpressionAttributeNames\":{\"#r\":\"region\"},\"ExpressionAttributeValues\":{\":v\":{\"S\":\"p-1\"},\":r\":{\"S\":\"eu\"}}}"),
            Call.as("allowed PutItem", "ingest", "PutItem", "{\"TableName\":\"people\",\"Item\":" + ITEM + "}"),
            Call.as("allowed UpdateItem", "admin", "UpdateItem", "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"p-1\"}},"
                    + "\"UpdateExpression\":\"SET #n = :n, address.city = :c REMOVE ssn\",\"ConditionExpression\":\"attribute_exists(id)\","
                    + "\"ExpressionAttributeNames\":{\"#n\":\"name\"},\"ExpressionAttributeValues\":{\":n\":{\"S\":\"Bo\"},\":c\":{\"S\":\"Rome\"}}}"),
            Call.as("refused leak: a write that reads what the writer may not", "ingest", "UpdateItem", "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"p-1\"}},"
                    + "\"UpdateExpression\":\"SET #n = :n, address.city = :c REMOVE ssn\",\"ConditionExpression\":\"attribute_exists(id)\","
                    + "\"ExpressionAttributeNames\":{\"#n\":\"name\"},\"ExpressionAttributeValues\":{\":n\":{\"S\":\"Bo\"},\":c\":{\"S\":\"Rome\"}}}"),
            Call.as("allowed DeleteItem", "ingest", "DeleteItem", "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"p-9\"}}}"),
            Call.as("allowed BatchWriteItem", "ingest", "BatchWriteItem", "{\"RequestItems\":{\"people\":["
                    + "{\"PutRequest\":{\"Item\":{\"id\":{\"S\":\"b-1\"},\"name\":{\"S\":\"B\"}}}},"
                    + "{\"DeleteRequest\":{\"Key\":{\"id\":{\"S\":\"b-0\"}}}}]}}"),
            Call.as("allowed TransactWriteItems", "ingest", "TransactWriteItems", "{\"TransactItems\":["
                    + "{\"Put\":{\"TableName\":\"people\",\"Item\":{\"id\":{\"S\":\"t-1\"},\"city\":{\"S\":\"Oslo\"}}}},"
                    + "{\"Update\":{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"b-1\"}},\"UpdateExpression\":\"SET score = :s\","
                    + "\"ExpressionAttributeValues\":{\":s\":{\"N\":\"5\"}}}}]}"),
            Call.as("allowed BatchGetItem", "admin", "BatchGetItem", "{\"RequestItems\":{\"people\":{\"Keys\":["
                    + "{\"id\":{\"S\":\"p-1\"}},{\"id\":{\"S\":\"p-2\"}}]},\"other\":{\"Keys\":[{\"id\":{\"S\":\"o-1\"}}]}}}"),
            Call.as("allowed DescribeTable", "admin", "DescribeTable", "{\"TableName\":\"people\"}"),
            Call.as("allowed ListTables", "admin", "ListTables", "{}"),
            Call.as("masked GetItem", "analyst", "GetItem", "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"p-1\"}}}"),
            Call.as("masked Query", "analyst", "Query", "{\"TableName\":\"people\",\"KeyConditionExpression\":\"id = :v\","
                    + "\"ExpressionAttributeValues\":{\":v\":{\"S\":\"p-1\"}}}"),
            Call.as("masked Scan", "analyst", "Scan", "{\"TableName\":\"people\",\"Limit\":5}"),
            Call.as("masked BatchGetItem", "analyst", "BatchGetItem", "{\"RequestItems\":{\"people\":{\"Keys\":[{\"id\":{\"S\":\"p-1\"}}]}}}"),
            Call.as("denied", "analyst", "GetItem", "{\"TableName\":\"secrets\",\"Key\":{\"id\":{\"S\":\"s-1\"}}}"),
            Call.as("refused leak: filter on a masked field", "analyst", "Scan", "{\"TableName\":\"people\","
                    + "\"FilterExpression\":\"begins_with(ssn, :p)\",\"ExpressionAttributeValues\":{\":p\":{\"S\":\"123\"}}}"),
            Call.as("refused leak: key on a masked field", "analyst", "GetItem", "{\"TableName\":\"people\","
                    + "\"Key\":{\"id\":{\"S\":\"p-1\"},\"ssn\":{\"S\":\"123-45-6789\"}}}"),
            Call.as("not permitted", "analyst", "PutItem", "{\"TableName\":\"people\",\"Item\":{\"id\":{\"S\":\"x\"}}}"),
            new Call("unidentified: wrong secret", "AKANALYST", "wrong", "PutItem", "{\"TableName\":\"people\",\"Item\":{\"id\":{\"S\":\"x\"}}}"),
            new Call("unidentified: unknown key", "AKNOBODY", "nobody", "Scan", "{\"TableName\":\"people\"}"),
            new Call("unidentified: no operation", "AKNOBODY", "nobody", "NoSuchThing", "{}"),
            Call.as("parse error: body", "admin", "GetItem", "{\"TableName\":\"people\",\"Key\":"),
            Call.as("parse error: expression", "admin", "Query", "{\"TableName\":\"people\",\"KeyConditionExpression\":\"id = = :v\","
                    + "\"ExpressionAttributeValues\":{\":v\":{\"S\":\"p-1\"}}}"),
            Call.as("parse error: unknown operation", "admin", "NoSuchThing", "{}"),
            Call.as("store 400", "admin", "PutItem", "{\"TableName\":\"conditional\",\"Item\":{\"id\":{\"S\":\"c-1\"}},"
                    + "\"ConditionExpression\":\"attribute_not_exists(id)\"}"),
            Call.as("store 500", "admin", "GetItem", "{\"TableName\":\"broken\",\"Key\":{\"id\":{\"S\":\"k\"}}}"),
            Call.as("key schema unreadable", "admin", "PutItem", "{\"TableName\":\"noschema\",\"Item\":{\"id\":{\"S\":\"n-1\"}}}"));

    @Test
    void asyncRecordsOfEveryDecisionKindAreAsBefore() throws Exception {
        List<ObjectNode> records = new ArrayList<>();
        long from = System.currentTimeMillis() * 1000;
        try (FirewallHarness weir = new FirewallHarness(POLICY, AuditRecordsGoldenTest::store, Map.of())) {
            for (Call c : ASYNC) {
                int before = weir.events.size();
                ProxyResponse r = weir.respond(c.accessKey(), c.secret(), c.op(), c.body());
                List<AuditEvent> mine = await(weir, before, 1);
                records.addAll(normalized(c.name(), r, mine, from));
            }
        }
        compare("async-records.jsonl", records);
    }

    /**
     * A record that would keep a large body alive while it waits for the writer is made on the
     * loop instead ({@link Auditor#held}): the same record either way. The large answer is an
     * item with a 200 KB attribute, over the 64 KB bound; its record must equal that of the same
     * read answered with a small item.
     */
    @Test
    void aRecordHoldingALargeBodyIsTheSameRecord() throws Exception {
        String big = ITEM.replace("\"name\":{\"S\":\"Ada\"}", "\"name\":{\"S\":\"" + "A".repeat(200_000) + "\"}");
        assertTrue(big.length() > Auditor.HELD_BYTES_PER_RECORD);
        String get = "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"p-1\"}}}";
        List<List<ObjectNode>> records = new ArrayList<>();
        long from = System.currentTimeMillis() * 1000;
        for (String item : List.of(ITEM, big)) {
            try (FirewallHarness weir = new FirewallHarness(POLICY, (target, body) -> target.endsWith("GetItem")
                    ? Map.entry(200, "{\"Item\":" + item + "}") : store(target, body), Map.of())) {
                Call c = Call.as("get", "admin", "GetItem", get);
                ProxyResponse r = weir.respond(c.accessKey(), c.secret(), c.op(), c.body());
                assertEquals(200, r.status());
                records.add(normalized("get", r, await(weir, 0, 1), from));
            }
        }
        assertEquals(records.get(0), records.get(1));
    }

    @Test
    void syncRecordsAndTheRecordsOfFailedDurabilityAreAsBefore() throws Exception {
        AtomicReference<Tmpfs> disk = new AtomicReference<>();
        AtomicReference<Path> filler = new AtomicReference<>();
        AtomicReference<AuditPipeline> pipeline = new AtomicReference<>();
        AtomicReference<Throwable> inStore = new AtomicReference<>();  // a failure in the store callback, reported by the test
        List<ObjectNode> records = new ArrayList<>();
        long from = System.currentTimeMillis() * 1000;
        try (Tmpfs tiny = Tmpfs.mount(dir.resolve("tiny"), "512k");
             FirewallHarness weir = new FirewallHarness(POLICY, (target, body) -> {
                 if (body.contains("fill-on-answer") && target.endsWith("PutItem")) {
                     try {
                         // the decision record is durable (and shipped, its offset saved); the outcome record will not be
                         settled(pipeline.get(), disk.get().dir.resolve("spool"));
                         filler.set(disk.get().fill());
                     } catch (IOException | AssertionError e) {
                         inStore.set(e);
                         throw new AssertionError(e);
                     }
                 }
                 return store(target, body);
             }, Map.of(), dev.weir.proxy.enforce.stream.UpstreamNumbers.REFUSED, sink -> {
                 try {
                     // Segments of 4 KiB, the least: a record of a big item starts a new segment file,
                     // which a full tmpfs refuses (a write into the last page of a segment may fit). A
                     // sink that never takes a record keeps every segment, so none is deleted to make room;
                     // the other sink's offset file is saved before each fill ({@link #settled}).
                     pipeline.set(AuditPipeline.spooled(new AuditPipeline.Options("test", 0, tiny.dir.resolve("spool"), 4096, 0,
                             AuditPipeline.Mode.SYNC, AuditPipeline.WhenFull.BLOCK, Duration.ofMillis(300), null, Duration.ofSeconds(1)),
                             List.of(new AuditPipeline.NamedSink("list", sink), new AuditPipeline.NamedSink("stuck", STUCK))));
                     return pipeline.get();
                 } catch (IOException e) {
                     throw new AssertionError(e);
                 }
             })) {
            disk.set(tiny);
            Principal ingest = FirewallHarness.principal("ingest");
            Principal analyst = FirewallHarness.principal("analyst");

            int before = weir.events.size();
            ProxyResponse put = weir.respond(ingest.accessKeyId(), ingest.secretAccessKey(), "PutItem",
                    "{\"TableName\":\"people\",\"Item\":" + ITEM + "}");
            records.addAll(normalized("sync PutItem", put, await(weir, before, 2), from));

            before = weir.events.size();
            ProxyResponse read = weir.respond(analyst.accessKeyId(), analyst.secretAccessKey(), "GetItem",
                    "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"p-1\"}}}");
            records.addAll(normalized("sync masked GetItem", read, await(weir, before, 2), from));

            before = weir.events.size();
            ProxyResponse denied = weir.respond(analyst.accessKeyId(), analyst.secretAccessKey(), "GetItem",
                    "{\"TableName\":\"secrets\",\"Key\":{\"id\":{\"S\":\"s-1\"}}}");
            records.addAll(normalized("sync denied", denied, await(weir, before, 1), from));

            before = weir.events.size();
            settled(pipeline.get(), tiny.dir.resolve("spool"));
            Path full = tiny.fill();
            ProxyResponse notForwarded = weir.respond(ingest.accessKeyId(), ingest.secretAccessKey(), "PutItem",
                    "{\"TableName\":\"people\",\"Item\":" + bigItem("nf-1") + "}");
            assertEquals(500, notForwarded.status(), new String(notForwarded.body(), StandardCharsets.UTF_8));
            Files.delete(full);
            records.addAll(normalized("sync not forwarded", notForwarded, await(weir, before, 2), from));

            before = weir.events.size();
            ProxyResponse withheld = weir.respond(ingest.accessKeyId(), ingest.secretAccessKey(), "PutItem",
                    "{\"TableName\":\"people\",\"Item\":" + bigItem("fill-on-answer") + "}");
            if (inStore.get() != null) throw new AssertionError("the store callback failed", inStore.get());
            assertEquals(500, withheld.status(), new String(withheld.body(), StandardCharsets.UTF_8));
            Files.delete(filler.get());
            records.addAll(normalized("sync answer withheld", withheld, await(weir, before, 3), from));
        }
        compare("sync-records.jsonl", records);
    }

    /**
     * Waits until the "list" sink has shipped every spooled record and saved its offset file
     * ({@code SPOOL/list.offset}) at the spool's end, so that nothing else writes to the small
     * disk until weir writes its next record. The offset is saved by writing a new file and
     * renaming it over the old one, which frees the old file's page: a save whose write came
     * before a {@link Tmpfs#fill} ended and whose rename came after (a shipper thread held up
     * between the two, which a loaded machine does) gave the next record a free page, so the
     * record the test means to fail was written and made durable (a 200 where the test expects
     * its 500). Once the offset is saved at the end, the shipper saves again only after it has
     * shipped another record, and the stuck sink never commits, so never saves.
     */
    private static void settled(AuditPipeline pipeline, Path spool) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        Path offset = spool.resolve("list.offset");
        while (true) {
            AuditCounters c = pipeline.counters();
            long committed = c.sinks().stream().filter(s -> s.name().equals("list")).findFirst().orElseThrow().committed();
            String saved = Files.exists(offset) ? Files.readString(offset).trim() : "";
            if (committed == c.spoolEnd() && saved.equals(Long.toString(c.spoolEnd()))) return;
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the list sink did not settle: spool end " + c.spoolEnd() + ", committed " + committed
                        + ", saved '" + saved + "'");
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** An item whose record is over 2 KiB (its attribute names are the paths it writes), so each gets a segment of its own. */
    private static String bigItem(String id) {
        StringBuilder item = new StringBuilder("{\"id\":{\"S\":\"" + id + "\"}");
        for (int i = 0; i < 80; i++) item.append(",\"an_attribute_with_a_long_name_").append(i).append("\":{\"N\":\"").append(i).append("\"}");
        return item.append('}').toString();
    }

    /** The {@code count} events recorded after the first {@code before}, in sequence order. */
    private static List<AuditEvent> await(FirewallHarness weir, int before, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (weir.events.size() < before + count) {
            if (System.nanoTime() > deadline) throw new AssertionError("only " + (weir.events.size() - before) + " of " + count + " records");
            Thread.sleep(2);
        }
        Thread.sleep(20);
        assertEquals(before + count, weir.events.size(), "no more records than expected");
        return weir.events.subList(before, before + count).stream()
                .sorted(java.util.Comparator.comparingLong(AuditEvent::sequence)).toList();
    }

    /** The records as JSON, with what varies from run to run checked and left out. */
    private static List<ObjectNode> normalized(String name, ProxyResponse response, List<AuditEvent> events, long from) {
        long to = System.currentTimeMillis() * 1000 + 1000;
        List<ObjectNode> out = new ArrayList<>();
        for (AuditEvent e : events) {
            assertEquals(response.requestId(), e.requestId(), name + ": the record carries the client's request id");
            assertTrue(e.timeMicros() >= from && e.timeMicros() <= to, name + ": received " + e.timeMicros());
            assertTrue(e.decideMicros() >= 0, name + ": decided " + e.decideMicros());
            assertTrue(e.latencyMicros() == 0 || e.latencyMicros() >= e.decideMicros(), name + ": answered " + e.latencyMicros());
            ObjectNode n = JSON.valueToTree(e);
            n.put("requestId", "REQUEST-ID").put("timeMicros", 0).put("decideMicros", 0);
            if (AuditEvent.DECISION.equals(e.phase())) assertEquals(0, e.latencyMicros(), name + ": a decision record has no answer");
            else n.put("latencyMicros", "answered");
            ObjectNode row = JSON.createObjectNode().put("case", name);
            row.set("record", n);
            out.add(row);
        }
        return out;
    }

    private static void compare(String file, List<ObjectNode> records) throws IOException {
        Path golden = Path.of("src/test/resources/audit", file);
        StringBuilder text = new StringBuilder();
        for (ObjectNode r : records) text.append(JSON.writeValueAsString(r)).append('\n');
        if (WRITE) {
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, text.toString());
            return;
        }
        List<String> want = Files.readAllLines(golden);
        List<String> got = text.toString().lines().toList();
        for (int i = 0; i < Math.min(want.size(), got.size()); i++) {
            assertEquals(want.get(i), got.get(i), file + " record " + (i + 1));
        }
        assertEquals(want.size(), got.size(), file + ": the number of records");
    }
}
