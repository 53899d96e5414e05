package dev.weir.policy.parse;

import dev.weir.policy.Policies;
import dev.weir.policy.ast.Clause;
import dev.weir.policy.ast.Effect;
import dev.weir.policy.ast.FieldAction;
import dev.weir.policy.ast.Name;
import dev.weir.policy.ast.PathSegment;
import dev.weir.policy.ast.PolicyFile;
import dev.weir.policy.ast.RoleDecl;
import dev.weir.policy.ast.Rule;
import dev.weir.policy.ast.Selector;
import dev.weir.policy.ast.SourcePos;
import dev.weir.policy.check.Diagnostic;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyParserTest {

    private static PolicyFile parseOk(String text) {
        ParseResult r = PolicyParser.parse("p.weir", text);
        assertEquals(List.of(), r.diagnostics());
        return r.file().orElseThrow();
    }

    private static List<String> errors(String text) {
        return PolicyParser.parse("p.weir", text).diagnostics().stream().map(Diagnostic::headline).toList();
    }

    @Test
    void parsesTheSample() {
        PolicyFile f = parseOk(Policies.SAMPLE);
        assertEquals(List.of("admin", "analyst", "support"), f.roles().stream().map(r -> r.name().text()).toList());
        RoleDecl support = f.roles().get(2);
        assertEquals(List.of("analyst"), support.parents().stream().map(Name::text).toList());
        assertEquals(new SourcePos("p.weir", 4, 1), support.pos());
        assertEquals(new SourcePos("p.weir", 4, 22), support.parents().getFirst().pos());

        List<Rule> rules = f.rules();
        assertEquals(List.of("admin-all", "people-read", "people-write", "no-drop"),
                rules.stream().map(r -> r.id().value()).toList());

        Rule adminAll = rules.get(0);
        assertEquals(Effect.ALLOW, adminAll.effect());
        assertInstanceOf(Selector.Any.class, adminAll.tables());
        assertInstanceOf(Selector.Any.class, adminAll.operations());
        assertEquals(new SourcePos("p.weir", 7, 1), adminAll.pos());

        Rule read = rules.get(1);
        assertEquals("analyst", read.principals().toString());
        assertEquals("[GetItem, Query, Scan, BatchGetItem]", read.operations().toString());
        Clause.Fields fields = read.fields().orElseThrow();
        assertEquals(List.of("id", "name", "region", "email", "ssn", "address.*"),
                fields.paths().stream().map(Object::toString).toList());
        assertEquals(List.of(new PathSegment.Attribute("address"), new PathSegment.AnyAttribute()),
                fields.paths().get(5).segments());
        assertEquals(2, read.actions().size());
        assertEquals(new FieldAction.MaskShowLast(4), read.actions().get(0).action());
        assertEquals("ssn", read.actions().get(0).path().toString());
        assertEquals(new FieldAction.Remove(), read.actions().get(1).action());
        assertEquals("salary", read.actions().get(1).path().toString());

        Rule write = rules.get(2);
        assertEquals("ingest", write.principals().toString());
        assertEquals("write", write.operations().toString());

        Rule noDrop = rules.get(3);
        assertEquals(Effect.DENY, noDrop.effect());
        assertInstanceOf(Selector.Any.class, noDrop.principals());
        assertEquals("[people, audit]", noDrop.tables().toString());
        assertEquals("people is never dropped", noDrop.reason().orElseThrow().text());
        assertTrue(noDrop.id().explicit());
    }

    @Test
    void ruleWithoutIdGetsFileAndLine() {
        PolicyFile f = parseOk("role a\n\n  allow a on table t op read\n");
        Rule r = f.rules().getFirst();
        assertEquals("p.weir:3", r.id().value());
        assertFalse(r.id().explicit());
    }

    @Test
    void parsesEveryMaskFunctionAndClause() {
        PolicyFile f = parseOk("""
                allow a on table t op * fields ["display name", "odd \\"key\\"", table, null.reason, a.*.b]
                  mask x show_first(2) mask y hash mask z constant("n/a") null w remove v
                deny a on table "weird.table" op delete reason "multi\\nline"
                """);
        Rule allow = f.rules().get(0);
        List<String> paths = allow.fields().orElseThrow().paths().stream().map(Object::toString).toList();
        assertEquals(List.of("\"display name\"", "\"odd \\\"key\\\"\"", "table", "null.reason", "a.*.b"), paths);
        assertEquals(new PathSegment.Attribute("odd \"key\""), allow.fields().orElseThrow().paths().get(1).segments().getFirst());
        assertEquals(List.of(new FieldAction.MaskShowFirst(2), new FieldAction.Hash(), new FieldAction.Constant("n/a"),
                        new FieldAction.Null(), new FieldAction.Remove()),
                allow.actions().stream().map(Clause.Action::action).toList());
        Rule deny = f.rules().get(1);
        assertEquals("weird.table", ((Selector.Listed) deny.tables()).names().getFirst().text());
        assertEquals("multi\nline", deny.reason().orElseThrow().text());
    }

    @Test
    void commentsAndLayoutDoNotMatter() {
        PolicyFile a = parseOk("role r # trailing\nallow r on table t op [GetItem,Query] fields [x] # c\n");
        PolicyFile b = parseOk("role r\n#only comment\nallow r\non table t\nop [ GetItem , Query ]\n  fields [\n x\n ]");
        assertEquals(a.rules().getFirst().operations().toString(), b.rules().getFirst().operations().toString());
    }

    @Test
    void emptyFileIsEmpty() {
        assertEquals(List.of(), parseOk("# nothing here\n").declarations());
    }

    @Test
    void syntaxErrorsNameLineAndColumn() {
        assertEquals(List.of("p.weir:2:15: error: syntax error: missing 'table' at 'op'",
                        "p.weir:2:18: error: syntax error: missing 'op' at 'read'"),
                errors("role a\nallow a on    op read\n"));
        assertEquals(List.of("p.weir:1:22: error: syntax error: mismatched input '<EOF>' expecting {'[', '*', IDENT}"),
                errors("allow a on table t op"));
        assertEquals(List.of("p.weir:1:13: error: syntax error: token recognition error at: '\"oops\\n'"),
                errors("deny * on t \"oops\nx").subList(0, 1));
    }

    @Test
    void unknownMaskFunctionAndBadArguments() {
        assertEquals(List.of("p.weir:1:34: error: unknown mask function 'show_lst' (did you mean 'show_last'?)"),
                errors("allow a on table t op * mask ssn show_lst(4)"));
        assertEquals(List.of("p.weir:1:34: error: show_last takes one number, e.g. show_last(4)"),
                errors("allow a on table t op * mask ssn show_last(\"4\")"));
        assertEquals(List.of("p.weir:1:34: error: constant takes one string or number, e.g. constant(\"***\") or constant(0)"),
                errors("allow a on table t op * mask ssn constant()"));
        assertEquals(List.of("p.weir:1:34: error: hash takes no arguments"),
                errors("allow a on table t op * mask ssn hash(1)"));
        assertEquals(List.of("p.weir:1:44: error: number too large: 99999999999"),
                errors("allow a on table t op * mask ssn show_last(99999999999)"));
        assertEquals(List.of("p.weir:1:1: error: unknown annotation '@ids' (did you mean '@id'?)"),
                errors("@ids(\"x\") allow a on table t op *"));
    }
}
