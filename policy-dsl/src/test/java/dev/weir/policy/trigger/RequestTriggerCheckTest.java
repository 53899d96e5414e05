package dev.weir.policy.trigger;

import dev.weir.policy.LoadResult;
import dev.weir.policy.Policies;
import dev.weir.policy.PolicyLoader;
import dev.weir.policy.PolicySource;
import dev.weir.policy.check.Diagnostic;
import dev.weir.policy.field.HmacKeys;
import dev.weir.policy.schema.SchemaLoader;
import dev.weir.policy.schema.TableSchema;
import dev.weir.protocol.model.Operation;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** API-call triggers ({@code trigger on request op [..] on table T}) in the policy language: compiling, matching, refusals. */
class RequestTriggerCheckTest {
    private static final String ROLES = """
            role auditor
            role writer
            allow auditor on table images op read
            allow writer on table images op write
            role scoped
            allow scoped on table images op read rows where item.owner == "me"
            """;

    private static List<String> headlines(String trigger) {
        return Policies.load("audit.weir", ROLES + trigger).diagnostics().stream().map(d -> d.headline()).toList();
    }

    @Test
    void aRequestTriggerCompilesAndMatchesItsOperationsOnItsTableOnly() {
        LoadResult r = Policies.load("audit.weir", ROLES + """
                @id("audit-deletes")
                trigger on request op [DeleteItem, UpdateItem] on table images
                  call "https://audit.internal/deleted"
                  as role auditor
                  retry 2 backoff 1s to 1m
                """);
        assertTrue(r.ok(), r.diagnostics().toString());
        assertTrue(r.table().orElseThrow().triggers().isEmpty(), "not a stream trigger");
        assertTrue(r.table().orElseThrow().schedules().isEmpty(), "not a schedule");
        List<RequestTriggerSpec> specs = r.table().orElseThrow().requestTriggers();
        assertEquals(1, specs.size());
        RequestTriggerSpec s = specs.getFirst();
        assertEquals("audit-deletes", s.id());
        assertEquals("images", s.table());
        assertEquals(Set.of(Operation.DeleteItem, Operation.UpdateItem), s.operations());
        assertEquals(URI.create("https://audit.internal/deleted"), s.url());
        assertEquals("auditor", s.role());
        assertEquals(2, s.retries());
        assertEquals(Duration.ofSeconds(1), s.backoffLow());
        assertEquals(Duration.ofMinutes(1), s.backoffHigh());
        assertTrue(s.matches("images", Operation.DeleteItem));
        assertTrue(s.matches("images", Operation.UpdateItem));
        assertFalse(s.matches("images", Operation.GetItem));
        assertFalse(s.matches("images", Operation.PutItem));
        assertFalse(s.matches("videos", Operation.DeleteItem));
    }

    @Test
    void putsBatchesAndTransactionsCompile() {
        LoadResult r = Policies.load("audit.weir", ROLES + """
                @id("writes")
                trigger on request op [PutItem, BatchWriteItem, TransactWriteItems, BatchGetItem, TransactGetItems] on table images
                  call "https://audit.internal/written" as role auditor
                """);
        assertTrue(r.ok(), r.diagnostics().toString());
        RequestTriggerSpec s = r.table().orElseThrow().requestTriggers().getFirst();
        assertEquals(Set.of(Operation.PutItem, Operation.BatchWriteItem, Operation.TransactWriteItems, Operation.BatchGetItem,
                Operation.TransactGetItems), s.operations());
        assertTrue(s.matches("images", Operation.BatchWriteItem));
        assertFalse(s.matches("images", Operation.DeleteItem), "a trigger names the request's own operation, not its parts'");
    }

