package dev.weir.bench.jmh;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.bench.load.PeopleWorkload;
import dev.weir.protocol.model.Operation;
import dev.weir.protocol.sigv4.Credentials;
import dev.weir.protocol.sigv4.HttpRequestView;
import dev.weir.protocol.sigv4.SigV4;
import dev.weir.protocol.sigv4.SigV4Signer;
import dev.weir.protocol.wire.Target;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Requests as the AWS SDK for Java v2 (2.57) sends them to weir, for the SigV4 benchmarks: the
 * load's bodies ({@link PeopleWorkload#sampleBody}) with the SDK's twelve headers in its order,
 * eight of them signed ({@code amz-sdk-invocation-id;amz-sdk-request;content-length;content-type;
 * host;x-amz-content-sha256;x-amz-date;x-amz-target}; User-Agent, Accept and Connection are sent
 * unsigned). Captured from a DynamoDbClient with the URL-connection HTTP client; the invocation
 * id differs per request, as the SDK's does. {@code kind} is one operation of the workload or
 * {@code mix}: the load's mix (GetItem 50%, Query 15%, Scan 5%, PutItem 20%, UpdateItem 10%).
 */
final class SdkRequests {
    static final Instant T = Instant.parse("2026-11-27T12:00:00Z");
    static final String KEY_ID = "AKIAWEIRANALYST00001", SECRET = "weir-analyst-secret/Kq8+example";
    static final String HOST = "127.0.0.1:8000";
    private static final String USER_AGENT = "aws-sdk-java/2.57.8 md/io#sync md/http#UrlConnection ua/2.1 api/DynamoDB#2.57.x "
            + "os/Linux#6.18.44 lang/java#25.0.3 md/OpenJDK_64-Bit_Server_VM#25.0.3+9-LTS md/vendor#Eclipse_Adoptium m/D,AK,N,P,e";
    private static final String[] MIX = mix();

    /** One request: the view weir's server hands the verifier, its operation's target and its body's SHA-256 (hex). */
    record Request(HttpRequestView view, String target, String payloadHash, int canonicalLength, int stringToSignLength) {}

    private SdkRequests() {}

    /** {@code n} requests of {@code kind}, seeded. */
    static List<Request> of(String kind, int n) {
        PeopleWorkload workload = new PeopleWorkload(new ObjectMapper(), 10_000);
        SigV4Signer signer = new SigV4Signer(new Credentials(KEY_ID, SECRET), "us-east-1", "dynamodb");
        SplittableRandom random = new SplittableRandom(16);
        List<Request> out = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            String operation = kind.equals("mix") ? MIX[k % MIX.length] : kind;
            byte[] body = workload.sampleBody(operation, k);
            String target = Target.of(Operation.valueOf(operation));
            String hash = SigV4.sha256Hex(body);
            String invocation = String.format(Locale.ROOT, "%08x-%04x-%04x-%04x-%012x", random.nextInt(), random.nextInt(0x10000),
                    random.nextInt(0x10000), random.nextInt(0x10000), random.nextLong() & 0xffff_ffff_ffffL);
            List<Map.Entry<String, String>> signed = List.of(
                    Map.entry("amz-sdk-invocation-id", invocation), Map.entry("amz-sdk-request", "attempt=1; max=9"),
                    Map.entry("Content-Type", Target.CONTENT_TYPE), Map.entry("x-amz-content-sha256", hash),
                    Map.entry("X-Amz-Target", target), Map.entry("Host", HOST),
                    Map.entry("Content-Length", Integer.toString(body.length)));
            Map<String, String> added = Map.ofEntries(signer.sign("POST", "/", signed, body, T).toArray(Map.Entry[]::new));
            List<Map.Entry<String, String>> headers = List.of(
                    Map.entry("amz-sdk-invocation-id", invocation), Map.entry("amz-sdk-request", "attempt=1; max=9"),
                    Map.entry("Authorization", added.get("Authorization")), Map.entry("Content-Type", Target.CONTENT_TYPE),
                    Map.entry("User-Agent", USER_AGENT), Map.entry("x-amz-content-sha256", hash),
                    Map.entry("X-Amz-Date", added.get("X-Amz-Date")), Map.entry("X-Amz-Target", target),
                    Map.entry("Accept", "*/*"), Map.entry("Host", HOST), Map.entry("Connection", "keep-alive"),
                    Map.entry("Content-Length", Integer.toString(body.length)));
            HttpRequestView view = new HttpRequestView("POST", "/", "", headers, body);
            List<String> names = List.of("amz-sdk-invocation-id", "amz-sdk-request", "content-length", "content-type", "host",
                    "x-amz-content-sha256", "x-amz-date", "x-amz-target");
            String canonical = SigV4.canonicalRequest(view, names, hash, false);
            String sts = SigV4.stringToSign(added.get("X-Amz-Date"), "20261127/us-east-1/dynamodb/aws4_request", canonical);
            out.add(new Request(view, target, hash, canonical.length(), sts.length()));
        }
        return out;
    }

    /** The load's mix as a cycle of 20 operations. */
    private static String[] mix() {
        List<String> cycle = new ArrayList<>();
        for (Map.Entry<String, Double> w : PeopleWorkload.FULL_MIX.entrySet()) {
            for (int i = 0; i < Math.round(w.getValue() / 5); i++) cycle.add(w.getKey());
        }
        // Interleaved, so that consecutive requests differ as they do under load.
        List<String> out = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(5);
        while (!cycle.isEmpty()) out.add(cycle.remove(random.nextInt(cycle.size())));
        return out.toArray(String[]::new);
    }
}
