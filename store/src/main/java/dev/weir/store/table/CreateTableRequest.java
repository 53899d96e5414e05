package dev.weir.store.table;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.protocol.error.DynamoException;
import dev.weir.store.api.RequestFields;
import dev.weir.store.api.ValidationErrors;
import dev.weir.store.stream.StreamRequests;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and validates a CreateTable request as DynamoDB does: first the members' own
 * constraints (reported together), then the rules that relate them, each with DynamoDB's
 * message.
 */
public final class CreateTableRequest {
    private static final List<String> ATTRIBUTE_TYPES = List.of("B", "N", "S");
    private static final List<String> KEY_TYPES = List.of("HASH", "RANGE");
    private static final List<String> BILLING_MODES = List.of("PROVISIONED", "PAY_PER_REQUEST");
    private static final long MAX_CAPACITY = 1_000_000_000_000L;
    private static final String INVALID = "One or more parameter values were invalid: ";

    private record Element(String name, String type) {}

    private CreateTableRequest() {}

    public static TableSpec parse(JsonNode request) {
        String tableName = RequestFields.text(request, "TableName");
        List<Element> definitions = elements(request, "AttributeDefinitions", "AttributeName", "AttributeType");
        List<Element> keys = elements(request, "KeySchema", "AttributeName", "KeyType");
        String billing = RequestFields.text(request, "BillingMode");
        JsonNode provisioned = RequestFields.object(request, "ProvisionedThroughput");
        Long read = RequestFields.integer(provisioned, "ReadCapacityUnits");
        Long write = RequestFields.integer(provisioned, "WriteCapacityUnits");

        ValidationErrors errors = new ValidationErrors();
        errors.notNull(definitions, "attributeDefinitions");
        if (definitions != null) {
            for (int i = 0; i < definitions.size(); i++) {
                String path = "attributeDefinitions." + (i + 1) + ".member.";
                errors.notNull(definitions.get(i).name(), path + "attributeName");
                errors.length(definitions.get(i).name(), path + "attributeName", 1, KeySchema.MAX_NAME_LENGTH);
                errors.notNull(definitions.get(i).type(), path + "attributeType");
                errors.oneOf(definitions.get(i).type(), path + "attributeType", ATTRIBUTE_TYPES);
            }
        }
        TableNames.check(errors, tableName, "tableName");
        errors.oneOf(billing, "billingMode", BILLING_MODES);
        if (provisioned != null) {
            errors.notNull(write, "provisionedThroughput.writeCapacityUnits");
            errors.range(write, "provisionedThroughput.writeCapacityUnits", 1, Long.MAX_VALUE);
            errors.notNull(read, "provisionedThroughput.readCapacityUnits");
            errors.range(read, "provisionedThroughput.readCapacityUnits", 1, Long.MAX_VALUE);
        }
        errors.notNull(keys, "keySchema");
        if (keys != null) {
            if (keys.isEmpty()) errors.add("[]", "keySchema", "Member must have length greater than or equal to 1");
            if (keys.size() > 2) errors.add(keys.size() + " elements", "keySchema", "Member must have length less than or equal to 2");
            for (int i = 0; i < keys.size(); i++) {
                String path = "keySchema." + (i + 1) + ".member.";
                errors.notNull(keys.get(i).name(), path + "attributeName");
                errors.length(keys.get(i).name(), path + "attributeName", 1, KeySchema.MAX_NAME_LENGTH);
                errors.notNull(keys.get(i).type(), path + "keyType");
                errors.oneOf(keys.get(i).type(), path + "keyType", KEY_TYPES);
            }
        }
        List<IndexRequests.Raw> locals = IndexRequests.read(request, "LocalSecondaryIndexes", "localSecondaryIndexes", false, errors);
        List<IndexRequests.Raw> globals = IndexRequests.read(request, "GlobalSecondaryIndexes", "globalSecondaryIndexes", true, errors);
        Map<String, String> tags = Tags.read(request, "Tags");
        Sse.Requested sse = Sse.parse(request, errors);
        StreamRequests.Requested stream = StreamRequests.parse(request);
        errors.throwIfAny();
        StreamRequests.checkConsistent(stream);

        BillingMode mode = "PAY_PER_REQUEST".equals(billing) ? BillingMode.PAY_PER_REQUEST : BillingMode.PROVISIONED;
        Throughput throughput = Throughput.NONE;
        if (mode == BillingMode.PAY_PER_REQUEST) {
            if (provisioned != null) {
                throw invalid("Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
            }
        } else {
            if (provisioned == null) {
                throw invalid("ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");
            }
            if (read > MAX_CAPACITY) throw DynamoException.validation("Given value " + read + " for ReadCapacityUnits is out of bounds");
            if (write > MAX_CAPACITY) throw DynamoException.validation("Given value " + write + " for WriteCapacityUnits is out of bounds");
            throughput = new Throughput(read, write);
        }

        List<String> definedNames = definitions.stream().map(Element::name).toList();
        List<String> keyNames = keys.stream().map(Element::name).toList();
        if (keyNames.size() > definedNames.size()) {
            throw DynamoException.validation("Invalid KeySchema: Some index key attribute have no definition");
        }
        if (!definedNames.containsAll(keyNames)) {
            throw invalid("Some index key attributes are not defined in AttributeDefinitions. Keys: ["
                    + String.join(", ", keyNames) + "], AttributeDefinitions: [" + String.join(", ", definedNames) + "]");
        }
        if (keyNames.size() == 2 && keyNames.get(0).equals(keyNames.get(1))) {
            throw DynamoException.validation("Both the Hash Key and the Range Key element in the KeySchema have the same name");
        }
        if (!keys.get(0).type().equals("HASH")) {
            throw DynamoException.validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
        }
        if (keys.size() == 2 && !keys.get(1).type().equals("RANGE")) {
            throw DynamoException.validation("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
        }
        if (locals == null && globals == null && keyNames.size() != definedNames.size()) {
            throw invalid("Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions");
        }

        List<KeyElement> attributes = new ArrayList<>();
        for (Element d : definitions) attributes.add(new KeyElement(d.name(), ScalarType.valueOf(d.type())));
        KeyElement hash = find(attributes, keyNames.get(0));
        KeyElement range = keyNames.size() == 2 ? find(attributes, keyNames.get(1)) : null;
        KeySchema tableKeys = KeySchema.of(hash, range);

        List<IndexDefinition> indexes = new ArrayList<>();
        Set<String> indexNames = new HashSet<>();
        if (locals != null) {
            if (locals.isEmpty()) throw invalid("List of LocalSecondaryIndexes is empty");
            if (range == null) {
                throw invalid("Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex");
            }
            for (IndexRequests.Raw raw : locals) {
                indexes.add(IndexRequests.resolve(raw, IndexKind.LOCAL, attributes, tableKeys, mode, indexNames));
            }
            if (locals.size() > IndexRequests.MAX_LOCAL) {
                throw invalid("Number of LocalSecondaryIndexes exceeds per-table limit of " + IndexRequests.MAX_LOCAL);
            }
        }
        if (globals != null) {
            if (globals.isEmpty()) throw invalid("List of GlobalSecondaryIndexes is empty");
            for (IndexRequests.Raw raw : globals) {
                indexes.add(IndexRequests.resolve(raw, IndexKind.GLOBAL, attributes, tableKeys, mode, indexNames));
            }
            if (globals.size() > IndexRequests.MAX_GLOBAL) {
                throw invalid("GlobalSecondaryIndex count exceeds the per-table limit of " + IndexRequests.MAX_GLOBAL);
            }
        }
        Set<String> used = new LinkedHashSet<>(keyNames);
        for (IndexDefinition i : indexes) i.keySchema().elements().forEach(e -> used.add(e.name()));
        if (used.size() != definedNames.size()) {
            throw invalid("Some AttributeDefinitions are not used. AttributeDefinitions: [" + String.join(", ", definedNames)
                    + "], keys used: [" + String.join(", ", used) + "]");
        }
        return new TableSpec(tableName, tableKeys, attributes, mode, throughput, indexes, tags, null,
                stream != null && stream.enabled() ? stream.viewType() : null);
    }

    private static List<Element> elements(JsonNode request, String field, String nameField, String typeField) {
        List<JsonNode> nodes = RequestFields.list(request, field);
        if (nodes == null) return null;
        List<Element> out = new ArrayList<>(nodes.size());
        for (JsonNode n : nodes) {
            if (n.isNull()) {
                out.add(new Element(null, null));
                continue;
            }
            RequestFields.requireObject(n);
            out.add(new Element(RequestFields.text(n, nameField), RequestFields.text(n, typeField)));
        }
        return out;
    }

    private static KeyElement find(List<KeyElement> attributes, String name) {
        return attributes.stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow();
    }

    private static DynamoException invalid(String detail) {
        return DynamoException.validation(INVALID + detail);
    }
}
