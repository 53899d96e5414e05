package dev.weir.store.e2e;

import dev.weir.store.StoreTestCredentials;
import dev.weir.store.BundledStore;
import dev.weir.store.StoreOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A store on loopback for one test class, an SDK client, and the helpers every SDK test uses. */
abstract class SdkTestBase {
    static Path dir;
    static BundledStore store;
    static DynamoDbClient ddb;
    static java.net.InetSocketAddress address;

    static void start(StoreOptions options) {
        try {
            dir = Files.createTempDirectory("weir-store-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        store = BundledStore.open(dir, options);
        address = store.listen("127.0.0.1", 0);
        ddb = SdkClients.to(address);
    }

    static void start() {
        start(StoreTestCredentials.options());
    }

    @AfterAll
    static void stop() throws IOException {
        if (ddb != null) ddb.close();
        if (store != null) store.close();
        ddb = null;
        store = null;
        if (dir != null) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** An on-demand table with a hash key and an optional range key (null). */
    static void table(String name, String hash, ScalarAttributeType hashType, String range, ScalarAttributeType rangeType) {
        table(name, hash, hashType, range, rangeType, b -> {});
    }

    static void table(String name, String hash, ScalarAttributeType hashType, String range, ScalarAttributeType rangeType,
                      Consumer<CreateTableRequest.Builder> more) {
        ddb.createTable(b -> {
            b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST);
            List<KeySchemaElement> keys = new ArrayList<>();
            List<AttributeDefinition> defs = new ArrayList<>();
            keys.add(KeySchemaElement.builder().attributeName(hash).keyType(KeyType.HASH).build());
            defs.add(AttributeDefinition.builder().attributeName(hash).attributeType(hashType).build());
            if (range != null) {
                keys.add(KeySchemaElement.builder().attributeName(range).keyType(KeyType.RANGE).build());
                defs.add(AttributeDefinition.builder().attributeName(range).attributeType(rangeType).build());
            }
            b.keySchema(keys).attributeDefinitions(defs);
            more.accept(b);
        });
    }

    static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    static AttributeValue n(String v) {
        return AttributeValue.fromN(v);
    }

    static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }

    static AttributeValue b(int... bytes) {
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) out[i] = (byte) bytes[i];
        return AttributeValue.fromB(SdkBytes.fromByteArray(out));
    }

    static <T extends DynamoDbException> T assertError(Class<T> type, String code, String message, Executable call) {
        T e = assertThrows(type, call);
        assertEquals(code, e.awsErrorDetails().errorCode());
        assertEquals(message, e.awsErrorDetails().errorMessage());
        assertEquals(400, e.statusCode());
        return e;
    }

    static DynamoDbException assertValidation(String message, Executable call) {
        return assertError(DynamoDbException.class, "ValidationException", message, call);
    }
}
