package dev.weir.proxy.enforce.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.model.Operation;
import dev.weir.proxy.upstream.SignedStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Metadata withheld from callers whose view is restricted: capacity, collection metrics, table figures. */
class MetadataTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ReadView ADMIN = Views.view("admin", "people");
    private static final ReadView READER = Views.view("reader", "people");

    @TempDir
    Path dir;

    @Test
    void figuresAreReportedOnlyWhenEveryInvolvedViewIsUnrestricted() {
        assertTrue(Metadata.mayReport(List.of(ADMIN)));
        assertTrue(Metadata.mayReport(List.of(ADMIN, Views.view("admin", "other"))));
        assertFalse(Metadata.mayReport(List.of(ADMIN, READER)), "one restricted table is enough");
        assertFalse(Metadata.mayReport(List.of(ReadView.EMPTY)));
        assertFalse(Metadata.mayReport(List.of()), "nothing vouches for the figures");
    }

    @Test
    void theRequestMembersThatAskForWithheldFigures() throws Exception {
        JsonNode both = JSON.readTree("{\"TableName\":\"people\",\"ReturnConsumedCapacity\":\"INDEXES\","
                + "\"ReturnItemCollectionMetrics\":\"SIZE\"}");
        assertEquals(List.of("ReturnConsumedCapacity", "ReturnItemCollectionMetrics"), Metadata.withheldMembers(both, List.of(READER)));
        assertEquals(List.of(), Metadata.withheldMembers(both, List.of(ADMIN)));
        assertEquals(List.of("ReturnConsumedCapacity", "ReturnItemCollectionMetrics"),
                Metadata.withheldMembers(both, List.of(ADMIN, ReadView.EMPTY)), "a batch with one table the caller may not read");
        JsonNode none = JSON.readTree("{\"ReturnConsumedCapacity\":\"NONE\",\"ReturnItemCollectionMetrics\":\"NONE\"}");
        assertEquals(List.of(), Metadata.withheldMembers(none, List.of(READER)), "NONE asks for nothing");
        JsonNode total = JSON.readTree("{\"ReturnConsumedCapacity\":\"TOTAL\"}");
        assertEquals(List.of("ReturnConsumedCapacity"), Metadata.withheldMembers(total, List.of(READER)));
    }

    @Test
    void figuresTheStoreSentAnywayAreRemoved() throws Exception {
        ObjectNode response = (ObjectNode) JSON.readTree("{\"Item\":{},\"ConsumedCapacity\":{\"TableName\":\"people\","
                + "\"CapacityUnits\":2.5},\"ItemCollectionMetrics\":{\"SizeEstimateRangeGB\":[0,1]}}");
        assertFalse(Metadata.withholdFromResponse(response.deepCopy(), List.of(ADMIN)));
        ObjectNode cut = response.deepCopy();
        assertTrue(Metadata.withholdFromResponse(cut, List.of(READER)));
        assertEquals("{\"Item\":{}}", cut.toString());
    }

    /** What the real store describes (counts and sizes of a table with both kinds of index), as each caller sees it. */
    @Test
    void tableDescriptionsDropCountsAndSizesForARestrictedView() {
        try (SignedStore store = new SignedStore(dir)) {
            JsonNode created = store.call(Operation.CreateTable, """
                    {"TableName":"people","BillingMode":"PAY_PER_REQUEST",
                     "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"},
                       {"AttributeName":"n","AttributeType":"N"},{"AttributeName":"region","AttributeType":"S"}],
                     "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
                     "LocalSecondaryIndexes":[{"IndexName":"byN","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},
                       {"AttributeName":"n","KeyType":"RANGE"}],"Projection":{"ProjectionType":"KEYS_ONLY"}}],
                     "GlobalSecondaryIndexes":[{"IndexName":"byRegion","KeySchema":[{"AttributeName":"region","KeyType":"HASH"}],
                       "Projection":{"ProjectionType":"ALL"}}]}""");
            for (int i = 0; i < 3; i++) {
                store.call(Operation.PutItem, "{\"TableName\":\"people\",\"Item\":{\"pk\":{\"S\":\"p\"},\"sk\":{\"N\":\"" + i
                        + "\"},\"n\":{\"N\":\"1\"},\"region\":{\"S\":\"us\"}}}");
            }
            ObjectNode described = (ObjectNode) store.call(Operation.DescribeTable, "{\"TableName\":\"people\"}");
            assertEquals(List.of("IndexSizeBytes", "IndexSizeBytes", "ItemCount", "ItemCount", "ItemCount", "TableSizeBytes"),
                    figures(described), "what the store tells");

            assertSame(described, Metadata.tableResponse(Operation.DescribeTable, described, ADMIN));
            ObjectNode shown = Metadata.tableResponse(Operation.DescribeTable, described, READER);
            assertNotSame(described, shown);
            assertEquals(List.of(), figures(shown));
            assertEquals(6, figures(described).size(), "the store's answer itself is not changed");
            assertEquals(described.path("Table").path("KeySchema"), shown.path("Table").path("KeySchema"));
            assertEquals(described.path("Table").path("GlobalSecondaryIndexes").get(0).path("Projection"),
                    shown.path("Table").path("GlobalSecondaryIndexes").get(0).path("Projection"), "the rest stays");
            assertEquals(List.of(), figures(Metadata.tableResponse(Operation.DescribeTable, described, ReadView.EMPTY)));

            ObjectNode createdShown = Metadata.tableResponse(Operation.CreateTable, (ObjectNode) created, READER);
            assertFalse(figures((ObjectNode) created).isEmpty());
            assertEquals(List.of(), figures(createdShown));
            ObjectNode deleted = (ObjectNode) store.call(Operation.DeleteTable, "{\"TableName\":\"people\"}");
            assertEquals(List.of(), figures(Metadata.tableResponse(Operation.DeleteTable, deleted, READER)));
            assertThrows(IllegalArgumentException.class, () -> Metadata.tableResponse(Operation.Scan, deleted, READER));
        }
    }

    /** The names of every count and size member anywhere in the tree, sorted. */
    private static List<String> figures(JsonNode node) {
        List<String> out = new ArrayList<>();
        collect(node, out);
        out.sort(null);
        return out;
    }

    private static void collect(JsonNode node, List<String> out) {
        if (node.isObject()) {
            node.fieldNames().forEachRemaining(n -> {
                if (n.equals("ItemCount") || n.endsWith("SizeBytes")) out.add(n);
            });
        }
        for (JsonNode child : node) collect(child, out);
    }
}
