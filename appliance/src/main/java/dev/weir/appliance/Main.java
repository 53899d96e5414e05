package dev.weir.appliance;

import dev.weir.appliance.cli.WeirCommand;
import io.netty.util.ResourceLeakDetector;
import picocli.CommandLine;

/** Entry point of {@code weir.jar}. */
public final class Main {
    /** The system property that sets Netty's leak detection (disabled, simple, advanced or paranoid). */
    static final String LEAK_DETECTION = "io.netty.leakDetection.level";

    private Main() {}

    public static void main(String[] args) {
        leakDetectionOffUnlessAsked();
        int code = new CommandLine(new WeirCommand()).execute(args);
        if (code != 0) System.exit(code);
    }

    /**
     * Turns Netty's buffer leak detector off unless its level is set ({@value #LEAK_DETECTION},
     * or Netty's older {@code io.netty.leakDetectionLevel}). At Netty's default level it tracks
     * one buffer in 128 and takes a stack trace when it tracks the buffer and again when it is
     * released: about 1.5% of the CPU of a loaded weir (issue 16), for a debugging aid that
     * only logs. The test suite runs with Netty's default, and an operator chasing a leak sets
     * the level with {@code JAVA_TOOL_OPTIONS=-Dio.netty.leakDetection.level=advanced}.
     */
    static void leakDetectionOffUnlessAsked() {
        if (System.getProperty(LEAK_DETECTION) == null && System.getProperty("io.netty.leakDetectionLevel") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }
}
