package dev.weir.proxy.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.protocol.sigv4.Credentials;
import dev.weir.protocol.sigv4.SigV4Signer;
import dev.weir.proxy.enforce.FirewallHarness;
import dev.weir.proxy.identity.Principal;
import dev.weir.proxy.transport.Transport;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests pipelined on one connection, all in one write, are answered one at a time in
 * request order, whatever each costs: the stub upstream answers slowly for some ids and
 * quickly for others, some answers are large, and refusals (answered without the upstream)
 * sit between them.
 */
class PipelinedRequestsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POLICY = """
            role admin
            role analyst
            @id("admin-all") allow admin on table * op *
            @id("read") allow analyst on table people op [GetItem]
            """;

    static FirewallHarness weir;
    static EventLoopGroup boss;
    static EventLoopGroup workers;
    static ProxyServer server;

    @BeforeAll
    static void start() throws Exception {
        weir = new FirewallHarness(POLICY, (target, body) -> {
            try {
                JsonNode req = JSON.readTree(body);
                String id = target.endsWith("Query") ? req.at("/ExpressionAttributeValues/:id/S").asText()
                        : req.has("Item") ? req.at("/Item/id/S").asText() : req.at("/Key/id/S").asText();
                Thread.sleep(id.startsWith("glacial") ? 1_200 : id.startsWith("slow") ? 60 : id.startsWith("mid") ? 20 : 0);
                String pad = id.startsWith("big") ? ",\"pad\":{\"S\":\"" + "x".repeat(300_000) + "\"}" : "";
                String item = "{\"id\":{\"S\":\"" + id + "\"}" + pad + "}";
                String answer = target.endsWith("Query") ? "{\"Items\":[" + item + "],\"Count\":1,\"ScannedCount\":1}"
                        : target.endsWith("PutItem") ? "{\"Attributes\":" + item + "}" : "{\"Item\":" + item + "}";
                return Map.entry(200, answer);
            } catch (IOException | InterruptedException e) {
                return Map.entry(500, "{}");
            }
        }, Map.of());
        boss = Transport.NIO.newEventLoopGroup(1);
        workers = Transport.NIO.newEventLoopGroup(2);
        server = ProxyServer.start("127.0.0.1", 0, Transport.NIO, boss, workers, weir.firewall, ProxyServer.Limits.DEFAULT, null);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (boss != null) boss.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        if (workers != null) workers.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        if (weir != null) weir.close();
    }

    /** One pipelined request and what its answer must say. */
    record Call(byte[] bytes, String expect) {}

    @Test
    void pipelinedRequestsAreAnsweredInRequestOrder() throws Exception {
        Random random = new Random(1013);
        for (int round = 0; round < 6; round++) {
            List<Call> calls = new ArrayList<>(List.of(
                    get("admin", "slow-1"), get("admin", "mid-2"), get("admin", "fast-3"), get("admin", "big-4"),
                    put("admin", "slow-5"), query("admin", "fast-6"), unauthenticated("mid-7"), refused("slow-8"),
                    get("analyst", "fast-9"), get("admin", "big-slow-10"), health(), get("admin", "fast-11")));
            if (round > 0) Collections.shuffle(calls, random);
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (Call c : calls) all.writeBytes(c.bytes());
            try (Socket s = new Socket("127.0.0.1", server.address().getPort())) {
                s.setSoTimeout(20_000);
                s.getOutputStream().write(all.toByteArray());
                s.getOutputStream().flush();
                InputStream in = s.getInputStream();
                List<String> order = new ArrayList<>();
                for (Call c : calls) {
                    String body = readResponse(in);
                    order.add(c.expect());
                    assertTrue(body.contains(c.expect()), "round " + round + ", answer " + order.size() + " should name " + c.expect()
                            + " (requests in order " + calls.stream().map(Call::expect).toList() + "), got: "
                            + body.substring(0, Math.min(200, body.length())));
                }
            }
        }
    }

    /**
     * The framing guard's own refusal of a request read behind one being served waits for that
     * one's answer: here a head cut short reaches the request timeout (300 ms) while the first
     * request is served for 1.2 s; its 408 is written after the first answer, never before it
     * (on a connection a gateway shares, the answer a client reads first must be its own).
     */
    @Test
    void theGuardsOwnRefusalWaitsForTheAnswerBeingServed() throws Exception {
        ProxyServer quick = ProxyServer.start("127.0.0.1", 0, Transport.NIO, boss, workers, weir.firewall,
                ProxyServer.Limits.builder().requestTimeoutMillis(300).build(), null);
        try (Socket s = new Socket("127.0.0.1", quick.address().getPort())) {
            s.setSoTimeout(20_000);
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(get("admin", "glacial-1").bytes());
            all.writeBytes("GET / HTTP/1.1\r\nHost: weir\r\n".getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            s.getOutputStream().write(all.toByteArray());
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            String first = readResponse(in);
            assertTrue(first.contains("glacial-1"), "the served request's answer comes first, got: " + first);
            assertTrue(System.nanoTime() - start > 1_000_000_000L, "it was served for over a second, past the request timeout");
            String second = readResponse(in);
            assertTrue(second.contains("did not arrive in time"), "then the cut-short request's 408: " + second);
            assertEquals(-1, in.read(), "and the connection closes");
        } finally {
            quick.close();
        }
    }

    private static Call get(String principal, String id) {
        return signed(principal, "GetItem", "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"" + id + "\"}}}", "\"" + id + "\"");
    }

    private static Call put(String principal, String id) {
        return signed(principal, "PutItem", "{\"TableName\":\"people\",\"Item\":{\"id\":{\"S\":\"" + id + "\"}},\"ReturnValues\":\"ALL_OLD\"}",
                "\"Attributes\":{\"id\":{\"S\":\"" + id + "\"}");
    }

    private static Call query(String principal, String id) {
        return signed(principal, "Query", "{\"TableName\":\"people\",\"KeyConditionExpression\":\"id = :id\","
                + "\"ExpressionAttributeValues\":{\":id\":{\"S\":\"" + id + "\"}}}", "\"Items\":[{\"id\":{\"S\":\"" + id + "\"}");
    }

    private static Call unauthenticated(String id) {
        Call c = request("AKADMIN", "not-the-secret", "GetItem", "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"" + id + "\"}}}");
        return new Call(c.bytes(), "InvalidSignatureException");
    }

    private static Call refused(String id) {
        return signed("analyst", "DeleteItem", "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"" + id + "\"}}}",
                "dynamodb:DeleteItem on resource: table/people because no weir policy allows it");
    }

    private static Call health() {
        return new Call("GET / HTTP/1.1\r\nHost: weir\r\n\r\n".getBytes(StandardCharsets.US_ASCII), "healthy: weir");
    }

    private static Call signed(String principal, String op, String json, String expect) {
        Principal p = FirewallHarness.principal(principal);
        return new Call(request(p.accessKeyId(), p.secretAccessKey(), op, json).bytes(), expect);
    }

    private static Call request(String key, String secret, String op, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String host = "127.0.0.1:" + server.address().getPort();
        List<Map.Entry<String, String>> headers = new ArrayList<>(List.of(Map.entry("Host", host),
                Map.entry("Content-Type", "application/x-amz-json-1.0"), Map.entry("X-Amz-Target", "DynamoDB_20120810." + op)));
        headers.addAll(new SigV4Signer(new Credentials(key, secret), "us-east-1", "dynamodb").sign("POST", "/", headers, body, Instant.now()));
        StringBuilder head = new StringBuilder("POST / HTTP/1.1\r\n");
        for (Map.Entry<String, String> h : headers) head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.toString().getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body);
        return new Call(out.toByteArray(), null);
    }

    /** Reads one HTTP/1.1 response framed by Content-Length; returns its body. */
    static String readResponse(InputStream in) throws IOException {
        int length = -1;
        for (String line; !(line = readLine(in)).isEmpty(); ) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) length = Integer.parseInt(lower.substring(15).trim());
        }
        assertTrue(length >= 0, "a response without Content-Length");
        byte[] body = in.readNBytes(length);
        assertEquals(length, body.length, "the connection ended inside a response");
        return new String(body, StandardCharsets.UTF_8);
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) throw new IOException("the connection ended");
            if (b != '\r') sb.append((char) b);
        }
        return sb.toString();
    }
}
