package dev.weir.store.e2e;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ReplicationGroupUpdate;
import software.amazon.awssdk.services.dynamodb.model.SSEDescription;
import software.amazon.awssdk.services.dynamodb.model.SSEType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Server-side encryption settings on CreateTable and UpdateTable, and the refusal of replicas, through the SDK. */
class EncryptionReplicaSdkTest extends SdkTestBase {

    @BeforeAll
    static void setUp() {
        start();
        table("enc", "id", ScalarAttributeType.S, null, null);
    }

    private static SSEDescription sse(String table) {
        return ddb.describeTable(b -> b.tableName(table)).table().sseDescription();
    }

    @Test
    void theOwnedKeyIsTheDefaultAndAKmsKeyIsRefusedRatherThanPretended() {
        assertNull(sse("enc"), "the AWS owned key is the default and is not described");
        assertValidation("Table is already encrypted by default",
                () -> ddb.updateTable(b -> b.tableName("enc").sseSpecification(s -> s.enabled(false))));
        String noKms = "One or more parameter values were invalid: the bundled store has no KMS and cannot encrypt a table "
                + "with a KMS key; encrypt the store's data directory at the disk level instead";
        assertValidation(noKms, () -> ddb.updateTable(b -> b.tableName("enc").sseSpecification(s -> s.enabled(true))));
        assertValidation(noKms, () -> ddb.updateTable(b -> b.tableName("enc").sseSpecification(s -> s.enabled(true)
                .sseType(SSEType.KMS).kmsMasterKeyId("1234abcd-12ab-34cd-56ef-1234567890ab"))));
        assertValidation(noKms, () -> table("enc-created", "id", ScalarAttributeType.S, null, null,
                b -> b.sseSpecification(s -> s.enabled(true).sseType(SSEType.KMS).kmsMasterKeyId("arn:aws:kms:eu-west-1:111122223333:key/abc"))));
        assertNull(sse("enc"), "nothing was recorded");
    }

    @Test
    void badEncryptionSettingsAreRefusedWithDynamoDbsMessages() {
        assertValidation("1 validation error detected: Value 'DES' at 'sSESpecification.sSEType' failed to satisfy constraint: "
                        + "Member must satisfy enum value set: [AES256, KMS]",
                () -> ddb.updateTable(b -> b.tableName("enc").sseSpecification(s -> s.sseType("DES"))));
        assertValidation("Invalid request provided: The only valid SSEType is KMS",
                () -> ddb.updateTable(b -> b.tableName("enc").sseSpecification(s -> s.enabled(true).sseType(SSEType.AES256))));
        assertValidation("SSEType KMS is required if KMSMasterKeyId is specified",
                () -> ddb.updateTable(b -> b.tableName("enc").sseSpecification(s -> s.enabled(true).kmsMasterKeyId("k"))));
    }

    @Test
    void replicasAreRefusedClearly() {
        DynamoDbException e = assertValidation("ReplicaUpdates are not supported: this store has a single region (us-east-1) "
                        + "and cannot create, update or delete replicas of a global table",
                () -> ddb.updateTable(b -> b.tableName("enc").replicaUpdates(ReplicationGroupUpdate.builder()
                        .create(c -> c.regionName("eu-west-1")).build())));
        assertEquals(400, e.statusCode());
        assertValidation("1 validation error detected: Value null at 'replicaUpdates.1.member.delete.regionName' "
                        + "failed to satisfy constraint: Member must not be null",
                () -> ddb.updateTable(b -> b.tableName("enc").replicaUpdates(ReplicationGroupUpdate.builder()
                        .delete(d -> d.build()).build())));
    }
}
