package dev.weir.store.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The stored form of a {@link TableDefinition}: a small versioned JSON document. */
final class TableCodec {
    private static final int VERSION = 1;
    private final ObjectMapper mapper;

    TableCodec(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    byte[] encode(TableDefinition t) {
        ObjectNode o = mapper.createObjectNode();
        o.put("v", VERSION);
        o.put("id", t.id());
        o.put("name", t.name());
        o.put("uuid", t.uuid());
        o.set("hash", element(t.keySchema().hash()));
        t.keySchema().range().ifPresent(r -> o.set("range", element(r)));
        ArrayNode attrs = o.putArray("attributes");
        t.attributeDefinitions().forEach(a -> attrs.add(element(a)));
        o.put("createdAtMillis", t.createdAt().toEpochMilli());
        o.put("billingMode", t.billingMode().name());
        o.put("read", t.throughput().readCapacityUnits());
        o.put("write", t.throughput().writeCapacityUnits());
        try {
            return mapper.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    TableDefinition decode(byte[] bytes) {
        JsonNode o;
        try {
            o = mapper.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (o.path("v").asInt() != VERSION) throw new IllegalStateException("unknown table encoding " + o.path("v"));
        List<KeyElement> attrs = new ArrayList<>();
        o.path("attributes").forEach(a -> attrs.add(element(a)));
        return new TableDefinition(
                o.path("id").asLong(),
                o.path("name").asText(),
                o.path("uuid").asText(),
                KeySchema.of(element(o.path("hash")), o.has("range") ? element(o.path("range")) : null),
                attrs,
                Instant.ofEpochMilli(o.path("createdAtMillis").asLong()),
                BillingMode.valueOf(o.path("billingMode").asText()),
                new Throughput(o.path("read").asLong(), o.path("write").asLong()));
    }

    private ObjectNode element(KeyElement e) {
        return mapper.createObjectNode().put("name", e.name()).put("type", e.type().name());
    }

    private static KeyElement element(JsonNode n) {
        return new KeyElement(n.path("name").asText(), ScalarType.valueOf(n.path("type").asText()));
    }
}
