package dev.weir.policy;

import dev.weir.policy.decision.Decision;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.policy.decision.DecisionTable;
import dev.weir.protocol.model.Operation;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Test helpers: load policy texts in memory and ask questions of them. */
public final class Policies {
    private Policies() {}

    /** The first-slice sample, verbatim. */
    public static final String SAMPLE = """
            # comments with '#' to end of line
            role admin
            role analyst
            role support extends analyst

            @id("admin-all")
            allow admin on table * op *

            @id("people-read")
            allow analyst on table people op [GetItem, Query, Scan, BatchGetItem]
              fields [id, name, region, email, ssn, address.*]
              mask ssn show_last(4)
              remove salary

            @id("people-write")
            allow ingest on table people op [write]

            @id("no-drop")
            deny * on table [people, audit] op [DeleteTable]
              reason "people is never dropped"
            """;

    /** The sample plus the declaration of the {@code ingest} role it uses. */
    public static final String SAMPLE_WITH_INGEST = "role ingest\n" + SAMPLE;

    /** Loads (name, text) pairs. */
    public static LoadResult load(String... nameAndText) {
        List<PolicySource> sources = new ArrayList<>();
        for (int i = 0; i < nameAndText.length; i += 2) sources.add(new PolicySource(nameAndText[i], nameAndText[i + 1]));
        return PolicyLoader.load(sources);
    }

    /** Loads one file named {@code p.weir} and insists it compiles. */
    public static DecisionTable table(String text) {
        LoadResult r = load("p.weir", text);
        assertTrue(r.ok(), () -> "expected to compile, got " + r.diagnostics());
        return r.table().orElseThrow();
    }

    public static Decision decide(DecisionTable t, Set<String> roles, String table, Operation op) {
        return t.decide(new DecisionRequest(roles, table, op));
    }

    /** The rendered diagnostics of a load, each with its source line and caret. */
    public static List<String> rendered(LoadResult r, String... nameAndText) {
        List<String> out = new ArrayList<>();
        for (var d : r.diagnostics()) {
            String line = null;
            for (int i = 0; i < nameAndText.length; i += 2) {
                if (nameAndText[i].equals(d.file()) && d.line() > 0) {
                    String[] lines = nameAndText[i + 1].split("\n", -1);
                    if (d.line() <= lines.length) line = lines[d.line() - 1];
                }
            }
            out.add(d.render(line));
        }
        return out;
    }
}
