package dev.weir.store.table;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.protocol.error.DynamoException;
import dev.weir.store.api.RequestFields;
import dev.weir.store.api.ValidationErrors;

/**
 * A table's server-side encryption setting as DynamoDB describes it: encrypted with a KMS key
 * ({@code kmsMasterKeyArn}, the AWS managed key {@code alias/aws/dynamodb} unless the request
 * named another). A table without one uses the AWS owned key, DynamoDB's default, which
 * DescribeTable does not show. The store has no KMS, so a request for a KMS key is refused
 * after DynamoDB's own validation (docs/store.md); the KMS form is still read from table
 * definitions written by an earlier version, which recorded it.
 */
public record Sse(String kmsMasterKeyArn) {

    /** What an SSESpecification asks for. */
    sealed interface Requested permits OwnedKey {}

    /** The AWS owned key (no SSEDescription). */
    record OwnedKey() implements Requested {}

    /**
     * Reads an SSESpecification member (at {@code path}, e.g. {@code sSESpecification}):
     * shape errors go to {@code errors}; a request DynamoDB refuses as a whole throws.
     * Returns null when the member is absent.
     */
    static Requested parse(JsonNode request, ValidationErrors errors) {
        if (!RequestFields.present(request, "SSESpecification")) return null;
        JsonNode spec = RequestFields.requireObject(RequestFields.object(request, "SSESpecification"));
        Boolean enabled = RequestFields.bool(spec, "Enabled");
        String type = RequestFields.text(spec, "SSEType");
        String key = RequestFields.text(spec, "KMSMasterKeyId");
        // SSEType's values are the validator's (RequestValidator); the API reference puts no length on the key: this bound is the store's
        errors.length(key, "sSESpecification.kMSMasterKeyId", 1, 2048);
        if (!errors.isEmpty()) return null;
        if (Boolean.FALSE.equals(enabled)) {
            if (type != null || key != null) {
                throw DynamoException.validation("One or more parameter values were invalid: "
                        + "SSEType and KMSMasterKeyId cannot be specified when SSE is disabled");
            }
            return new OwnedKey();
        }
        if ("AES256".equals(type)) {
            throw DynamoException.validation("Invalid request provided: The only valid SSEType is KMS");
        }
        if (key != null && type == null) {
            throw DynamoException.validation("SSEType KMS is required if KMSMasterKeyId is specified");
        }
        if (enabled == null && type == null) return new OwnedKey();
        // A security product must not report encryption it does not perform: the store has no
        // KMS, so a KMS key is refused rather than recorded and shown in SSEDescription.
        throw DynamoException.validation("One or more parameter values were invalid: the bundled store has no KMS and "
                + "cannot encrypt a table with a KMS key; encrypt the store's data directory at the disk level instead");
    }
}
