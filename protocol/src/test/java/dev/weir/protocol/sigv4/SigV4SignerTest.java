package dev.weir.protocol.sigv4;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The signer's fast path for weir's upstream POSTs signs exactly as the general one does. */
class SigV4SignerTest {
    @Test
    void signPostGivesTheSameHeadersAsTheGeneralSigner() {
        Random r = new Random(2026_12_06);
        String[] hosts = {"127.0.0.1:8000", "dynamodb.us-east-1.amazonaws.com", "store.internal:443", "[::1]:9000"};
        String[] paths = {"/", "/dynamodb/", "/a b/", "/%7Euser/x"};
        for (int i = 0; i < 3_000; i++) {
            SigV4Signer signer = new SigV4Signer(new Credentials("AKID" + r.nextInt(1000), "secret-" + r.nextInt()),
                    r.nextBoolean() ? "us-east-1" : "eu-west-3", "dynamodb");
            String host = hosts[r.nextInt(hosts.length)];
            String path = paths[r.nextInt(paths.length)];
            String target = (r.nextBoolean() ? "DynamoDB_20120810." : "DynamoDBStreams_20120810.") + "Op" + r.nextInt(40)
                    + (r.nextInt(10) == 0 ? "  with  spaces " : "");
            byte[] body = new byte[r.nextInt(2000)];
            r.nextBytes(body);
            Instant now = Instant.ofEpochSecond(1_700_000_000L + r.nextInt(100_000_000));
            String contentType = "application/x-amz-json-1.0";
            List<Map.Entry<String, String>> general = signer.sign("POST", path,
                    List.of(Map.entry("Host", host), Map.entry("Content-Type", contentType), Map.entry("X-Amz-Target", target)),
                    body, now);
            assertEquals(List.of("X-Amz-Date", "Authorization"), general.stream().map(Map.Entry::getKey).toList());
            assertEquals(general, signer.signPost(path, host, contentType, target, body, now), "case " + i);
            assertEquals(general, signer.signPost(path, host, contentType, target, body, SigV4.sha256Hex(body), now),
                    "case " + i + ", the body's hash given");
            SigV4Signer.PostHeaders bytes = signer.signPostHeaders(path, host, contentType, target, body, null, now);
            assertEquals(general.get(0).getValue(), new String(bytes.amzDate(), StandardCharsets.ISO_8859_1), "case " + i + ": X-Amz-Date");
            assertEquals(general.get(1).getValue(), new String(bytes.authorization(), StandardCharsets.ISO_8859_1),
                    "case " + i + ": Authorization");
        }
    }
}
