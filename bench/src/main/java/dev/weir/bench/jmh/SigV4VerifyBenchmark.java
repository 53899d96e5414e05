package dev.weir.bench.jmh;

import dev.weir.protocol.sigv4.SigV4Verifier;
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
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What identifying a caller costs: {@link SigV4Verifier#verify} of requests as the AWS SDK v2
 * sends them ({@link SdkRequests}: the load's bodies, the SDK's headers, the signing key cached
 * as in the proxy), against the bare cryptographic work any verification must do, in the same
 * run: the SHA-256 of the body, a SHA-256 of as many bytes as the request's canonical request
 * and one HMAC-SHA256 (a Mac initialised once) of as many bytes as its string to sign. Each
 * invocation takes the next of {@link #pool} distinct requests of its kind.
 *
 * <p>{@code main} runs both and prints verify / hashes per kind ({@code ./weir bench jmh
 * SigV4Verify} prints the two series).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 6, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class SigV4VerifyBenchmark {
    /**
     * How many distinct requests are cycled through (a power of two): 256 by default, whose
     * headers and bodies do not all stay in the core's nearest caches, as under load; 1 for the
     * cost with everything in cache, as right after the request was decoded.
     */
    @Param({"256"})
    public int pool;

    @Param({"GetItem", "PutItem", "mix"})
    public String kind;

    private SigV4Verifier verifier;
    private List<SdkRequests.Request> requests;
    private byte[][] canonicalSized, stringToSignSized;
    private MessageDigest sha256;
    private Mac mac;
    private int next;

    @Setup
    public void setup() throws Exception {
        Map<String, String> secrets = Map.of(SdkRequests.KEY_ID, SdkRequests.SECRET);
        verifier = new SigV4Verifier(secrets::get, "dynamodb", Clock.fixed(SdkRequests.T, ZoneOffset.UTC));
        requests = SdkRequests.of(kind, pool);
        canonicalSized = new byte[pool][];
        stringToSignSized = new byte[pool][];
        for (int i = 0; i < pool; i++) {
            SdkRequests.Request r = requests.get(i);
            // Fail before measuring if a request is refused (a benchmark of the error path would mislead).
            if (!(verifier.verify(r.view()) instanceof SigV4Verifier.Verified)) throw new IllegalStateException("refused: " + i);
            canonicalSized[i] = new byte[r.canonicalLength()];
            stringToSignSized[i] = new byte[r.stringToSignLength()];
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
    public Object verify() {
        return verifier.verify(requests.get(nextIndex()).view());
    }

    /** Baseline: SHA-256 of the body and of a canonical request's length, one HMAC of a string to sign's length. */
    @Benchmark
    public byte[] hashes() {
        int i = nextIndex();
        byte[] body = sha256.digest(requests.get(i).view().body());
        byte[] canonical = sha256.digest(canonicalSized[i]);
        byte[] signature = mac.doFinal(stringToSignSized[i]);
        body[0] ^= canonical[0];
        body[1] ^= signature[0];
        return body;
    }

    /** Runs the benchmark (JMH's command-line options apply) and prints verify / hashes per kind. */
    public static void main(String[] args) throws Exception {
        Ratios.print(args, SigV4VerifyBenchmark.class, "verify", "hashes");
    }
}
