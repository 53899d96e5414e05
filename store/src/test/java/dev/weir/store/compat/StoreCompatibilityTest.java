package dev.weir.store.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.wire.Crc32;
import dev.weir.store.BundledStore;
import dev.weir.store.StoreTestCredentials;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The DynamoDB-compatibility suite against the bundled store over HTTP, every case of
 * {@code compat/cases.json} in file order (the operation cases build on one another): the
 * exact status, {@code __type}, message and its member's name, and where the case gives them
 * the body, CRC-32, content type and content encoding. Every answer's {@code x-amz-crc32} is
 * checked against the bytes received.
 */
class StoreCompatibilityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static BundledStore store;
    static RawDynamo client;

    @BeforeAll
    static void start() {
        store = BundledStore.open(dir, StoreTestCredentials.CREDENTIALS);
        var address = store.listen("127.0.0.1", 0);
        client = new RawDynamo(URI.create("http://127.0.0.1:" + address.getPort() + "/"), StoreTestCredentials.CREDENTIALS);
        for (String table : List.of("compat", "compat2")) {
            RawDynamo.Answer a = client.send("POST", "DynamoDB_20120810.CreateTable", "application/x-amz-json-1.0", """
                    {"TableName":"%s","AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],
                     "KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"}""".formatted(table),
                    true, null, false, false);
            assertEquals(200, a.status(), a.text());
        }
        // enough items that a Scan's answer is worth compressing
        for (int i = 0; i < 40; i++) {
            assertEquals(200, client.send("POST", "DynamoDB_20120810.PutItem", "application/x-amz-json-1.0",
                    "{\"TableName\":\"compat\",\"Item\":{\"id\":{\"S\":\"bulk-" + i + "\"},\"text\":{\"S\":\"" + "x".repeat(100) + "\"}}}",
                    true, null, false, false).status());
        }
    }

    @AfterAll
    static void stop() {
        if (store != null) store.close();
    }

    @TestFactory
    Stream<DynamicTest> everyCase() {
        return CompatCase.all().stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> check(c, client.send(c))));
    }

    /** The suite covers what the issue names: serialization, validation, HTTP edges, and every operation the store serves. */
    @Test
    void theSuiteCoversEveryGroupAndOperation() {
        Map<String, Long> groups = CompatCase.all().stream().collect(Collectors.groupingBy(CompatCase::group, TreeMap::new, Collectors.counting()));
        assertEquals(List.of("http", "operations", "serialization", "validation"), List.copyOf(groups.keySet()));
        for (long n : groups.values()) assertTrue(n >= 15, groups.toString());
        var targets = CompatCase.all().stream().map(CompatCase::target).filter(t -> t != null && t.contains(".")).map(t -> t.substring(t.indexOf('.') + 1))
                .collect(Collectors.toSet());
        for (String op : List.of("GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan", "BatchGetItem", "BatchWriteItem",
                "TransactGetItems", "TransactWriteItems", "CreateTable", "DeleteTable", "UpdateTable", "DescribeTable", "ListTables",
                "UpdateTimeToLive", "DescribeTimeToLive", "ListTagsOfResource", "ListStreams", "DescribeStream")) {
            assertTrue(targets.contains(op), op);
        }
    }

    /** Checks {@code a} against everything case {@code c} says of DynamoDB's answer. */
    static void check(CompatCase c, RawDynamo.Answer a) {
        String text = a.text();
        assertEquals(c.status(), a.status(), text);
        String crc = a.header("x-amz-crc32");
        assertEquals(Crc32.of(a.raw()), crc, "x-amz-crc32 is the CRC-32 of the bytes sent");
        if (c.crc32() != null) assertEquals(c.crc32(), crc, text);
        assertNotNull(a.header("x-amzn-requestid"));
        if (c.rawBody() != null) assertEquals(c.rawBody(), text);
        if (c.responseType() != null) assertEquals(c.responseType(), a.header("content-type"));
        if (c.contentEncoding() != null) {
            assertEquals(c.contentEncoding().isEmpty() ? null : c.contentEncoding(), a.header("content-encoding"));
        }
        if (c.bodyContains() != null) assertTrue(text.contains(c.bodyContains()), text);
        if (c.type() == null) {
            if (c.status() == 400) throw new AssertionError("a case of an error names its type");
            return;
        }
        JsonNode body = parse(text);
        assertEquals(c.type(), body.path("__type").asText(), text);
        if (c.message() != null) {
            assertEquals(c.message(), body.path(c.messageMember()).asText(null), text);
            String other = c.messageMember().equals("Message") ? "message" : "Message";
            assertNull(body.get(other), "the message is in " + c.messageMember() + " only: " + text);
        }
        if (c.bodyContains() == null) {
            ObjectNode expected = JSON.createObjectNode().put("__type", c.type());
            if (c.message() != null) expected.put(c.messageMember(), c.message());
            assertEquals(expected, body, "the whole body");
        }
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
