package dev.weir.appliance.cli.policy;

import dev.weir.appliance.lifecycle.TriggerRunner;
import dev.weir.policy.check.SourceLines;
import dev.weir.policy.testing.PolicyTestRunner;
import dev.weir.proxy.enforce.stream.UpstreamNumbers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code weir policy test DIR [--min-coverage N]}: runs the *.test.yaml files beside the policies.
 * Change cases of stream triggers are judged through the firewall's own record cut, as the
 * trigger worker judges them against weir's bundled store.
 */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = "Run the policy tests (*.test.yaml) beside the policies in DIR and print rule and trigger coverage.")
public final class PolicyTestCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "The policy directory.")
    Path dir;

    @Option(names = "--min-coverage", paramLabel = "N", defaultValue = "0",
            description = "Fail when fewer than N percent of the rules and triggers decided (fired in) some case.")
    double minCoverage;

    @Override
    public Integer call() {
        PolicyTestRunner.Report report = PolicyTestRunner.run(dir, TriggerRunner.views(UpstreamNumbers.COUNT_FREE));
        if (!report.load().ok()) {
            new SourceLines(dir).render(report.load().diagnostics()).forEach(System.out::println);
            System.out.println("FAIL: the policies do not load");
            return 1;
        }
        report.errors().forEach(e -> System.out.println("error: " + e));
        int failed = 0;
        for (PolicyTestRunner.CaseResult c : report.cases()) {
            if (c.passed()) {
                System.out.println("PASS " + c.file() + ": " + c.name());
            } else {
                failed++;
                System.out.println("FAIL " + c.file() + ": " + c.name());
                c.failures().forEach(f -> System.out.println("     " + f));
            }
        }
        boolean triggers = !report.triggerIds().isEmpty();
        String what = triggers ? "coverage" : "rule coverage";
        System.out.printf(Locale.ROOT, "%d passed, %d failed; %s %.1f%% (%d of %d rules%s)%n",
                report.cases().size() - failed, failed, what, report.coverage(), report.covered().size(), report.ruleIds().size(),
                triggers ? ", " + report.coveredTriggers().size() + " of " + report.triggerIds().size() + " triggers" : "");
        if (!report.uncovered().isEmpty()) System.out.println("rules no case reaches: " + report.uncovered());
        if (!report.uncoveredTriggers().isEmpty()) System.out.println("triggers no case fires: " + report.uncoveredTriggers());
        if (report.cases().isEmpty() && report.errors().isEmpty()) System.out.println("no tests (*" + PolicyTestRunner.SUFFIX + ") found");
        boolean ok = report.passed();
        if (report.coverage() + 1e-9 < minCoverage) {
            System.out.printf(Locale.ROOT, "FAIL: %s %.1f%% is below --min-coverage %s%%%n", what, report.coverage(), fmt(minCoverage));
            ok = false;
        }
        return ok ? 0 : 1;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
