package dev.weir.store.table;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.protocol.error.DynamoException;
import dev.weir.store.api.RequestFields;
import dev.weir.store.api.ValidationErrors;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads and validates secondary index definitions (in CreateTable, and GSI creation in
 * UpdateTable) with DynamoDB's member constraints and messages.
 */
final class IndexRequests {
    private static final List<String> PROJECTION_TYPES = List.of("ALL", "INCLUDE", "KEYS_ONLY");
    private static final String INVALID = "One or more parameter values were invalid: ";
    static final int MAX_LOCAL = 5;
    static final int MAX_GLOBAL = 20;

    /** An index as the request gives it, before the rules that relate it to its table are checked. */
    record Raw(String name, List<Element> keys, String projectionType, List<String> nonKeyAttributes,
               JsonNode throughputNode, Throughput throughput) {}

    record Element(String name, String type) {}

    private IndexRequests() {}

    /** The indexes of a list member, with member constraint violations added to {@code errors}; null if absent. */
    static List<Raw> read(JsonNode parent, String field, String path, boolean global, ValidationErrors errors) {
        List<JsonNode> nodes = RequestFields.list(parent, field);
        if (nodes == null) return null;
        List<Raw> out = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            out.add(readOne(RequestFields.requireObject(nodes.get(i)), path + "." + (i + 1) + ".member", global, errors));
        }
        return out;
    }

    static Raw readOne(JsonNode n, String path, boolean global, ValidationErrors errors) {
        String name = RequestFields.text(n, "IndexName");
        List<Element> keys = elements(n, "KeySchema");
        JsonNode projection = RequestFields.object(n, "Projection");
        String projectionType = RequestFields.text(projection, "ProjectionType");
        List<JsonNode> nonKeyNodes = RequestFields.list(projection, "NonKeyAttributes");
        List<String> nonKey = null;
        if (nonKeyNodes != null) {
            nonKey = new ArrayList<>();
            for (JsonNode a : nonKeyNodes) nonKey.add(a.asText());
        }
        JsonNode throughputNode = global ? RequestFields.object(n, "ProvisionedThroughput") : null;
        Long read = RequestFields.integer(throughputNode, "ReadCapacityUnits");
        Long write = RequestFields.integer(throughputNode, "WriteCapacityUnits");

        errors.notNull(name, path + ".indexName");
        TableNames.checkIndexName(errors, name, path + ".indexName");
        errors.notNull(keys, path + ".keySchema");
        if (keys != null) {
            if (keys.isEmpty()) errors.add("[]", path + ".keySchema", "Member must have length greater than or equal to 1");
            if (!global && keys.size() > 2) {
                errors.add(keys.size() + " elements", path + ".keySchema", "Member must have length less than or equal to 2");
            }
            for (int k = 0; k < keys.size(); k++) {
                String kp = path + ".keySchema." + (k + 1) + ".member.";
                errors.notNull(keys.get(k).name(), kp + "attributeName");
                errors.length(keys.get(k).name(), kp + "attributeName", 1, KeySchema.MAX_NAME_LENGTH);
                errors.notNull(keys.get(k).type(), kp + "keyType");
            }
        }
        errors.notNull(projection, path + ".projection");
        errors.oneOf(projectionType, path + ".projection.projectionType", PROJECTION_TYPES);
        if (nonKey != null && nonKey.isEmpty()) {
            errors.add("[]", path + ".projection.nonKeyAttributes", "Member must have length greater than or equal to 1");
        }
        if (nonKey != null) {
            for (int a = 0; a < nonKey.size(); a++) {
                errors.length(nonKey.get(a), path + ".projection.nonKeyAttributes." + (a + 1) + ".member", 1,
                        KeySchema.MAX_NAME_LENGTH);
            }
        }
        if (throughputNode != null) {
            errors.notNull(write, path + ".provisionedThroughput.writeCapacityUnits");
            errors.range(write, path + ".provisionedThroughput.writeCapacityUnits", 1, Long.MAX_VALUE);
            errors.notNull(read, path + ".provisionedThroughput.readCapacityUnits");
            errors.range(read, path + ".provisionedThroughput.readCapacityUnits", 1, Long.MAX_VALUE);
        }
        Throughput throughput = throughputNode == null || read == null || write == null ? Throughput.NONE : new Throughput(read, write);
        return new Raw(name, keys, projectionType, nonKey, throughputNode, throughput);
    }

    /**
     * Checks one index against its table's attribute definitions and key schema (the custom
     * rules, after member constraints) and returns its definition, without an id yet.
     */
    static IndexDefinition resolve(Raw raw, IndexKind kind, List<KeyElement> definitions, KeySchema tableKeys,
                                   BillingMode billing, Set<String> namesSeen) {
        List<String> defined = definitions.stream().map(KeyElement::name).toList();
        List<String> keyNames = raw.keys().stream().map(Element::name).toList();
        if (!defined.containsAll(keyNames)) {
            throw invalid("Some index key attributes are not defined in AttributeDefinitions. Keys: ["
                    + String.join(", ", keyNames) + "], AttributeDefinitions: [" + String.join(", ", defined) + "]");
        }
        if (keyNames.size() == 2 && keyNames.get(0).equals(keyNames.get(1))) {
            throw DynamoException.validation("Both the Hash Key and the Range Key element in the KeySchema have the same name");
        }
        if (!"HASH".equals(raw.keys().get(0).type())) {
            throw DynamoException.validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
        }
        if (raw.keys().size() == 2 && !"RANGE".equals(raw.keys().get(1).type()) && kind == IndexKind.LOCAL) {
            throw DynamoException.validation("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
        }
        if (kind == IndexKind.GLOBAL) checkMultiAttribute(raw, keyNames);
        if (kind == IndexKind.LOCAL) {
            if (raw.keys().size() != 2) {
                throw invalid("Index KeySchema does not have a range key for index: " + raw.name());
            }
            if (!keyNames.get(0).equals(tableKeys.hash().name())) {
                throw invalid("Index KeySchema does not have the same leading hash key as table KeySchema for index: "
                        + raw.name() + ". index hash key: " + keyNames.get(0) + ", table hash key: " + tableKeys.hash().name());
            }
        }
        if (raw.projectionType() == null) throw invalid("Unknown ProjectionType: null");
        if (raw.nonKeyAttributes() != null && !raw.projectionType().equals("INCLUDE")) {
            throw invalid("ProjectionType is " + raw.projectionType() + ", but NonKeyAttributes is specified");
        }
        if (raw.projectionType().equals("INCLUDE") && raw.nonKeyAttributes() == null) {
            throw invalid("ProjectionType is INCLUDE, but NonKeyAttributes is not specified");
        }
        if (!namesSeen.add(raw.name())) throw invalid("Duplicate index name: " + raw.name());
        if (kind == IndexKind.GLOBAL) {
            if (billing == BillingMode.PAY_PER_REQUEST && raw.throughputNode() != null) {
                throw invalid("ProvisionedThroughput should not be specified for index: " + raw.name()
                        + " when BillingMode is PAY_PER_REQUEST");
            }
            if (billing == BillingMode.PROVISIONED && raw.throughputNode() == null) {
                throw invalid("ProvisionedThroughput must be specified for index: " + raw.name());
            }
        }
        List<KeyElement> hashes = new ArrayList<>();
        List<KeyElement> ranges = new ArrayList<>();
        for (Element e : raw.keys()) ("HASH".equals(e.type()) ? hashes : ranges).add(find(definitions, e.name()));
        Projection projection = new Projection(ProjectionType.valueOf(raw.projectionType()),
                raw.nonKeyAttributes() == null ? List.of() : raw.nonKeyAttributes());
        Throughput throughput = kind == IndexKind.GLOBAL ? raw.throughput() : Throughput.NONE;
        return new IndexDefinition(0, raw.name(), kind, new KeySchema(hashes, ranges), projection, throughput, IndexStatus.ACTIVE);
    }

    /**
     * A global index's KeySchema beyond one HASH and one RANGE element (multi-attribute keys):
     * up to four HASH elements, then up to four RANGE elements, no attribute twice. DynamoDB's
     * words for these refusals are not on record; these are the store's (docs/store.md).
     */
    private static void checkMultiAttribute(Raw raw, List<String> keyNames) {
        int hashes = 0;
        int ranges = 0;
        for (Element e : raw.keys()) {
            if ("HASH".equals(e.type())) {
                if (ranges > 0) {
                    throw DynamoException.validation("Invalid KeySchema: every HASH KeySchemaElement must come before the RANGE "
                            + "KeySchemaElements; index: " + raw.name());
                }
                hashes++;
            } else {
                ranges++;
            }
        }
        if (hashes > KeySchema.MAX_MULTI_ATTRIBUTES || ranges > KeySchema.MAX_MULTI_ATTRIBUTES) {
            throw invalid("A global secondary index KeySchema may have at most " + KeySchema.MAX_MULTI_ATTRIBUTES
                    + " HASH and at most " + KeySchema.MAX_MULTI_ATTRIBUTES + " RANGE KeySchemaElements; index: " + raw.name()
                    + ", HASH elements: " + hashes + ", RANGE elements: " + ranges);
        }
        Set<String> seen = new java.util.HashSet<>();
        for (String name : keyNames) {
            if (!seen.add(name)) {
                throw DynamoException.validation("Invalid KeySchema: the attribute " + name
                        + " is named by more than one KeySchemaElement; index: " + raw.name());
            }
        }
    }

    static List<Element> elements(JsonNode parent, String field) {
        List<JsonNode> nodes = RequestFields.list(parent, field);
        if (nodes == null) return null;
        List<Element> out = new ArrayList<>(nodes.size());
        for (JsonNode n : nodes) {
            if (n.isNull()) {
                out.add(new Element(null, null));
                continue;
            }
            RequestFields.requireObject(n);
            out.add(new Element(RequestFields.text(n, "AttributeName"), RequestFields.text(n, "KeyType")));
        }
        return out;
    }

    private static KeyElement find(List<KeyElement> attributes, String name) {
        return attributes.stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow();
    }

    static DynamoException invalid(String detail) {
        return DynamoException.validation(INVALID + detail);
    }
}
