package dev.weir.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole benchmark, short, for the store and weir with an allow-all policy: real processes
 * on loopback, real load, and weir's JFR profile phase. Not part of the normal suite (it takes about a minute and needs
 * appliance/target/weir.jar): run it with
 * {@code mvn -pl bench -am verify -Dtest=AllScenariosSmokeTest -Dweir.bench.smoke=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "weir.bench.smoke", matches = "true")
class AllScenariosSmokeTest {
    @TempDir
    Path out;

    @Test
    void aShortRunWritesTheReportWithFiguresForEachScenario() throws Exception {
        System.setProperty("weir.root", Path.of(System.getProperty("user.dir")).getParent().toString());
        int exit = AllScenarios.run(List.of("--quick", "--only", "store-direct,weir-allow-all", "--items", "500",
                "--connections", "4", "--rate", "50", "--jfr", "--out", out.toString()));
        assertEquals(0, exit);
        JsonNode report = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertEquals(2, report.path("scenarios").size());
        for (JsonNode s : report.path("scenarios")) {
            assertTrue(s.path("available").asBoolean(), s.toString());
            assertTrue(s.path("clean").asBoolean(), "no errors: " + s);
            assertTrue(s.path("saturation").asDouble() > 0 && s.path("p50").asDouble() > 0, s.toString());
            assertTrue(s.path("cpuPerRequestSaturated").path("store").asDouble() > 0, s.toString());
        }
        JsonNode lineRate = report.path("lineRate");
        assertEquals(2, lineRate.size(), "pages of 25 items and pages up to 1 MB: " + lineRate);
        assertEquals("25 items", lineRate.get(0).path("pages").asText());
        assertEquals("up to 1 MB", lineRate.get(1).path("pages").asText());
        for (JsonNode l : lineRate) assertTrue(l.path("gigabytesPerSecondPerCore").asDouble() > 0, lineRate.toString());
        assertTrue(lineRate.get(1).path("bytesOut").asDouble() / lineRate.get(1).path("requestsPerSecond").asDouble()
                > 4 * lineRate.get(0).path("bytesOut").asDouble() / lineRate.get(0).path("requestsPerSecond").asDouble(),
                "a page without Limit is larger than one of 25 items: " + lineRate);
        // --jfr: weir recorded in a phase of its own, after the measured ones, and profiled from it
        long profiles = 0;
        for (JsonNode phase : report.path("phases")) {
            if (phase.path("kind").asText().equals("profile")) {
                assertEquals("weir-allow-all", phase.path("scenario").asText(), "only weir is recorded: " + phase);
                profiles++;
            }
        }
        assertEquals(1, profiles, "one profile phase");
        String profile = Files.readString(out.resolve("weir-allow-all-jfr.txt"));
        assertTrue(profile.contains("where the time goes") && !profile.contains("(of 0 Java execution samples)"), profile);
        assertTrue(report.path("notes").toString().contains("while JFR recorded it"), report.path("notes").toString());
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("<svg") && html.contains("weir-allow-all"));
    }
}
