package dev.weir.policy.testing;

import dev.weir.policy.LoadResult;
import dev.weir.policy.PolicyLoader;
import dev.weir.policy.check.Diagnostic;
import dev.weir.policy.field.HashKey;
import dev.weir.policy.field.HmacKeys;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sample policies in conf/policies load cleanly and pass their own tests with full coverage. */
class SamplePolicyTest {
    static final Path CONF = Path.of("..", "conf", "policies").toAbsolutePath().normalize();

    @Test
    void loadsWithoutErrorsOrWarnings() {
        LoadResult r = PolicyLoader.load(CONF, HmacKeys.none().withHashKey(new HashKey("k1", new byte[32])));
        assertTrue(r.ok(), () -> r.diagnostics().toString());
        assertEquals(List.of(), r.diagnostics().stream().map(Diagnostic::headline).toList());
    }

    @Test
    void passesItsTestsWithFullRuleCoverage() {
        PolicyTestRunner.Report report = PolicyTestRunner.run(CONF);
        StringBuilder failures = new StringBuilder();
        report.cases().stream().filter(c -> !c.passed()).forEach(c -> failures.append(c.name()).append(": ").append(c.failures()).append('\n'));
        assertTrue(report.passed(), () -> report.errors() + "\n" + failures + report.load().diagnostics());
        assertEquals(17, report.cases().size());
        assertEquals(100.0, report.coverage(), () -> "uncovered: " + report.uncovered());
    }
}
