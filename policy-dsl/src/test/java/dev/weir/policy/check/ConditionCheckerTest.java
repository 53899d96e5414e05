package dev.weir.policy.check;

import dev.weir.policy.LoadResult;
import dev.weir.policy.Policies;
import dev.weir.policy.PolicyLoader;
import dev.weir.policy.PolicySource;
import dev.weir.policy.field.HmacKeys;
import dev.weir.policy.schema.SchemaLoader;
import dev.weir.policy.schema.TableSchema;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checker's new reports: types, context, networks, schema, keys, shadowed and unreachable rules, mask conflicts. */
class ConditionCheckerTest {

    private static List<String> headlines(String text) {
        LoadResult r = Policies.load("p.weir", text);
        return r.diagnostics().stream().map(Diagnostic::headline).toList();
    }

    private static List<String> withSchema(String text) {
        TableSchema schema = SchemaLoader.parse("schema.yaml", """
                tables:
                  people:
                    attributes: {id: S, name: S, salary: N, region: S, address: M, address.city: S}
                """).schema().orElseThrow();
        LoadResult r = PolicyLoader.load(List.of(new PolicySource("p.weir", text)), Optional.of(schema), HmacKeys.forTesting());
        return r.diagnostics().stream().map(Diagnostic::headline).toList();
    }

    @Test
    void itemAttributesAreNotKnownInAWhen() {
        assertEquals(List.of("p.weir:2:30: error: 'item.region': a 'when' clause is decided before any item is read;"
                + " test items with 'rows where' or 'require'"), headlines("role a\nallow a on table t op * when item.region == \"eu\"\n"));
    }

    @Test
    void unknownContextValuesAndNetworks() {
        assertEquals(List.of(
                "p.weir:2:30: error: unknown context value 'ctx.sorce' (did you mean 'ctx.source'?)",
                "p.weir:3:44: error: unknown network 'ofice' (did you mean 'office'?)"), headlines("""
                role a network office = [10.0.0.0/8]
                allow a on table t op * when ctx.sorce in office
                allow a on table t op * when ctx.source in ofice
                """));
    }

    @Test
    void typeErrors() {
        assertEquals(List.of(
                "p.weir:2:42: error: type error: cannot compare a principal attribute (strings) with a number (it is never true)",
                "p.weir:3:41: error: '<' orders numbers or strings, not an address",
                "p.weir:4:39: error: ctx.time is tested with a window, e.g. ctx.time in 07:00..19:00 \"Europe/Berlin\"",
                "p.weir:5:45: error: type error: an address is compared with CIDR blocks, not a string",
                "p.weir:6:41: error: type error: a time window tests ctx.time, not an address"), headlines("""
                role a
                allow a on table t op * when principal.x == 5
                allow a on table t op * when ctx.source < 10.0.0.1
                allow a on table t op * when ctx.time == "07:00"
                allow a on table t op * when ctx.source in ["x"]
                allow a on table t op * when ctx.source in 07:00..08:00
                """));
    }

