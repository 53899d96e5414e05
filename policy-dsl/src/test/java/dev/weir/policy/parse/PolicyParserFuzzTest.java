package dev.weir.policy.parse;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weir.policy.LoadResult;
import dev.weir.policy.PolicyLoader;
import dev.weir.policy.PolicySource;
import dev.weir.policy.ast.PolicyFile;
import dev.weir.policy.check.CheckOptions;
import dev.weir.policy.check.Diagnostic;
import dev.weir.policy.check.PolicyChecker;
import dev.weir.policy.compile.PolicyCompiler;
import dev.weir.policy.decision.Context;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.policy.decision.DecisionTable;
import dev.weir.policy.decision.TlsIdentity;
import dev.weir.policy.field.HmacKeys;
import dev.weir.protocol.model.Operation;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The policy pipeline (parser, checker, compiler) on arbitrary text, stage by stage so that
 * no stage's exception is hidden by the loader's safety net: no stage throws; every diagnostic
 * names the file and a line and column inside the text ({@code p.weir:L:C}) and says something;
 * a text with an error yields no table, neither from the stages nor from the loader; a text
 * without errors compiles, and its table decides requests without throwing.
 *
 * <p>The input is the policy file's text (UTF-8). Regression inputs live in
 * {@code PolicyParserFuzzTestInputs/<method>/}; {@code ./weir fuzz policy} fuzzes.
 */
class PolicyParserFuzzTest {
    private static final String FILE = "p.weir";

    @FuzzTest
    @DictionaryEntries({"role ", " extends ", "allow ", "deny ", " on table ", " op ", "[GetItem, Query]", "*", "@id(\"x\")",
            "  fields [", "  mask ", " show_last(4)", " hash", "  remove ", "  null ", "  rows where ",
            "  when ", "  require ", "  reason \"", "item.", "principal.", "ctx.source in ", "ctx.time in 07:00..19:00",
            "ctx.tls.subject.ou", "network n = [10.0.0.0/8]", " == ", " != ", " in ", " and ", " or ", "not ", "address.*",
            "\"x.y\"", "# comment", "[write]", "[read]", " > 5", "hmac(\"k\")"})
    void policiesLoadOrExplainWhereTheyAreBroken(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        int lines = text.split("\n", -1).length;
        List<Diagnostic> diagnostics = new ArrayList<>();

        ParseResult parsed = PolicyParser.parse(FILE, text);
        diagnostics.addAll(parsed.diagnostics());
        boolean parseErrors = parsed.diagnostics().stream().anyMatch(Diagnostic::isError);
        assertEquals(parseErrors, parsed.file().isEmpty(), "a file with parse errors must yield no AST, and only then");
        DecisionTable table = null;
        if (parsed.file().isPresent()) {
            List<PolicyFile> files = List.of(parsed.file().get());
            diagnostics.addAll(PolicyChecker.check(files, CheckOptions.DEFAULT));
            if (diagnostics.stream().noneMatch(Diagnostic::isError)) {
                table = PolicyCompiler.compile(files, HmacKeys.forTesting());
                assertNotNull(table);
            }
        }
        for (Diagnostic d : diagnostics) {
            assertEquals(FILE, d.file(), d::headline);
            assertTrue(d.line() >= 1 && d.line() <= lines, () -> "line outside the text: " + d.headline());
            assertTrue(d.column() >= 1, () -> "no column: " + d.headline());
            assertTrue(d.headline().startsWith(FILE + ":" + d.line() + ":" + d.column() + ": "), d::headline);
            assertNotNull(d.message());
            assertFalse(d.message().isBlank(), d::headline);
        }

        LoadResult loaded = PolicyLoader.load(List.of(new PolicySource(FILE, text)));
        assertEquals(table != null, loaded.ok(), () -> "the loader disagrees with the stages: " + loaded.diagnostics());
        assertEquals(diagnostics.stream().filter(Diagnostic::isError).count(), (long) loaded.errors().size(),
                () -> "the loader reports other errors: " + loaded.diagnostics());
        if (table != null) {
            for (Operation op : List.of(Operation.GetItem, Operation.Scan, Operation.PutItem, Operation.DeleteTable)) {
                for (String t : List.of("people", "t")) {
                    Context ctx = new Context(InetAddress.ofLiteral("10.1.2.3"), Instant.parse("2026-03-02T09:00:00Z"),
                            TlsIdentity.of("CN=x,OU=batch", List.of()), Map.of());
                    assertNotNull(table.decide(new DecisionRequest("p", Set.of("admin", "analyst", "r"),
                            Map.of("region", List.of("eu")), t, op, ctx)));
                }
            }
        }
    }
}
