package dev.weir.proxy.enforce.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.protocol.expr.ExpressionContext;
import dev.weir.protocol.expr.Projection;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValue.S;
import dev.weir.protocol.model.Operation;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The answers of GetItem, BatchGetItem and TransactGetItems as a restricted view shows them,
 * member by member from the response plan: rows the view hides left out (an empty entry in a
 * transaction), fields masked, projections applied to the item as shown, unknown members and
 * metadata withheld.
 */
class ReadAnswerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ReadView READER = Views.view("reader", "t");
    private static final ReadView ADMIN = Views.view("admin", "t");
    private static final String EU = "{\"pk\":{\"S\":\"1\"},\"region\":{\"S\":\"eu\"},\"name\":{\"S\":\"Alice\"},\"secret\":{\"S\":\"x\"}}";
    private static final String US = "{\"pk\":{\"S\":\"2\"},\"region\":{\"S\":\"us\"},\"name\":{\"S\":\"Bob\"}}";
    private static final String EU3 = "{\"pk\":{\"S\":\"3\"},\"region\":{\"S\":\"eu\"},\"name\":{\"S\":\"Carol\"}}";

    private static String show(Operation op, String answer, Map<String, ReadAnswer.Shape> tables, List<ReadAnswer.Shape> entries,
                               boolean metadata) throws Exception {
        return ReadAnswer.show(op, JSON.readTree(answer), tables, entries, metadata).body().toString();
    }

    private static Projection projection(String text) {
        return new ExpressionContext(Map.of("#n", "name", "#r", "region"), null).projection(text);
    }

    @Test
    void theResponsePlanNamesEveryMemberAndWithholdsTheRest() {
        ResponsePlan get = ResponsePlan.of(Operation.GetItem);
        assertEquals(ResponsePlan.Role.ITEM, get.role("Item"));
        assertEquals(ResponsePlan.Role.METADATA, get.role("ConsumedCapacity"));
        assertEquals(ResponsePlan.Role.WITHHELD, get.role("ItemCollectionMetrics"));
        assertEquals(ResponsePlan.Role.WITHHELD, get.role("SomethingNew"));
        assertEquals(ResponsePlan.Role.KEYS_BY_TABLE, ResponsePlan.of(Operation.BatchGetItem).role("UnprocessedKeys"));
        assertEquals(ResponsePlan.Role.ENTRIES, ResponsePlan.of(Operation.TransactGetItems).role("Responses"));
        ResponsePlan scan = ResponsePlan.of(Operation.Scan);
        // Every member of weir's own page is one the plan names.
        Page page = new Page(List.of(Map.of("pk", new S("1"))), 1, 2, Map.of("pk", new S("1")));
        page.toJson().fieldNames().forEachRemaining(m -> assertEquals(false, scan.role(m) == ResponsePlan.Role.WITHHELD, m));
        assertThrows(IllegalArgumentException.class, () -> ResponsePlan.of(Operation.PutItem));
    }

    @Test
    void getItemThroughTheViewThenTheProjection() throws Exception {
        String answer = "{\"Item\":" + EU + ",\"ConsumedCapacity\":{\"TableName\":\"t\",\"CapacityUnits\":0.5},\"Extra\":1}";
        assertEquals("{\"Item\":{\"pk\":{\"S\":\"1\"},\"region\":{\"S\":\"eu\"},\"name\":{\"S\":\"****ce\"}}}",
                show(Operation.GetItem, answer, Map.of(), List.of(new ReadAnswer.Shape(READER, null)), false));
        assertEquals("{\"Item\":{\"name\":{\"S\":\"****ce\"},\"region\":{\"S\":\"eu\"}}}",
                show(Operation.GetItem, answer, Map.of(), List.of(new ReadAnswer.Shape(READER, projection("#n, secret, #r"))), false),
                "the projection applied to the item as shown: the hidden secret is not there to project");
        assertEquals("{}", show(Operation.GetItem, "{\"Item\":" + US + ",\"ConsumedCapacity\":{}}", Map.of(),
                List.of(new ReadAnswer.Shape(READER, null)), false), "a hidden row answers as a missing key");
        assertEquals("{\"Item\":" + EU + ",\"ConsumedCapacity\":{\"TableName\":\"t\",\"CapacityUnits\":0.5}}",
                show(Operation.GetItem, answer, Map.of(), List.of(new ReadAnswer.Shape(ADMIN, null)), true),
                "metadata only where it may be reported; an unknown member never");
    }

    @Test
    void batchGetItemTablesInTheClientsKeyOrder() throws Exception {
        List<Map<String, AttributeValue>> keys = List.of(Map.of("pk", new S("3")), Map.of("pk", new S("2")), Map.of("pk", new S("1")));
        String answer = "{\"Responses\":{\"t\":[" + EU + "," + US + "," + EU3 + "],\"u\":[" + US + "]},\"UnprocessedKeys\":{}}";
        ReadAnswer.Shown shown = ReadAnswer.show(Operation.BatchGetItem, JSON.readTree(answer),
                Map.of("t", new ReadAnswer.Shape(READER, projection("pk"), keys), "u", new ReadAnswer.Shape(ADMIN, null)), List.of(), false);
        assertEquals("{\"Responses\":{\"t\":[{\"pk\":{\"S\":\"3\"}},{\"pk\":{\"S\":\"1\"}}],\"u\":[" + US + "]},\"UnprocessedKeys\":{}}",
                shown.body().toString());
        assertEquals(3, shown.kept());
        assertEquals(1, shown.dropped());
        assertThrows(IllegalStateException.class, () -> ReadAnswer.show(Operation.BatchGetItem,
                JSON.readTree("{\"Responses\":{},\"UnprocessedKeys\":{\"t\":{\"Keys\":[{\"pk\":{\"S\":\"9\"}}]}}}"),
                Map.of("t", new ReadAnswer.Shape(READER, null)), List.of(), false), "unprocessed keys never reach the caller");
        assertThrows(IllegalStateException.class, () -> ReadAnswer.show(Operation.BatchGetItem,
                JSON.readTree("{\"Responses\":{\"other\":[]}}"), Map.of("t", new ReadAnswer.Shape(READER, null)), List.of(), false));
    }

    @Test
    void transactGetItemsKeepsPositions() throws Exception {
        String answer = "{\"Responses\":[{\"Item\":" + US + "},{},{\"Item\":" + EU + "}],\"ConsumedCapacity\":[]}";
        List<ReadAnswer.Shape> entries = List.of(new ReadAnswer.Shape(READER, null), new ReadAnswer.Shape(READER, null),
                new ReadAnswer.Shape(READER, projection("#r")));
        assertEquals("{\"Responses\":[{},{},{\"Item\":{\"region\":{\"S\":\"eu\"}}}]}",
                show(Operation.TransactGetItems, answer, Map.of(), entries, false));
        assertThrows(IllegalStateException.class, () -> show(Operation.TransactGetItems, answer, Map.of(), entries.subList(0, 2), false));
        JsonNode notAnObject = JSON.readTree("[]");
        assertThrows(IllegalStateException.class, () -> ReadAnswer.show(Operation.GetItem, notAnObject, Map.of(), entries, false));
        assertThrows(IllegalArgumentException.class, () -> ReadAnswer.show(Operation.Query, JSON.readTree("{}"), Map.of(), entries, false));
    }
}