    /**
     * A certificate subject attribute is a set of values (two OUs in either order): comparing
     * it as one value is refused, with the membership test to write instead, at its position.
     */
    @Test
    void certificateSubjectAttributesAreTestedByMembershipOnly() {
        String text = """
                role a
                deny * on table t op Scan when ctx.tls.subject.ou == "batch"
                deny * on table t op Scan when ctx.tls.subject.ou != "batch"
                deny * on table t op Scan when "batch" == ctx.tls.subject.ou
                deny * on table t op Scan when ctx.tls.subject.cn < "m" or ctx.tls.subject.cn between "a" and "b"
                deny * on table t op Scan when ctx.tls.subject.ou in ["a", "batch"] or begins_with(ctx.tls.subject.cn, "x")
                allow a on table t op * rows where item.unit == ctx.tls.subject.ou
                deny * on table t op Query when not ("batch" in ctx.tls.subject.ou) or contains(ctx.tls.subject.o, "x")
                allow a on table t op * rows where item.unit in ctx.tls.subject.ou and size(ctx.tls.subject.ou) < 3
                deny * on table t op GetItem when not exists(ctx.tls.subject.ou)
                """;
        LoadResult r = Policies.load("p.weir", text);
        assertEquals(List.of(
                "p.weir:2:32: error: 'ctx.tls.subject.ou' is the set of the certificate's OU values (a certificate may carry"
                        + " several, in any order), so it is not compared as one value: write \"batch\" in ctx.tls.subject.ou",
                "p.weir:3:32: error: 'ctx.tls.subject.ou' is the set of the certificate's OU values (a certificate may carry"
                        + " several, in any order), so it is not compared as one value: write not (\"batch\" in ctx.tls.subject.ou)",
                "p.weir:4:43: error: 'ctx.tls.subject.ou' is the set of the certificate's OU values (a certificate may carry"
                        + " several, in any order), so it is not compared as one value: write \"batch\" in ctx.tls.subject.ou",
                "p.weir:5:32: error: 'ctx.tls.subject.cn' is the set of the certificate's CN values (a certificate may carry"
                        + " several, in any order), so it is not compared as one value: write \"m\" in ctx.tls.subject.cn",
                "p.weir:5:60: error: 'ctx.tls.subject.cn' is the set of the certificate's CN values (a certificate may carry"
                        + " several, in any order), so it is not compared as one value: write \"batch\" in ctx.tls.subject.cn",
                "p.weir:6:32: error: 'ctx.tls.subject.ou' is the set of the certificate's OU values (a certificate may carry"
                        + " several, in any order), so it is not compared as one value: write \"batch\" in ctx.tls.subject.ou",
                "p.weir:6:84: error: 'ctx.tls.subject.cn' is the set of the certificate's CN values (a certificate may carry"
                        + " several, in any order), so it is not compared as one value: write \"batch\" in ctx.tls.subject.cn",
                "p.weir:7:49: error: 'ctx.tls.subject.ou' is the set of the certificate's OU values (a certificate may carry"
                        + " several, in any order), so it is not compared as one value: write \"batch\" in ctx.tls.subject.ou"),
                r.diagnostics().stream().filter(d -> d.severity() == Severity.ERROR).map(Diagnostic::headline).toList());
        assertEquals("p.weir:2:32: error: 'ctx.tls.subject.ou' is the set of the certificate's OU values (a certificate may carry"
                + " several, in any order), so it is not compared as one value: write \"batch\" in ctx.tls.subject.ou\n"
                + "deny * on table t op Scan when ctx.tls.subject.ou == \"batch\"\n"
                + "                               ^", Policies.rendered(r, "p.weir", text).getFirst());
    }

    @Test
    void schemaUnknownTablesTypeErrorsAndMasksThatChangeTypes() {
        assertEquals(List.of(
                "p.weir:1:25: error: unknown table 'peple' (did you mean 'people'?)"), withSchema("role a allow a on table peple op *"));
        assertEquals(List.of(
                "p.weir:2:3: warning: hash turns the number 'salary' of table people into a string",
                "p.weir:3:10: warning: 'nickname' is not in the schema of table people",
                "p.weir:4:26: error: type error: cannot compare a number with a string (it is never true)"), withSchema("""
                role a @id("r") allow a on table people op GetItem
                  mask salary hash
                  remove nickname
                  rows where item.salary == "high"
                """));
    }

    @Test
    void hmacKeysMustBeConfigured() {
        LoadResult r = PolicyLoader.load(List.of(new PolicySource("p.weir", "role a allow a on table t op * mask e hmac(key: \"pseudonym\")")),
                Optional.empty(), HmacKeys.none());
        assertEquals(List.of("p.weir:1:32: error: hmac key 'pseudonym' is not configured (set WEIR_HMAC_KEY_PSEUDONYM)"),
                r.diagnostics().stream().map(Diagnostic::headline).toList());
    }

    @Test
    void shadowedAndUnreachableRulesAndMaskConflicts() {
        assertEquals(List.of(
                "p.weir:2:1: warning: rule 'read' is shadowed: every request it matches is forbidden by 'no', so it never takes effect",
                "p.weir:3:1: warning: rule 'never' is unreachable: its 'when' is false",
                "p.weir:4:35: warning: rule 'list' is unreachable: [ListTables] name no table, so they match only rules 'on table *'",
                "p.weir:7:38: warning: mask conflict on 'ssn': rule 'm1' masks it with show_first(4), rule 'm2' with show_last(4),"
                        + " and both can match one request; show_last(4) applies"), headlines("""
                role a role b extends a
                @id("read") allow b on table t op GetItem
                @id("never") allow a on table t op * when false
                @id("list") allow a on table t op ListTables
                @id("no") deny a on table t op read
                @id("m1") allow a on table u op GetItem mask ssn show_first(4)
                @id("m2") allow b on table u op read mask ssn show_last(4)
                """));
    }

    @Test
    void requireOnlyOnAllowsAndConditionClausesAtMostOnce() {
        assertEquals(List.of("p.weir:1:31: error: 'require' is only allowed on allow rules"
                + " (to refuse writes of some items, write 'deny ... rows where ...')"),
                headlines("role a deny a on table t op * require item.x == 1"));
        assertTrue(headlines("role a allow a on table t op * when true when false").contains("p.weir:1:42: error: duplicate 'when' clause"));
    }
}
