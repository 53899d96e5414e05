package dev.weir.proxy.enforce;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** A widened BatchGetItem read comes back in UnprocessedKeys as the client sent it, with the keys left to do. */
class ProjectionsUnprocessedTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theClientsOwnReadReplacesTheWidenedOneKeepingTheUnprocessedKeys() throws Exception {
        ObjectNode asSent = (ObjectNode) JSON.readTree("""
                {"Keys":[{"id":{"S":"1"}},{"id":{"S":"2"}}],"ProjectionExpression":"#n","ExpressionAttributeNames":{"#n":"name"}}""");
        byte[] answer = """
                {"Responses":{"t":[]},"UnprocessedKeys":{"t":{"Keys":[{"id":{"S":"2"}}],"ConsistentRead":false},
                 "other":{"Keys":[{"id":{"S":"9"}}]}}}""".getBytes(StandardCharsets.UTF_8);
        var restored = JSON.readTree(Projections.restoreUnprocessed(answer, Map.of("t", asSent)));
        assertEquals(JSON.readTree("""
                {"Keys":[{"id":{"S":"2"}}],"ProjectionExpression":"#n","ExpressionAttributeNames":{"#n":"name"}}"""),
                restored.path("UnprocessedKeys").path("t"));
        assertEquals(JSON.readTree("{\"Keys\":[{\"id\":{\"S\":\"9\"}}]}"), restored.path("UnprocessedKeys").path("other"));

        byte[] done = "{\"Responses\":{\"t\":[]},\"UnprocessedKeys\":{}}".getBytes(StandardCharsets.UTF_8);
        assertSame(done, Projections.restoreUnprocessed(done, Map.of("t", asSent)), "nothing to restore: the same bytes");
    }
}
