package dev.weir.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.lifecycle.store.StoreClient;
import dev.weir.lifecycle.store.StoreException;
import dev.weir.protocol.sigv4.Credentials;
import dev.weir.protocol.sigv4.SigV4Signer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What a packaged weir must do, whatever it was packaged as: answer its health check, refuse an
 * unsigned request, and serve signed requests end to end through the firewall into the bundled
 * store on RocksDB (native code the package must carry) with the sample policy's mask applied.
 */
final class PackagedWeirChecks {
    private PackagedWeirChecks() {}

    static void servesThroughTheFirewall(int proxyPort) throws Exception {
        URI endpoint = URI.create("http://127.0.0.1:" + proxyPort + "/");
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(endpoint).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
        assertEquals("healthy: weir\n", health.body());

        StoreClient admin = client(endpoint, "AKIAWEIRADMIN0000001", "weir-admin-secret");
        ObjectNode create = StoreClient.object().put("TableName", "people").put("BillingMode", "PAY_PER_REQUEST");
        create.putArray("AttributeDefinitions").addObject().put("AttributeName", "id").put("AttributeType", "S");
        create.putArray("KeySchema").addObject().put("AttributeName", "id").put("KeyType", "HASH");
        admin.dynamo("CreateTable", create);
        ObjectNode put = StoreClient.object().put("TableName", "people");
        ObjectNode item = put.putObject("Item");
        item.putObject("id").put("S", "p-001");
        item.putObject("ssn").put("S", "123-45-6789");
        item.putObject("region").put("S", "eu");
        admin.dynamo("PutItem", put);

        ObjectNode get = StoreClient.object().put("TableName", "people");
        get.putObject("Key").putObject("id").put("S", "p-001");
        JsonNode seen = client(endpoint, "AKIAWEIRANALYST00001", "weir-analyst-secret").dynamo("GetItem", get);
        assertEquals("****6789", seen.path("Item").path("ssn").path("S").asText(), seen.toString());

        StoreException refused = assertThrows(StoreException.class,
                () -> client(endpoint, "AKIAWEIRADMIN0000001", "not-the-secret").dynamo("GetItem", get));
        assertEquals(400, refused.status());
    }

    private static StoreClient client(URI endpoint, String key, String secret) {
        return new StoreClient(endpoint, new SigV4Signer(new Credentials(key, secret), "us-east-1", "dynamodb"),
                Duration.ofSeconds(30), Clock.systemUTC());
    }
}
