package dev.weir.appliance;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * issue 15's seed scenario, as a user runs it: {@code examples/surveillance/run.sh} ({@code weir policy
 * test} on the example's policy and its tests at 100% rule and trigger coverage, then weir with its
 * bundled store and the example's policy and triggers, three Python functions, a camera
 * ingesting images through boto3, the checks of scenario.py), on free ports, with this build's
 * weir. The script's own checks are the assertions: every image enriched by both functions with
 * one completion mark each, one notification per image with a missing person, no function acting
 * twice on one record (eventID), the analyst seeing only its fields.
 */
class SurveillanceExampleTest {
    @Test
    void theSurveillanceScenarioRunsEndToEnd(@TempDir Path work) throws Exception {
        Path script = Path.of("..", "examples", "surveillance", "run.sh").toAbsolutePath().normalize();
        List<String> java = ApplianceProcess.java();
        java.add(Main.class.getName());
        String weir = String.join(" ", java);
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
        pb.environment().put("WORK", work.toString());
        pb.environment().put("WEIR_COMMAND", weir);
        pb.environment().put("IMAGES", "30");
        for (String port : new String[] {"WEIR_PORT", "STORE_PORT", "GEO_PORT", "FACES_PORT", "NOTIFY_PORT"}) {
            pb.environment().put(port, Integer.toString(ApplianceProcess.freePort()));
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "run.sh did not finish");
        System.out.println(out.lines().filter(l -> !l.contains(" INFO ") && !l.contains(" WARN ")).reduce("", (a, b) -> a + b + "\n"));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("policy tests: 16 passed, 0 failed; coverage 100.0% (8 of 8 rules, 3 of 3 triggers)"), out);
        assertTrue(out.contains("surveillance scenario: all checks passed"), out);
    }
}
