package dev.weir.appliance;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.util.Map;
import java.util.TreeMap;

/**
 * The AWS SDK for Java v2, unmodified, as a client in the test's client namespace
 * (TransparentNamespacesEndToEndTest runs it with {@code ip netns exec}): it addresses the
 * store's own address and knows nothing of weir. Each argument is one step,
 * {@code verb,endpoint,accessKeyId,secret[,value]}; each step prints one line
 * {@code RESULT <step> OK <item>} or {@code RESULT <step> ERR <exception> <message>}.
 * Verbs: {@code setup} (create table people, put person p-001 with the given name),
 * {@code get} (GetItem p-001).
 */
public final class TransparentClient {
    private TransparentClient() {}

    public static void main(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String[] step = args[i].split(",", 5);
            String result;
            try (DynamoDbClient db = DynamoClients.as(step[1], step[2], step[3])) {
                result = switch (step[0]) {
                    case "setup" -> {
                        db.createTable(b -> b.tableName("people").billingMode(BillingMode.PAY_PER_REQUEST)
                                .attributeDefinitions(AttributeDefinition.builder().attributeName("id")
                                        .attributeType(ScalarAttributeType.S).build())
                                .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build()));
                        db.putItem(b -> b.tableName("people").item(Map.of("id", s("p-001"), "name", s(step[4]),
                                "email", s("ada@example.com"), "ssn", s("123-45-6789"),
                                "salary", AttributeValue.fromN("98000"), "region", s("eu"))));
                        yield "OK";
                    }
                    case "get" -> {
                        var item = db.getItem(b -> b.tableName("people").key(Map.of("id", s("p-001")))).item();
                        Map<String, String> flat = new TreeMap<>();
                        item.forEach((k, v) -> flat.put(k, v.s() != null ? v.s() : v.n()));
                        yield "OK " + flat;
                    }
                    default -> throw new IllegalArgumentException("unknown verb " + step[0]);
                };
            } catch (Exception e) {
                result = "ERR " + e.getClass().getSimpleName() + " " + String.valueOf(e.getMessage()).replace('\n', ' ');
            }
            System.out.println("RESULT " + i + " " + result);
        }
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }
}
