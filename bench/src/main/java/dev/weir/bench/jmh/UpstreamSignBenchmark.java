package dev.weir.bench.jmh;

import dev.weir.protocol.sigv4.Credentials;
import dev.weir.protocol.sigv4.HttpRequestView;
import dev.weir.protocol.sigv4.SigV4;
import dev.weir.protocol.sigv4.SigV4Signer;
import dev.weir.protocol.wire.Target;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What re-signing a request for the upstream costs: {@link SigV4Signer#signPost} as
 * {@code upstream/SignedRequests} calls it per request (the store's host and path, the
 * operation's target, the body's SHA-256 known from verifying the client's signature), on the
 * load's requests ({@link SdkRequests}), against the bare cryptographic work any signature
 * needs, in the same run: a SHA-256 of as many bytes as the canonical request and one
 * HMAC-SHA256 (a Mac initialised once) of as many bytes as the string to sign.
 *
 * <p>{@code main} runs both and prints signPost / hashes per kind.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 6, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class UpstreamSignBenchmark {
    /**
     * How many distinct requests are cycled through (a power of two): 256 by default, whose
     * headers and bodies do not all stay in the core's nearest caches, as under load; 1 for the
     * cost with everything in cache, as right after the request was decoded.
     */
    @Param({"256"})
    public int pool;
    private static final String UPSTREAM_HOST = "127.0.0.1:8001";

    @Param({"mix"})
    public String kind;

    private SigV4Signer signer;
    private List<SdkRequests.Request> requests;
    private byte[][] canonicalSized, stringToSignSized;
    private MessageDigest sha256;
    private Mac mac;
    private int next;

    @Setup
    public void setup() throws Exception {
        signer = new SigV4Signer(new Credentials("UPSTREAMKEY", "upstream-secret"), "us-east-1", "dynamodb");
        requests = SdkRequests.of(kind, pool);
        canonicalSized = new byte[pool][];
        stringToSignSized = new byte[pool][];
        for (int i = 0; i < pool; i++) {
            SdkRequests.Request r = requests.get(i);
            List<Map.Entry<String, String>> signed = signer.signPost("/", UPSTREAM_HOST, Target.CONTENT_TYPE, r.target(),
                    r.view().body(), r.payloadHash(), SdkRequests.T);
            HttpRequestView view = new HttpRequestView("POST", "/", "", List.of(Map.entry("Content-Type", Target.CONTENT_TYPE),
                    Map.entry("Host", UPSTREAM_HOST), signed.getFirst(), Map.entry("X-Amz-Target", r.target())), r.view().body());
            String canonical = SigV4.canonicalRequest(view, List.of("content-type", "host", "x-amz-date", "x-amz-target"),
                    r.payloadHash(), false);
            canonicalSized[i] = new byte[canonical.length()];
            stringToSignSized[i] = new byte[SigV4.stringToSign(signed.getFirst().getValue(),
                    "20261127/us-east-1/dynamodb/aws4_request", canonical).length()];
        }
        sha256 = MessageDigest.getInstance("SHA-256");
        mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
    }

    private int nextIndex() {
        int i = next;
        next = (i + 1) & (pool - 1);
        return i;
    }

    @Benchmark
    public Object signPost() {
        SdkRequests.Request r = requests.get(nextIndex());
        return signer.signPost("/", UPSTREAM_HOST, Target.CONTENT_TYPE, r.target(), r.view().body(), r.payloadHash(), SdkRequests.T);
    }

    /** Baseline: a SHA-256 of a canonical request's length and one HMAC of a string to sign's length. */
    @Benchmark
    public byte[] hashes() {
        int i = nextIndex();
        byte[] canonical = sha256.digest(canonicalSized[i]);
        byte[] signature = mac.doFinal(stringToSignSized[i]);
        canonical[0] ^= signature[0];
        return canonical;
    }

    /** Runs the benchmark (JMH's command-line options apply) and prints signPost / hashes per kind. */
    public static void main(String[] args) throws Exception {
        Ratios.print(args, UpstreamSignBenchmark.class, "signPost", "hashes");
    }
}
