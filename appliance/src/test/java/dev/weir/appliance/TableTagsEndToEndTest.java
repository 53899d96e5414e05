package dev.weir.appliance;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A policy that reads {@code ctx.table.tags}: weir fetches the tags from the upstream with its
 * own credentials, and tagging through weir takes effect at once.
 */
class TableTagsEndToEndTest {
    private static final Map<String, AttributeValue> KEY = Map.of("id", AttributeValue.fromS("k1"));

    @Test
    void aDenyOnATableTagFollowsTheTagsAsTheyChange(@TempDir Path home) throws Exception {
        Path policies = Files.createDirectories(home.resolve("policies"));
        Files.writeString(policies.resolve("tags.weir"), """
                role admin
                role analyst

                @id("admin-all")
                allow admin on table * op *

                @id("analyst-read")
                allow analyst on table * op [GetItem, BatchGetItem]

                @id("no-pii-for-analysts")
                deny analyst on table * op *
                  when ctx.table.tags.classification == "pii"
                  reason "pii tables are closed to analysts"
                """);
        try (ApplianceProcess weir = ApplianceProcess.startWith(home, policies, ApplianceProcess.CONF.resolve("principals.yaml"));
             DynamoDbClient admin = DynamoClients.as(weir.endpoint(), "AKIAWEIRADMIN0000001", "weir-admin-secret");
             DynamoDbClient analyst = DynamoClients.as(weir.endpoint(), "AKIAWEIRANALYST00001", "weir-analyst-secret")) {
            String secretArn = null;
            for (String table : new String[] {"open", "secret"}) {
                String arn = admin.createTable(b -> b.tableName(table)
                        .attributeDefinitions(d -> d.attributeName("id").attributeType(ScalarAttributeType.S))
                        .keySchema(k -> k.attributeName("id").keyType("HASH")).billingMode("PAY_PER_REQUEST"))
                        .tableDescription().tableArn();
                if (table.equals("secret")) secretArn = arn;
            }
            analyst.getItem(b -> b.tableName("secret").key(KEY));

            String arn = secretArn;
            admin.tagResource(b -> b.resourceArn(arn).tags(t -> t.key("classification").value("pii")));
            DynamoDbException denied = assertThrows(DynamoDbException.class, () -> analyst.getItem(b -> b.tableName("secret").key(KEY)));
            assertEquals("AccessDeniedException", denied.awsErrorDetails().errorCode());
            assertTrue(denied.getMessage().contains("no-pii-for-analysts") && denied.getMessage().contains("pii tables are closed"),
                    denied.getMessage());
            analyst.getItem(b -> b.tableName("open").key(KEY));
            DynamoDbException batch = assertThrows(DynamoDbException.class, () -> analyst.batchGetItem(b -> b.requestItems(Map.of(
                    "open", KeysAndAttributes.builder().keys(KEY).build(),
                    "secret", KeysAndAttributes.builder().keys(KEY).build()))));
            assertTrue(batch.getMessage().contains("(table secret)"), batch.getMessage());

            admin.untagResource(b -> b.resourceArn(arn).tagKeys("classification"));
            analyst.getItem(b -> b.tableName("secret").key(KEY));
        }
    }

    /**
     * Whether weir fetches tags comes from the compiled policy, not from a search of its text:
     * a deny whose reason (written before its condition) holds a '#', and a deny that quotes a
     * step ({@code ctx."table".tags}), each alone in the policy, fire, and {@code weir policy
     * explain} gives the same decision.
     */
    @Test
    void aTagDenyFiresHoweverItIsWrittenAndExplainAgrees(@TempDir Path home) throws Exception {
        Path policies = Files.createDirectories(home.resolve("policies"));
        String allows = """
                role admin
                role analyst
                @id("admin-all") allow admin on table * op *
                @id("analyst-read") allow analyst on table * op [GetItem]
                """;
        Files.writeString(policies.resolve("tags.weir"), allows + """
                @id("frozen") deny analyst on table * op * reason "frozen by ticket #4711" when ctx.table.tags.state == "frozen"
                """);
        try (ApplianceProcess weir = ApplianceProcess.startWith(home, policies, ApplianceProcess.CONF.resolve("principals.yaml"));
             DynamoDbClient admin = DynamoClients.as(weir.endpoint(), "AKIAWEIRADMIN0000001", "weir-admin-secret");
             DynamoDbClient analyst = DynamoClients.as(weir.endpoint(), "AKIAWEIRANALYST00001", "weir-analyst-secret")) {
            String arn = admin.createTable(b -> b.tableName("ledger")
                    .attributeDefinitions(d -> d.attributeName("id").attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName("id").keyType("HASH")).billingMode("PAY_PER_REQUEST"))
                    .tableDescription().tableArn();
            admin.tagResource(b -> b.resourceArn(arn).tags(t -> t.key("state").value("frozen"), t -> t.key("env").value("prod")));
            DynamoDbException frozen = assertThrows(DynamoDbException.class, () -> analyst.getItem(b -> b.tableName("ledger").key(KEY)));
            assertTrue(frozen.getMessage().contains("rule frozen forbids it: frozen by ticket #4711"), frozen.getMessage());
            assertTrue(explain(policies, "state=frozen").contains("decision: FORBIDDEN by [frozen]"));

            Files.writeString(policies.resolve("tags.weir"), allows + """
                    @id("prod") deny analyst on table * op *
                      when ctx."table".tags.env == "prod"
                    """);
            long deadline = System.nanoTime() + 15_000_000_000L;
            String message = "";
            while (!message.contains("rule prod forbids it")) {
                if (System.nanoTime() > deadline) throw new AssertionError("the quoted tag deny never fired: " + message);
                Thread.sleep(100);
                try {
                    analyst.getItem(b -> b.tableName("ledger").key(KEY));
                    message = "allowed";
                } catch (DynamoDbException e) {
                    message = e.getMessage();
                }
            }
            assertTrue(explain(policies, "env=prod").contains("decision: FORBIDDEN by [prod]"));
        }
    }

    /** {@code weir policy explain} for the analyst's GetItem on ledger with this tag, run in-process. */
    private static synchronized String explain(Path policies, String tag) {
        java.io.PrintStream out = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            int exit = new picocli.CommandLine(new dev.weir.appliance.cli.WeirCommand()).execute("policy", "explain",
                    policies.toString(), "--principal", "analyst", "--roles", "analyst", "--op", "GetItem", "--table", "ledger",
                    "--tag", tag);
            String text = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(0, exit, text);
            return text;
        } finally {
            System.setOut(out);
        }
    }
}