    @Test
    void defaultsAreTheStreamTriggersOnes() {
        LoadResult r = Policies.load("audit.weir", ROLES
                + "@id(\"d\") trigger on request op [DeleteItem] on table images call \"http://h/f\" as role auditor\n");
        assertTrue(r.ok(), r.diagnostics().toString());
        RequestTriggerSpec s = r.table().orElseThrow().requestTriggers().getFirst();
        assertEquals(TriggerSpec.DEFAULT_RETRIES, s.retries());
        assertEquals(TriggerSpec.DEFAULT_BACKOFF_LOW, s.backoffLow());
    }

    @Test
    void otherOperationsAndKindsAreRefused() {
        assertEquals(List.of("audit.weir:7:33: error: a request trigger fires on GetItem, PutItem, UpdateItem, DeleteItem, "
                        + "BatchGetItem, BatchWriteItem, TransactGetItems, TransactWriteItems (requests that name items by their keys), "
                        + "not 'Query'"),
                headlines("@id(\"d\") trigger on request op [Query] on table images call \"http://h/f\" as role auditor\n"));
        assertEquals(List.of("audit.weir:7:42: error: a request trigger fires on GetItem, PutItem, UpdateItem, DeleteItem, "
                        + "BatchGetItem, BatchWriteItem, TransactGetItems, TransactWriteItems (requests that name items by their keys), "
                        + "not 'BatchWriteItems' (did you mean 'BatchWriteItem'?)"),
                headlines("@id(\"d\") trigger on request op [PutItem, BatchWriteItems] on table images call \"http://h/f\" as role auditor\n"));
        assertEquals(List.of("audit.weir:7:45: error: operation 'DeleteItem' is listed twice"),
                headlines("@id(\"d\") trigger on request op [DeleteItem, DeleteItem] on table images call \"http://h/f\" as role auditor\n"));
        assertTrue(headlines("@id(\"d\") trigger on reply op [DeleteItem] on table images call \"http://h/f\" as role auditor\n")
                .getFirst().contains("not 'on reply'"));
    }

    @Test
    void clausesThatJudgeAChangeAreRefused() {
        List<String> h = headlines("@id(\"d\") trigger on request op [DeleteItem] on table images call \"http://h/f\" as role auditor"
                + " mark done batch 2\n");
        assertEquals(2, h.size(), h.toString());
        assertTrue(h.stream().allMatch(m -> m.contains("a request trigger has no '")), h.toString());
    }

    @Test
    void aRoleThatMayNotReadTheItemsIsRefused() {
        List<String> h = headlines("@id(\"d\") trigger on request op [DeleteItem] on table images call \"http://h/f\" as role writer\n");
        assertEquals(1, h.size(), h.toString());
        assertTrue(h.getFirst().contains("role 'writer' may not read the items of table images"), h.toString());
    }

    @Test
    void aRoleThatReadsOnlySomeRowsIsRefused() {
        List<String> h = headlines("@id(\"d\") trigger on request op [DeleteItem] on table images call \"http://h/f\" as role scoped\n");
        assertEquals(1, h.size(), h.toString());
        assertTrue(h.getFirst().contains("role 'scoped' reads only some rows of table images"), h.toString());
    }

    private static final String KEYED_SCHEMA = """
            tables:
              images:
                key: [id, shot]
                attributes: {id: S, shot: N, owner: S, faces: N}
            """;

    /** The policy's diagnostics, each rendered with its line and caret, loaded with {@code schema}. */
    private static List<String> withSchema(String schemaText, String policy) {
        TableSchema schema = SchemaLoader.parse("schema.yaml", schemaText).schema().orElseThrow();
        LoadResult r = PolicyLoader.load(List.of(new PolicySource("audit.weir", policy)), Optional.of(schema), HmacKeys.forTesting());
        List<String> lines = policy.lines().toList();
        return r.diagnostics().stream().map(d -> d.render(d.line() > 0 && d.line() <= lines.size() ? lines.get(d.line() - 1) : null))
                .toList();
    }

