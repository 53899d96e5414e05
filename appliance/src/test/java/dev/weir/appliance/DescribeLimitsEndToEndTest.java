package dev.weir.appliance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.protocol.sigv4.Credentials;
import dev.weir.protocol.sigv4.SigV4Signer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DescribeLimitsResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DescribeLimits through weir with the sample policy: it names no table, so only a rule on
 * table * grants it (the admin's); the analyst, whose rules name the people table, is denied
 * (fail closed), with DynamoDB's AccessDeniedException, whose message member is {@code Message}.
 */
class DescribeLimitsEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void onlyARuleOnEveryTableGrantsTheAccountsLimits(@TempDir Path home) throws Exception {
        try (ApplianceProcess weir = ApplianceProcess.start(home)) {
            try (DynamoDbClient admin = DynamoClients.as(weir.endpoint(), "AKIAWEIRADMIN0000001", "weir-admin-secret")) {
                DescribeLimitsResponse limits = admin.describeLimits(b -> {});
                assertEquals(80_000L, limits.accountMaxReadCapacityUnits());
                assertEquals(80_000L, limits.accountMaxWriteCapacityUnits());
                assertEquals(40_000L, limits.tableMaxReadCapacityUnits());
                assertEquals(40_000L, limits.tableMaxWriteCapacityUnits());
            }
            try (DynamoDbClient analyst = DynamoClients.as(weir.endpoint(), "AKIAWEIRANALYST00001", "weir-analyst-secret")) {
                DynamoDbException e = assertThrows(DynamoDbException.class, () -> analyst.describeLimits(b -> {}));
                assertEquals("AccessDeniedException", e.awsErrorDetails().errorCode());
                assertTrue(e.awsErrorDetails().errorMessage().contains("is not authorized to perform: dynamodb:DescribeLimits"),
                        e.awsErrorDetails().errorMessage());
            }
            // on the wire: DynamoDB's member name for this error's message
            HttpResponse<String> raw = post(weir.endpoint(), new Credentials("AKIAWEIRANALYST00001", "weir-analyst-secret"),
                    "DynamoDB_20120810.DescribeLimits", "{}");
            assertEquals(400, raw.statusCode());
            JsonNode body = JSON.readTree(raw.body());
            assertEquals("com.amazon.coral.service#AccessDeniedException", body.path("__type").asText(), raw.body());
            assertTrue(body.path("Message").asText().contains("DescribeLimits"), raw.body());
            assertFalse(body.has("message"), raw.body());
        }
    }

    private static HttpResponse<String> post(String endpoint, Credentials credentials, String target, String json) throws Exception {
        URI uri = URI.create(endpoint + "/");
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String contentType = "application/x-amz-json-1.0";
        List<Map.Entry<String, String>> signed = new SigV4Signer(credentials, "us-east-1", "dynamodb").sign("POST", "/",
                List.of(Map.entry("host", uri.getHost() + ":" + uri.getPort()), Map.entry("content-type", contentType),
                        Map.entry("x-amz-target", target)), body, Instant.now());
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Content-Type", contentType).header("X-Amz-Target", target)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (Map.Entry<String, String> h : signed) {
            if (!h.getKey().equalsIgnoreCase("host")) request.header(h.getKey(), h.getValue());
        }
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
