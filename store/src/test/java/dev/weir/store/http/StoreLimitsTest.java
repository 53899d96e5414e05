package dev.weir.store.http;

import dev.weir.store.BundledStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DynamoDB's limits at the store's door, over HTTP: numbers, attribute names, key names,
 * nesting, each refused with DynamoDB's message before any work that grows faster than the
 * request (the CPU budget of each is {@code CpuBudgetEndToEndTest}'s, in the appliance).
 */
class StoreLimitsTest {
    @TempDir
    static Path dir;
    static BundledStore store;
    static URI uri;
    static final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        store = BundledStore.open(dir, SignedHttp.CREDENTIALS);
        InetSocketAddress address = store.listen("127.0.0.1", 0);
        uri = URI.create("http://127.0.0.1:" + address.getPort() + "/");
        assertEquals(200, call("CreateTable", """
                {"TableName":"limits","AttributeDefinitions":[{"AttributeName":"k","AttributeType":"N"}],
                 "KeySchema":[{"AttributeName":"k","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"}""").statusCode());
    }

    @AfterAll
    static void stop() {
        store.close();
    }

    private static HttpResponse<String> call(String op, String body) throws Exception {
        return http.send(SignedHttp.post(uri, "DynamoDB_20120810." + op, "application/x-amz-json-1.0", body).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void refused(HttpResponse<String> r, String type, String message) {
        assertEquals(400, r.statusCode(), r.body());
        String prefix = type.equals("ValidationException") ? "com.amazon.coral.validate#" : "com.amazon.coral.service#";
        assertEquals("{\"__type\":\"" + prefix + type + "\",\"message\":\"" + message + "\"}", r.body());
    }

    @Test
    void numbersOverTheLimitsAreRefusedInKeysItemsAndValues() throws Exception {
        refused(call("GetItem", "{\"TableName\":\"limits\",\"Key\":{\"k\":{\"N\":\"" + "1".repeat(1_000_000) + "\"}}}"),
                "ValidationException", "Number overflow. Attempting to store a number with magnitude larger than supported range");
        refused(call("PutItem", "{\"TableName\":\"limits\",\"Item\":{\"k\":{\"N\":\"1\"},\"a\":{\"NS\":[\"1\",\"1E-131\"]}}}"),
                "ValidationException", "Number underflow. Attempting to store a number with magnitude smaller than supported range");
        refused(call("UpdateItem", "{\"TableName\":\"limits\",\"Key\":{\"k\":{\"N\":\"1\"}},\"UpdateExpression\":\"SET a = :v\","
                        + "\"ExpressionAttributeValues\":{\":v\":{\"L\":[{\"N\":\"" + "3".repeat(39) + "\"}]}}}"),
                "ValidationException", "ExpressionAttributeValues contains invalid value: Attempting to store more than 38 "
                        + "significant digits in a Number for key :v");
        // a value that no expression uses is still checked, as DynamoDB checks every value it is sent
        refused(call("GetItem", "{\"TableName\":\"limits\",\"Key\":{\"k\":{\"N\":\"1\"}},\"ProjectionExpression\":\"a\","
                        + "\"ExpressionAttributeValues\":{\":v\":{\"N\":\"1e126\"}}}"),
                "ValidationException", "ExpressionAttributeValues contains invalid value: Number overflow. Attempting to store a "
                        + "number with magnitude larger than supported range for key :v");
        assertEquals(200, call("PutItem", "{\"TableName\":\"limits\",\"Item\":{\"k\":{\"N\":\"0001.000\"},\"big\":{\"N\":\""
                + "9.9999999999999999999999999999999999999E+125\"}}}").statusCode());
        HttpResponse<String> read = call("GetItem", "{\"TableName\":\"limits\",\"Key\":{\"k\":{\"N\":\"1\"}}}");
        assertTrue(read.body().contains("\"big\":{\"N\":\"" + "9".repeat(38) + "0".repeat(88) + "\"}"), read.body());
    }

    /** 65,535 UTF-8 bytes is the longest attribute name; 32,768 two-byte characters are one byte too many. */
    @Test
    void attributeNamesOverSixtyFourKilobytesAreRefused() throws Exception {
        String tooLarge = "1 validation error detected: Attribute name is too large, must be less than 65536 bytes";
        refused(call("PutItem", "{\"TableName\":\"limits\",\"Item\":{\"k\":{\"N\":\"2\"},\"" + "\u00e9".repeat(32_768)
                + "\":{\"S\":\"x\"}}}"), "ValidationException", tooLarge);
        refused(call("PutItem", "{\"TableName\":\"limits\",\"Item\":{\"k\":{\"N\":\"2\"},\"m\":{\"M\":{\"" + "\u00e9".repeat(32_768)
                + "\":{\"S\":\"x\"}}}}}"), "ValidationException", tooLarge);
        assertEquals(200, call("PutItem", "{\"TableName\":\"limits\",\"Item\":{\"k\":{\"N\":\"2\"},\"" + "\u00e9".repeat(32_767)
                + "\":{\"S\":\"x\"}}}").statusCode());
        // in a value of an expression and in ExpressionAttributeNames, with the same message (not "contains invalid value")
        refused(call("UpdateItem", "{\"TableName\":\"limits\",\"Key\":{\"k\":{\"N\":\"2\"}},\"UpdateExpression\":\"SET m = :v\","
                + "\"ExpressionAttributeValues\":{\":v\":{\"M\":{\"" + "n".repeat(65_536) + "\":{\"S\":\"x\"}}}}}"),
                "ValidationException", tooLarge);
        refused(call("UpdateItem", "{\"TableName\":\"limits\",\"Key\":{\"k\":{\"N\":\"2\"}},\"UpdateExpression\":\"SET #n = :v\","
                + "\"ExpressionAttributeNames\":{\"#n\":\"" + "n".repeat(65_536) + "\"},\"ExpressionAttributeValues\":"
                + "{\":v\":{\"S\":\"x\"}}}"), "ValidationException", tooLarge);
    }

    /**
     * DynamoDB reads the whole request before it validates it: a value of the wrong JSON shape
     * is a SerializationException even after a number over the limits.
     */
    @Test
    void aMalformedValueIsReportedBeforeANumberOverTheLimits() throws Exception {
        HttpResponse<String> r = call("PutItem", "{\"TableName\":\"limits\",\"Item\":{\"k\":{\"N\":\"4\"},"
                + "\"a\":{\"N\":\"1e999\"},\"b\":{\"S\":1}}}");
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("SerializationException"), r.body());
        r = call("UpdateItem", "{\"TableName\":\"limits\",\"Key\":{\"k\":{\"N\":\"4\"}},\"UpdateExpression\":\"SET a = :a, b = :b\","
                + "\"ExpressionAttributeValues\":{\":a\":{\"N\":\"" + "1".repeat(100) + "\"},\":b\":{\"BOOL\":\"no\"}}}");
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("SerializationException"), r.body());
    }

    /** Key attribute names (of tables and indexes) and names an index projects have at most 255 characters. */
    @Test
    void keyAttributeNamesOverTwoHundredFiftyFiveCharactersAreRefused() throws Exception {
        String name = "k".repeat(256);
        HttpResponse<String> r = call("CreateTable", "{\"TableName\":\"longkeys\",\"AttributeDefinitions\":[{\"AttributeName\":\""
                + name + "\",\"AttributeType\":\"S\"}],\"KeySchema\":[{\"AttributeName\":\"" + name + "\",\"KeyType\":\"HASH\"}],"
                + "\"BillingMode\":\"PAY_PER_REQUEST\"}");
        refused(r, "ValidationException", "2 validation errors detected: Value '" + name + "' at "
                + "'attributeDefinitions.1.member.attributeName' failed to satisfy constraint: Member must have length less than or "
                + "equal to 255; Value '" + name + "' at 'keySchema.1.member.attributeName' failed to satisfy constraint: Member must "
                + "have length less than or equal to 255");
        String longest = "k".repeat(255);
        assertEquals(200, call("CreateTable", "{\"TableName\":\"longkeys\",\"AttributeDefinitions\":[{\"AttributeName\":\""
                + longest + "\",\"AttributeType\":\"S\"}],\"KeySchema\":[{\"AttributeName\":\"" + longest
                + "\",\"KeyType\":\"HASH\"}],\"BillingMode\":\"PAY_PER_REQUEST\"}").statusCode());
        HttpResponse<String> projected = call("CreateTable", "{\"TableName\":\"projects\",\"AttributeDefinitions\":["
                + "{\"AttributeName\":\"k\",\"AttributeType\":\"S\"},{\"AttributeName\":\"g\",\"AttributeType\":\"S\"}],"
                + "\"KeySchema\":[{\"AttributeName\":\"k\",\"KeyType\":\"HASH\"}],\"BillingMode\":\"PAY_PER_REQUEST\","
                + "\"GlobalSecondaryIndexes\":[{\"IndexName\":\"byG\",\"KeySchema\":[{\"AttributeName\":\"g\",\"KeyType\":\"HASH\"}],"
                + "\"Projection\":{\"ProjectionType\":\"INCLUDE\",\"NonKeyAttributes\":[\"" + name + "\"]}}]}");
        refused(projected, "ValidationException", "1 validation error detected: Value '" + name + "' at "
                + "'globalSecondaryIndexes.1.member.projection.nonKeyAttributes.1.member' failed to satisfy constraint: Member must "
                + "have length less than or equal to 255");
    }

    /** JSON deeper than the reader's 1,000 levels is refused as unreadable; a document deeper than 32 levels as DynamoDB does. */
    @Test
    void deepDocumentsAreRefused() throws Exception {
        HttpResponse<String> deep = call("PutItem", "{\"TableName\":\"limits\",\"Item\":{\"k\":{\"N\":\"3\"},\"d\":"
                + "{\"L\":[".repeat(5_000) + "]}".repeat(5_000) + "}}");
        assertEquals(400, deep.statusCode());
        assertTrue(deep.body().contains("SerializationException"), deep.body());
        refused(call("PutItem", "{\"TableName\":\"limits\",\"Item\":{\"k\":{\"N\":\"3\"},\"d\":"
                        + "{\"M\":{\"a\":".repeat(32) + "{\"S\":\"x\"}" + "}}".repeat(32) + "}}"),
                "ValidationException", "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels "
                        + "beyond supported limit");
        assertEquals(200, call("PutItem", "{\"TableName\":\"limits\",\"Item\":{\"k\":{\"N\":\"3\"},\"d\":"
                + "{\"M\":{\"a\":".repeat(31) + "{\"S\":\"x\"}" + "}}".repeat(31) + "}}").statusCode());
    }
}