    @Test
    void withTheKeyInTheSchemaARoleThatCannotReadAKeyAttributeInTheClearIsRefusedAtCheckTime() {
        String roles = """
                role masker
                role remover
                role narrow
                role reader
                allow masker on table images op read
                  mask id show_last(2)
                allow remover on table images op read
                  remove id
                allow narrow on table images op read fields [shot, faces]
                allow reader on table images op read fields [id, shot]
                """;
        String triggers = """
                @id("m") trigger on request op [PutItem] on table images call "http://h/f" as role masker
                @id("r") trigger on request op [BatchWriteItem] on table images call "http://h/f" as role remover
                @id("n") trigger on request op [TransactWriteItems] on table images call "http://h/f" as role narrow
                @id("ok") trigger on request op [PutItem, BatchWriteItem] on table images call "http://h/f" as role reader
                """;
        assertEquals(List.of("""
                audit.weir:11:84: error: role 'masker' does not read the key attribute 'id' of table images in the clear \
                (masks it; schema.yaml names the key [id, shot]): the trigger would send its function key values its role may not read
                @id("m") trigger on request op [PutItem] on table images call "http://h/f" as role masker
                                                                                                   ^""", """
                audit.weir:12:91: error: role 'remover' does not read the key attribute 'id' of table images in the clear \
                (removes it; schema.yaml names the key [id, shot]): the trigger would send its function key values its role may not read
                @id("r") trigger on request op [BatchWriteItem] on table images call "http://h/f" as role remover
                                                                                                          ^""", """
                audit.weir:13:95: error: role 'narrow' does not read the key attribute 'id' of table images in the clear \
                (it is not among the role's fields; schema.yaml names the key [id, shot]): the trigger would send its function key \
                values its role may not read
                @id("n") trigger on request op [TransactWriteItems] on table images call "http://h/f" as role narrow
                                                                                                              ^"""),
                withSchema(KEYED_SCHEMA, roles + triggers));
    }

    @Test
    void withoutTheKeyInTheSchemaTheRoleIsJudgedPerRequest() {
        String policy = """
                role remover
                allow remover on table images op read
                  remove id
                @id("r") trigger on request op [PutItem] on table images call "http://h/f" as role remover
                """;
        assertEquals(List.of(), withSchema("""
                tables:
                  images:
                    attributes: {id: S, shot: N}
                """, policy), "no key named: the key is cut when the request comes");
        assertEquals(1, withSchema(KEYED_SCHEMA, policy).size());
    }

    @Test
    void aSchemaKeyMustBeOneOrTwoDescribedScalarAttributes() {
        List<String> errors = java.util.stream.Stream.of(
                        "key: id", "key: [id, shot, owner]", "key: [id, id]", "key: [nope]", "key: [tags]", "key: []")
                .map(k -> SchemaLoader.parse("schema.yaml", "tables:\n  images:\n    " + k
                        + "\n    attributes: {id: S, shot: N, owner: S, tags: SS}\n"))
                .map(r -> r.diagnostics().stream().map(Diagnostic::headline).reduce("", String::concat)).toList();
        assertEquals(List.of(
                "schema.yaml: error: table images, key: expected a list of one or two attribute names (the partition key, then the sort key): key: [id] or key: [id, ts]",
                "schema.yaml: error: table images, key: expected a list of one or two attribute names (the partition key, then the sort key): key: [id] or key: [id, ts]",
                "schema.yaml: error: table images, key: 'id' is named twice",
                "schema.yaml: error: table images, key: 'nope' is not among the table's attributes (describe it with its type: S, N or B)",
                "schema.yaml: error: table images, key: 'tags' is SS, but a key attribute is S, N or B",
                "schema.yaml: error: table images, key: expected a list of one or two attribute names (the partition key, then the sort key): key: [id] or key: [id, ts]"),
                errors);
        assertEquals(Optional.of(List.of("id", "shot")),
                SchemaLoader.parse("schema.yaml", KEYED_SCHEMA).schema().orElseThrow().key("images"));
    }
}
