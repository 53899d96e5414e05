package dev.weir.bench.jmh;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * {@link SigV4VerifyBenchmark} and {@link UpstreamSignBenchmark} timed by the thread's CPU
 * time in alternating rounds (each round runs verify, its hashes, signPost, its hashes, one
 * after the other), so that the ratio of each to its bare hashes is taken within a round: on a
 * machine other work keeps busy, JMH's wall-clock scores move by 2x between iterations while
 * these ratios stay within a few percent. Prints per kind the median CPU per call with the
 * quartiles, and the median of the rounds' ratios. Run with the bench class path:
 * {@code java [-Dpool=N] -cp "bench/target/weir-bench-*.jar:$(cat bench/target/classpath.txt)" dev.weir.bench.jmh.SigV4Cpu [kind...]}
 * ({@code pool}: how many distinct requests each cycles through, 256 by default).
 */
public final class SigV4Cpu {
    private static final int ROUNDS = 21;
    private static final int CALLS = 20_000;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static volatile long sink;

    private SigV4Cpu() {}

    public static void main(String[] args) throws Exception {
        String[] kinds = args.length > 0 ? args : new String[] {"GetItem", "PutItem", "mix"};
        int pool = Integer.getInteger("pool", 256);
        for (String kind : kinds) {
            SigV4VerifyBenchmark verify = new SigV4VerifyBenchmark();
            verify.kind = kind;
            verify.pool = pool;
            verify.setup();
            UpstreamSignBenchmark sign = new UpstreamSignBenchmark();
            sign.kind = kind;
            sign.pool = pool;
            sign.setup();
            LongSupplier[] methods = {
                    () -> verify.verify().hashCode(), () -> verify.hashes()[0],
                    () -> sign.signPost().hashCode(), () -> sign.hashes()[0]};
            String[] names = {"verify", "verify's hashes", "signPost", "signPost's hashes"};
            long warm = System.nanoTime() + 6_000_000_000L;
            while (System.nanoTime() < warm) {
                for (LongSupplier m : methods) run(m, 1_000);
            }
            double[][] ns = new double[methods.length][ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                for (int m = 0; m < methods.length; m++) ns[m][r] = run(methods[m], CALLS);
            }
            double[] verifyRatio = new double[ROUNDS], signRatio = new double[ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                verifyRatio[r] = ns[0][r] / ns[1][r];
                signRatio[r] = ns[2][r] / ns[3][r];
            }
            System.out.printf("%s, %d distinct requests (%d rounds of %,d calls, CPU ns per call: median [quartiles])%n", kind, pool,
                    ROUNDS, CALLS);
            for (int m = 0; m < methods.length; m++) {
                double[] s = ns[m].clone();
                Arrays.sort(s);
                System.out.printf("  %-18s %7.0f [%7.0f, %7.0f]%n", names[m], s[ROUNDS / 2], s[ROUNDS / 4], s[3 * ROUNDS / 4]);
            }
            Arrays.sort(verifyRatio);
            Arrays.sort(signRatio);
            System.out.printf("  verify / hashes   %.2fx [%.2f, %.2f]%n", verifyRatio[ROUNDS / 2], verifyRatio[ROUNDS / 4],
                    verifyRatio[3 * ROUNDS / 4]);
            System.out.printf("  signPost / hashes %.2fx [%.2f, %.2f]%n", signRatio[ROUNDS / 2], signRatio[ROUNDS / 4],
                    signRatio[3 * ROUNDS / 4]);
        }
    }

    /** CPU nanoseconds per call of {@code m} over {@code calls} calls. */
    private static double run(LongSupplier m, int calls) {
        long start = THREADS.getCurrentThreadCpuTime();
        long acc = 0;
        for (int i = 0; i < calls; i++) acc += m.getAsLong();
        sink = acc;
        return (double) (THREADS.getCurrentThreadCpuTime() - start) / calls;
    }
}
