package dev.weir.appliance.cli.policy;

import dev.weir.policy.LoadResult;
import dev.weir.policy.PolicyLoader;
import dev.weir.policy.check.Diagnostic;
import dev.weir.policy.check.SourceLines;
import dev.weir.policy.field.HmacKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code weir policy check DIR}: compiler-style errors and warnings; exit 1 on any error. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Parse, check and compile the policies in DIR; print errors and warnings with file:line:column.")
public final class PolicyCheckCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "The policy directory (*.weir, optional schema.yaml).")
    Path dir;

    @Override
    public Integer call() {
        // hmac keys are deployment secrets: check accepts any key name (the appliance checks the real ones at load)
        LoadResult r = PolicyLoader.load(dir, HmacKeys.forTesting());
        SourceLines lines = new SourceLines(dir);
        for (Diagnostic d : r.diagnostics()) System.out.println(lines.render(d));
        long errors = r.errors().size(), warnings = r.diagnostics().size() - errors;
        if (r.ok()) {
            System.out.println("ok: " + r.table().orElseThrow().ruleCount() + " rules, " + warnings + " warning"
                    + (warnings == 1 ? "" : "s") + ", content hash " + r.contentHash());
            return 0;
        }
        System.out.println(errors + " error" + (errors == 1 ? "" : "s") + ", " + warnings + " warning" + (warnings == 1 ? "" : "s"));
        return 1;
    }
}
