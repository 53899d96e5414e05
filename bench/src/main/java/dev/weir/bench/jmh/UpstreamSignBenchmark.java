package dev.weir.bench.jmh;

import dev.weir.protocol.sigv4.Credentials;
import dev.weir.protocol.sigv4.SigV4Signer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Cost of the proxy re-signing one GetItem for the upstream with its own credentials (what
 * {@code UpstreamClient} does per request), against the single HMAC-SHA256 that any signature
 * needs, measured in the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class UpstreamSignBenchmark {
    private static final Instant T = Instant.parse("2026-11-27T12:00:00Z");
    private SigV4Signer signer;
    private List<Map.Entry<String, String>> headers;
    private byte[] body;
    private Mac mac;
    private byte[] stringToSign;

    @Setup
    public void setup() throws Exception {
        signer = new SigV4Signer(new Credentials("UPSTREAMKEY", "upstream-secret"), "us-east-1", "dynamodb");
        body = "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"p-001\"}}}".getBytes(StandardCharsets.UTF_8);
        headers = List.of(Map.entry("Host", "127.0.0.1:8000"), Map.entry("Content-Type", "application/x-amz-json-1.0"),
                Map.entry("X-Amz-Target", "DynamoDB_20120810.GetItem"));
        mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
        stringToSign = new byte[200];
    }

    @Benchmark
    public Object signGetItem() {
        return signer.sign("POST", "/", headers, body, T);
    }

    @Benchmark
    public byte[] baselineOneHmac() {
        return mac.doFinal(stringToSign);
    }
}
