package dev.weir.store.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.weir.store.stream.StreamViewType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stored form of a {@link TableDefinition}: a small versioned JSON document. Version 1
 * (no indexes, tags or time to live) is still read; a
 * version 2 document without a stream member is a table that never had a stream.
 */
final class TableCodec {
    private static final int VERSION = 2;
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
        o.set("keys", keySchema(t.keySchema()));
        ArrayNode attrs = o.putArray("attributes");
        t.attributeDefinitions().forEach(a -> attrs.add(element(a)));
        o.put("createdAtMillis", t.createdAt().toEpochMilli());
        o.put("billingMode", t.billingMode().name());
        o.put("billingModeChangedAtMillis", t.billingModeChangedAt().toEpochMilli());
        o.set("throughput", throughput(t.throughput()));
        ArrayNode indexes = o.putArray("indexes");
        for (IndexDefinition i : t.indexes()) {
            ObjectNode n = indexes.addObject();
            n.put("id", i.id()).put("name", i.name()).put("kind", i.kind().name()).put("status", i.status().name());
            n.set("keys", keySchema(i.keySchema()));
            n.put("projection", i.projection().type().name());
            ArrayNode nonKey = n.putArray("nonKeyAttributes");
            i.projection().nonKeyAttributes().forEach(nonKey::add);
            n.set("throughput", throughput(i.throughput()));
        }
        ObjectNode tags = o.putObject("tags");
        t.tags().forEach(tags::put);
        if (t.timeToLive().attributeName() != null) {
            o.putObject("ttl").put("attribute", t.timeToLive().attributeName()).put("enabled", t.timeToLive().enabled())
                    .put("changedAtMillis", t.timeToLive().changedAtMillis());
        }
        if (t.sse() != null) o.putObject("sse").put("kmsMasterKeyArn", t.sse().kmsMasterKeyArn());
        if (t.stream() != null) {
            o.putObject("stream").put("no", t.stream().streamNo()).put("label", t.stream().label())
                    .put("view", t.stream().viewType().name()).put("enabled", t.stream().enabled());
        }
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
        int version = o.path("v").asInt();
        if (version == 1) return decodeVersion1(o);
        if (version != VERSION) throw new IllegalStateException("unknown table encoding " + o.path("v"));
        List<KeyElement> attrs = new ArrayList<>();
        o.path("attributes").forEach(a -> attrs.add(element(a)));
        List<IndexDefinition> indexes = new ArrayList<>();
        for (JsonNode n : o.path("indexes")) {
            List<String> nonKey = new ArrayList<>();
            n.path("nonKeyAttributes").forEach(a -> nonKey.add(a.asText()));
            indexes.add(new IndexDefinition(n.path("id").asLong(), n.path("name").asText(),
                    IndexKind.valueOf(n.path("kind").asText()), keySchema(n.path("keys")),
                    new Projection(ProjectionType.valueOf(n.path("projection").asText()), nonKey),
                    throughput(n.path("throughput")), IndexStatus.valueOf(n.path("status").asText())));
        }
        Map<String, String> tags = new LinkedHashMap<>();
        o.path("tags").properties().forEach(e -> tags.put(e.getKey(), e.getValue().asText()));
        TimeToLive ttl = o.has("ttl")
                ? new TimeToLive(o.path("ttl").path("attribute").asText(), o.path("ttl").path("enabled").asBoolean(),
                        o.path("ttl").path("changedAtMillis").asLong(0))
                : TimeToLive.DISABLED;
        return new TableDefinition(
                o.path("id").asLong(),
                o.path("name").asText(),
                o.path("uuid").asText(),
                keySchema(o.path("keys")),
                attrs,
                Instant.ofEpochMilli(o.path("createdAtMillis").asLong()),
                BillingMode.valueOf(o.path("billingMode").asText()),
                throughput(o.path("throughput")),
                Instant.ofEpochMilli(o.path("billingModeChangedAtMillis").asLong()),
                indexes, tags, ttl,
                o.has("sse") ? new Sse(o.path("sse").path("kmsMasterKeyArn").asText()) : null,
                o.has("stream") ? new TableStream(o.path("stream").path("no").asLong(), o.path("stream").path("label").asText(),
                        StreamViewType.valueOf(o.path("stream").path("view").asText()),
                        o.path("stream").path("enabled").asBoolean()) : null);
    }

    private static TableDefinition decodeVersion1(JsonNode o) {
        List<KeyElement> attrs = new ArrayList<>();
        o.path("attributes").forEach(a -> attrs.add(element(a)));
        Instant created = Instant.ofEpochMilli(o.path("createdAtMillis").asLong());
        return new TableDefinition(
                o.path("id").asLong(), o.path("name").asText(), o.path("uuid").asText(),
                KeySchema.of(element(o.path("hash")), o.has("range") ? element(o.path("range")) : null),
                attrs, created, BillingMode.valueOf(o.path("billingMode").asText()),
                new Throughput(o.path("read").asLong(), o.path("write").asLong()),
                created, List.of(), Map.of(), TimeToLive.DISABLED, null, null);
    }

    /** {@code hash} and {@code range} for one of each (as every version wrote them); lists for multi-attribute keys. */
    private ObjectNode keySchema(KeySchema k) {
        ObjectNode n = mapper.createObjectNode();
        if (k.isMultiAttribute()) {
            ArrayNode hashes = n.putArray("hashes");
            k.hashes().forEach(h -> hashes.add(element(h)));
            ArrayNode ranges = n.putArray("ranges");
            k.ranges().forEach(r -> ranges.add(element(r)));
            return n;
        }
        n.set("hash", element(k.hash()));
        k.range().ifPresent(r -> n.set("range", element(r)));
        return n;
    }

    private static KeySchema keySchema(JsonNode n) {
        if (n.has("hashes")) {
            List<KeyElement> hashes = new ArrayList<>();
            n.path("hashes").forEach(h -> hashes.add(element(h)));
            List<KeyElement> ranges = new ArrayList<>();
            n.path("ranges").forEach(r -> ranges.add(element(r)));
            return new KeySchema(hashes, ranges);
        }
        return KeySchema.of(element(n.path("hash")), n.has("range") ? element(n.path("range")) : null);
    }

    private ObjectNode throughput(Throughput t) {
        return mapper.createObjectNode().put("read", t.readCapacityUnits()).put("write", t.writeCapacityUnits());
    }

    private static Throughput throughput(JsonNode n) {
        return new Throughput(n.path("read").asLong(), n.path("write").asLong());
    }

    private ObjectNode element(KeyElement e) {
        return mapper.createObjectNode().put("name", e.name()).put("type", e.type().name());
    }

    private static KeyElement element(JsonNode n) {
        return new KeyElement(n.path("name").asText(), ScalarType.valueOf(n.path("type").asText()));
    }
}
