package dev.weir.proxy.enforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.proxy.enforce.stream.UpstreamNumbers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Streams API through the firewall, against a stub upstream answering with
 * DynamoDB-shaped Streams JSON: a NEW_AND_OLD_IMAGES stream on {@code people} (keys id), one
 * shard whose upstream iterators are positions {@code pos:N}, and a stream on {@code secrets}
 * the analyst may not read. The same against the bundled store waits for its Streams support
 * (appliance StreamsLeakEndToEndTest).
 */
class StreamsFirewallTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ARN = "arn:aws:dynamodb:us-east-1:000000000000:table/people/stream/2026-12-06T12:00:00.000";
    private static final String SECRET_ARN = "arn:aws:dynamodb:us-east-1:000000000000:table/secrets/stream/2026-12-06T12:00:00.000";
    private static final String POLICY = """
            role admin
            role analyst
            role ingest
            allow admin on table * op *
            @id("analyst-read")
            allow analyst on table people op read
              rows where item.region == principal.region
              fields [id, name, region]
              mask name show_last(2)
            allow ingest on table people op [GetItem]
            """;

    private static final List<String> RECORDS = new ArrayList<>();

    static {
        RECORDS.add(record("e0", "INSERT", null, item("a", "us", "Alice Ames")));
        RECORDS.add(record("e1", "INSERT", null, item("b", "eu", "Bob Brown")));
        RECORDS.add(record("e2", "MODIFY", item("a", "us", "Alice Ames"), item("a", "eu", "Alice Ames")));
        RECORDS.add(record("e3", "MODIFY", item("b", "eu", "Bob Brown"), item("b", "us", "Bob Brown")));
        RECORDS.add(record("e4", "REMOVE", item("c", "us", "Carl Cole"), null));
    }

    private static String item(String id, String region, String name) {
        return "{\"id\":{\"S\":\"" + id + "\"},\"region\":{\"S\":\"" + region + "\"},\"name\":{\"S\":\"" + name
                + "\"},\"salary\":{\"N\":\"123456\"}}";
    }

    private static String record(String id, String event, String oldImage, String newImage) {
        String key = (newImage != null ? newImage : oldImage).replaceAll("^\\{(\"id\":\\{\"S\":\"[a-z]\"\\}).*", "{$1}");
        return "{\"eventID\":\"" + id + "\",\"eventName\":\"" + event + "\",\"eventVersion\":\"1.1\",\"eventSource\":\"aws:dynamodb\","
                + "\"awsRegion\":\"us-east-1\",\"dynamodb\":{\"ApproximateCreationDateTime\":1767225600,\"Keys\":" + key
                + (newImage == null ? "" : ",\"NewImage\":" + newImage) + (oldImage == null ? "" : ",\"OldImage\":" + oldImage)
                + ",\"SequenceNumber\":\"0000017672256000000" + id.substring(1) + "\",\"SizeBytes\":80,"
                + "\"StreamViewType\":\"NEW_AND_OLD_IMAGES\"}}";
    }

    private static Map.Entry<Integer, String> answer(String target, String body) {
        try {
            JsonNode req = JSON.readTree(body);
            String op = target.substring(target.indexOf('.') + 1);
            return switch (op) {
                case "ListStreams" -> {
                    String table = req.path("TableName").asText(null);
                    List<String> s = new ArrayList<>();
                    if (table == null || table.equals("secrets")) s.add("{\"StreamArn\":\"" + SECRET_ARN + "\",\"TableName\":\"secrets\",\"StreamLabel\":\"2026-12-06T12:00:00.000\"}");
                    if (table == null || table.equals("people")) s.add("{\"StreamArn\":\"" + ARN + "\",\"TableName\":\"people\",\"StreamLabel\":\"2026-12-06T12:00:00.000\"}");
                    int limit = req.path("Limit").asInt(100);
                    int from = req.has("ExclusiveStartStreamArn") ? (req.get("ExclusiveStartStreamArn").asText().equals(SECRET_ARN) ? 1 : 2) : 0;
                    if (table != null) from = 0;
                    List<String> page = s.subList(Math.min(from, s.size()), Math.min(s.size(), from + limit));
                    boolean more = from + limit < s.size();
                    yield Map.entry(200, "{\"Streams\":[" + String.join(",", page) + "]"
                            + (more ? ",\"LastEvaluatedStreamArn\":" + JSON.readTree(page.getLast()).get("StreamArn") : "") + "}");
                }
                case "DescribeStream" -> Map.entry(200, "{\"StreamDescription\":{\"StreamArn\":\"" + ARN + "\",\"StreamLabel\":\"x\","
                        + "\"StreamStatus\":\"ENABLED\",\"StreamViewType\":\"NEW_AND_OLD_IMAGES\",\"CreationRequestDateTime\":1767225600,"
                        + "\"TableName\":\"people\",\"KeySchema\":[{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"}],"
                        + "\"Shards\":[{\"ShardId\":\"shardId-1\",\"SequenceNumberRange\":{\"StartingSequenceNumber\":\"1\"},\"Secret\":\"x\"}],"
                        + "\"ItemCount\":5}}");
                case "GetShardIterator" -> Map.entry(200, req.path("ShardId").asText().equals("shardId-expired")
                        ? "{\"ShardIterator\":\"pos:expired\"}" : "{\"ShardIterator\":\"pos:0\"}");
                case "GetRecords" -> {
                    String it = req.path("ShardIterator").asText();
                    if (it.equals("pos:expired")) {
                        yield Map.entry(400, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ExpiredIteratorException\",\"message\":\"Iterator expired\"}");
                    }
                    int pos = Integer.parseInt(it.substring(4));
                    int end = Math.min(RECORDS.size(), pos + req.path("Limit").asInt(1000));
                    yield Map.entry(200, "{\"Records\":[" + String.join(",", RECORDS.subList(pos, end)) + "],\"NextShardIterator\":\"pos:" + end + "\"}");
                }
                default -> Map.entry(400, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#UnknownOperationException\"}");
            };
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private FirewallHarness weir;

    private FirewallHarness weir(UpstreamNumbers numbers) throws IOException {
        weir = new FirewallHarness(POLICY, StreamsFirewallTest::answer, Map.of(), numbers);
        return weir;
    }

    @AfterEach
    void close() {
        if (weir != null) weir.close();
    }

    private static JsonNode json(FirewallHarness.Exchange e) throws IOException {
        assertEquals(200, e.status(), e.body());
        return JSON.readTree(e.body());
    }

    private String iterator(String principal) throws IOException {
        return json(weir.call(principal, "GetShardIterator", "{\"StreamArn\":\"" + ARN
                + "\",\"ShardId\":\"shardId-1\",\"ShardIteratorType\":\"TRIM_HORIZON\"}")).get("ShardIterator").asText();
    }

    @Test
    void theAnalystSeesOnlyItsViewOfEveryRecord() throws IOException {
        weir(UpstreamNumbers.COUNT_FREE);
        String it = iterator("analyst");
        assertTrue(it.startsWith("weir1:") && !it.contains("pos:"), "weir's sealed iterator, never the upstream's");

        List<String> seen = new ArrayList<>();
        List<JsonNode> records = new ArrayList<>();
        while (it != null) {
            FirewallHarness.Exchange e = weir.call("analyst", "GetRecords", "{\"ShardIterator\":\"" + it + "\",\"Limit\":1}");
            JsonNode page = json(e);
            assertTrue(page.get("Records").size() <= 1);
            for (JsonNode r : page.get("Records")) {
                seen.add(r.get("eventID").asText() + ":" + r.get("eventName").asText());
                records.add(r);
            }
            if (page.get("Records").isEmpty()) break;
            it = page.path("NextShardIterator").asText(null);
            assertTrue(it.startsWith("weir1:"));
        }
        assertEquals(List.of("e1:INSERT", "e2:INSERT", "e3:REMOVE"), seen,
                "us rows hidden; a row moving into view is an INSERT, out of view a REMOVE");
        String all = records.toString();
        assertFalse(all.contains("123456"), "salary is not in the analyst's fields");
        assertFalse(all.contains("Bob Brown") || all.contains("Alice Ames"), "names are masked");
        assertFalse(records.get(2).get("dynamodb").has("NewImage"), "the image out of view is not shown");
        assertFalse(records.get(1).get("dynamodb").has("OldImage"), "the image before, out of view, is not shown");
        assertFalse(all.contains("\"us\""), "nothing of a us image reaches the analyst");
    }

    @Test
    void theAuditNamesTheRecordsKeysAndTheDroppedCount() throws IOException {
        weir(UpstreamNumbers.COUNT_FREE);
        String it = iterator("analyst");
        FirewallHarness.Exchange e = weir.call("analyst", "GetRecords", "{\"ShardIterator\":\"" + it + "\",\"Limit\":1}");
        assertEquals("GetRecords", e.event().operation());
        assertEquals("people", e.event().table());
        assertEquals("ALLOWED", e.event().decision());
        assertEquals(List.of("id=b"), e.event().itemKeys());
        assertEquals(1, e.event().rowsDropped());
        assertEquals(1, e.event().itemsReturned());
    }

    @Test
    void theAdminGetsTheStoresRecords() throws IOException {
        weir(UpstreamNumbers.REFUSED);
        JsonNode page = json(weir.call("admin", "GetRecords", "{\"ShardIterator\":\"" + iterator("admin") + "\"}"));
        assertEquals(5, page.get("Records").size());
        assertEquals(80, page.get("Records").get(0).get("dynamodb").get("SizeBytes").asInt());
        assertTrue(page.get("NextShardIterator").asText().startsWith("weir1:"));
    }

    @Test
    void forgedAndUpstreamIteratorsAreInvalid() throws IOException {
        weir(UpstreamNumbers.COUNT_FREE);
        for (String bad : List.of("pos:0", "weir1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "")) {
            FirewallHarness.Exchange e = weir.call("admin", "GetRecords", "{\"ShardIterator\":\"" + bad + "\"}");
            assertEquals(400, e.status());
            assertTrue(e.body().contains("ValidationException") && e.body().contains("Invalid ShardIterator"), e.body());
            assertEquals("INVALID", e.event().decision());
        }
        assertTrue(weir.forwarded.stream().noneMatch(f -> f.target().endsWith("GetRecords")), "nothing forwarded");
    }

    @Test
    void theDecisionIsMadeOnTheTableAndNow() throws IOException {
        weir(UpstreamNumbers.COUNT_FREE);
        FirewallHarness.Exchange e = weir.call("ingest", "GetShardIterator", "{\"StreamArn\":\"" + ARN
                + "\",\"ShardId\":\"shardId-1\",\"ShardIteratorType\":\"TRIM_HORIZON\"}");
        assertEquals(400, e.status());
        assertTrue(e.body().contains("AccessDeniedException") && e.body().contains("GetShardIterator"), e.body());
        // An admin's iterator is the admin's position, not a capability: the ingest principal may not read with it.
        FirewallHarness.Exchange stolen = weir.call("ingest", "GetRecords", "{\"ShardIterator\":\"" + iterator("admin") + "\"}");
        assertEquals(400, stolen.status());
        assertTrue(stolen.body().contains("AccessDeniedException"), stolen.body());
    }

    @Test
    void aStreamOfAnotherAccountIsForbiddenAndAMalformedArnInvalid() throws IOException {
        weir(UpstreamNumbers.COUNT_FREE);
        FirewallHarness.Exchange other = weir.call("admin", "DescribeStream", "{\"StreamArn\":\""
                + ARN.replace("000000000000", "111111111111") + "\"}");
        assertEquals("FORBIDDEN", other.event().decision());
        FirewallHarness.Exchange bad = weir.call("admin", "DescribeStream", "{\"StreamArn\":\"arn:aws:dynamodb:us-east-1:000000000000:table/people\"}");
        assertTrue(bad.body().contains("ValidationException"), bad.body());
    }

    @Test
    void listStreamsListsOnlyReadableTables() throws IOException {
        weir(UpstreamNumbers.COUNT_FREE);
        JsonNode all = json(weir.call("analyst", "ListStreams", "{}"));
        assertEquals(1, all.get("Streams").size());
        assertEquals("people", all.get("Streams").get(0).get("TableName").asText());
        assertNull(all.get("LastEvaluatedStreamArn"));
        JsonNode one = json(weir.call("analyst", "ListStreams", "{\"Limit\":1}"));
        assertEquals("people", one.get("Streams").get(0).get("TableName").asText(), "a hidden stream ends no page");
        assertFalse(one.toString().contains("secrets"), "and names no LastEvaluatedStreamArn");
        JsonNode hidden = json(weir.call("analyst", "ListStreams", "{\"TableName\":\"secrets\"}"));
        assertEquals(0, hidden.get("Streams").size(), "a table the caller may not read lists as one without a stream");
        assertEquals(2, json(weir.call("admin", "ListStreams", "{}")).get("Streams").size());
        FirewallHarness.Exchange zero = weir.call("admin", "ListStreams", "{\"Limit\":0}");
        assertTrue(zero.body().contains("ValidationException"), zero.body());
    }

    @Test
    void describeStreamForARestrictedViewIsRebuilt() throws IOException {
        weir(UpstreamNumbers.COUNT_FREE);
        JsonNode d = json(weir.call("analyst", "DescribeStream", "{\"StreamArn\":\"" + ARN + "\"}")).get("StreamDescription");
        assertEquals("NEW_AND_OLD_IMAGES", d.get("StreamViewType").asText());
        assertEquals("1", d.get("Shards").get(0).get("SequenceNumberRange").get("StartingSequenceNumber").asText());
        assertNull(d.get("ItemCount"), "members the plan does not name are withheld");
        assertNull(d.get("Shards").get(0).get("Secret"));
    }

    @Test
    void aForeignUpstreamRefusesRestrictedViewsByDefault() throws IOException {
        weir(UpstreamNumbers.REFUSED);
        for (String op : List.of("DescribeStream", "GetShardIterator")) {
            FirewallHarness.Exchange e = weir.call("analyst", op, "{\"StreamArn\":\"" + ARN
                    + "\"" + (op.equals("GetShardIterator") ? ",\"ShardId\":\"shardId-1\",\"ShardIteratorType\":\"LATEST\"" : "") + "}");
            assertEquals(400, e.status());
            assertTrue(e.body().contains("streams_reveal_counts"), e.body());
            assertEquals("FORBIDDEN", e.event().decision());
        }
        assertEquals(200, weir.call("admin", "DescribeStream", "{\"StreamArn\":\"" + ARN + "\"}").status());
    }

    @Test
    void aBadLimitIsAnsweredAsTheStoreAndDynamoDbAnswerIt() throws IOException {
        weir(UpstreamNumbers.COUNT_FREE);
        String it = iterator("analyst");
        FirewallHarness.Exchange e = weir.call("analyst", "GetRecords", "{\"ShardIterator\":\"" + it + "\",\"Limit\":1001}");
        assertEquals(400, e.status());
        assertTrue(e.body().contains("LimitExceededException"), e.body());
        FirewallHarness.Exchange zero = weir.call("analyst", "GetRecords", "{\"ShardIterator\":\"" + it + "\",\"Limit\":0}");
        assertTrue(zero.body().contains("greater than or equal to 1"), zero.body());
    }

    @Test
    void theUpstreamsErrorsComeBackAsTheyAre() throws IOException {
        weir(UpstreamNumbers.COUNT_FREE);
        FirewallHarness.Exchange e = weir.call("admin", "GetRecords", "{\"ShardIterator\":\"pos:expired\"}");
        assertTrue(e.body().contains("Invalid ShardIterator"), "an upstream iterator is never accepted from a client");
        String sealed = json(weir.call("analyst", "GetShardIterator", "{\"StreamArn\":\"" + ARN
                + "\",\"ShardId\":\"shardId-expired\",\"ShardIteratorType\":\"TRIM_HORIZON\"}")).get("ShardIterator").asText();
        FirewallHarness.Exchange expired = weir.call("analyst", "GetRecords", "{\"ShardIterator\":\"" + sealed + "\"}");
        assertEquals(400, expired.status());
        assertTrue(expired.body().contains("ExpiredIteratorException"), "expired by the upstream: its error as it is");
    }
}
