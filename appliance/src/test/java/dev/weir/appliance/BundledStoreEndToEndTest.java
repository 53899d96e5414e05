package dev.weir.appliance;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The walking skeleton in front of the bundled store, in the same process as the firewall. */
class BundledStoreEndToEndTest extends WalkingSkeletonEndToEndTest {
    @Override
    ApplianceProcess startWeir(Path home) throws Exception {
        return ApplianceProcess.start(home);
    }

    /**
     * On the path to weir, an admin's signed GetItem is turned into a DeleteItem of the same
     * key: the signature covers X-Amz-Target, so weir refuses it and the item stays. (Runs after
     * the ordered tests, whose audit count it would otherwise change.)
     */
    @Test
    void aSignedGetItemTurnedIntoADeleteItemOnThePathIsRefused() throws Exception {
        String body = "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"p-001\"}}}";
        byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String host = "127.0.0.1:" + weir().proxyPort;
        java.util.List<Map.Entry<String, String>> headers = new java.util.ArrayList<>(java.util.List.of(
                Map.entry("Host", host), Map.entry("Content-Type", "application/x-amz-json-1.0"),
                Map.entry("X-Amz-Target", "DynamoDB_20120810.GetItem")));
        headers.addAll(new dev.weir.protocol.sigv4.SigV4Signer(new dev.weir.protocol.sigv4.Credentials(
                "AKIAWEIRADMIN0000001", "weir-admin-secret"), "us-east-1", "dynamodb")
                .sign("POST", "/", headers, bytes, java.time.Instant.now()));
        HttpClient http = HttpClient.newHttpClient();
        for (String target : new String[] {"DeleteItem", "GetItem"}) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(weir().endpoint())).POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
            for (Map.Entry<String, String> h : headers) {
                if (h.getKey().equals("Host")) continue;
                b.header(h.getKey(), h.getKey().equals("X-Amz-Target") ? "DynamoDB_20120810." + target : h.getValue());
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (target.equals("DeleteItem")) {
                assertEquals(400, r.statusCode(), r.body());
                assertTrue(r.body().contains("InvalidSignatureException"), r.body());
            } else {
                assertEquals(200, r.statusCode(), r.body());
                assertTrue(r.body().contains("Ada Lovelace"), "the item is still there: " + r.body());
            }
        }
    }

    /**
     * Around weir, straight to the bundled store's port: a principal's key pair (valid at weir),
     * a guessed secret for weir's upstream key and an unsigned request are refused; only weir's
     * upstream key pair, which the appliance passed to the store it started, is served.
     */
    @Test
    void theBundledStoreAnswersOnlyWeirsUpstreamKeyPair() throws Exception {
        String store = "http://127.0.0.1:" + weir().storePort;
        Map<String, AttributeValue> key = Map.of("id", AttributeValue.fromS("p-001"));
        try (DynamoDbClient admin = DynamoClients.as(store, "AKIAWEIRADMIN0000001", "weir-admin-secret")) {
            DynamoDbException e = assertThrows(DynamoDbException.class, () -> admin.getItem(b -> b.tableName("people").key(key)));
            assertEquals("UnrecognizedClientException", e.awsErrorDetails().errorCode());
            e = assertThrows(DynamoDbException.class, () -> admin.scan(b -> b.tableName("people")));
            assertEquals("UnrecognizedClientException", e.awsErrorDetails().errorCode());
        }
        try (DynamoDbClient guess = DynamoClients.as(store, ApplianceProcess.UPSTREAM_KEY, "a-guess")) {
            DynamoDbException e = assertThrows(DynamoDbException.class, guess::listTables);
            assertEquals("InvalidSignatureException", e.awsErrorDetails().errorCode());
        }
        HttpResponse<String> unsigned = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(store))
                .header("X-Amz-Target", "DynamoDB_20120810.Scan").header("Content-Type", "application/x-amz-json-1.0")
                .POST(HttpRequest.BodyPublishers.ofString("{\"TableName\":\"people\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, unsigned.statusCode());
        assertTrue(unsigned.body().contains("MissingAuthenticationTokenException"), unsigned.body());
        try (DynamoDbClient upstream = DynamoClients.as(store, ApplianceProcess.UPSTREAM_KEY, ApplianceProcess.UPSTREAM_SECRET)) {
            upstream.listTables();
        }
    }
}
