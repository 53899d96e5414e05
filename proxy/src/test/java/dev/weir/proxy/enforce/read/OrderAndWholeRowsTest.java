package dev.weir.proxy.enforce.read;

import dev.weir.protocol.model.Operation;
import dev.weir.proxy.schema.TableSchema;
import dev.weir.proxy.schema.TableSchema.Index;
import dev.weir.proxy.schema.TableSchema.Kind;
import dev.weir.proxy.schema.TableSchema.ProjectionType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which tables and indexes a caller may read in key order ({@link Order}) and judge its row
 * filter on ({@link WholeRows}). The reader's view (Views.POLICY) shows pk, sk, n, tag, region
 * in clear, masks name, hides the rest; its rows read region (allow) and classified (deny).
 */
class OrderAndWholeRowsTest {
    private static final TableSchema SCHEMA = new TableSchema("t", "pk", "sk", List.of(
            new Index("byN", Kind.LOCAL, "pk", "n", ProjectionType.ALL, List.of()),
            new Index("byName", Kind.LOCAL, "pk", "name", ProjectionType.ALL, List.of()),
            new Index("bySecret", Kind.GLOBAL, "secret", null, ProjectionType.ALL, List.of()),
            new Index("byRegionName", Kind.GLOBAL, "region", "name", ProjectionType.ALL, List.of()),
            new Index("tagKeys", Kind.GLOBAL, "tag", null, ProjectionType.KEYS_ONLY, List.of()),
            new Index("tagRegion", Kind.GLOBAL, "tag", "n", ProjectionType.INCLUDE, List.of("region")),
            new Index("tagBoth", Kind.GLOBAL, "tag", "n", ProjectionType.INCLUDE, List.of("region", "classified")),
            new Index("byRegion", Kind.GLOBAL, "region", null, ProjectionType.KEYS_ONLY, List.of())));

    private static final ReadView READER = Views.view("reader", "t");
    private static final ReadView ADMIN = Views.view("admin", "t");

    @Test
    void everyKeyOfTheTableAndTheIndexMustBeReadInClear() {
        assertEquals(Optional.empty(), Order.refusal(Operation.Query, SCHEMA, null, READER));
        assertEquals(Optional.empty(), Order.refusal(Operation.Scan, SCHEMA, "byN", READER));
        String masked = Order.refusal(Operation.Query, SCHEMA, "byName", READER).orElseThrow();
        assertTrue(masked.contains("index byName") && masked.contains("'name'"), "a sort key the caller sees masked: " + masked);
        String hidden = Order.refusal(Operation.Scan, SCHEMA, "bySecret", READER).orElseThrow();
        assertTrue(hidden.contains("'secret'"), "a Scan is ordered by its partition key: " + hidden);
        assertTrue(Order.refusal(Operation.Query, SCHEMA, "byRegionName", READER).isPresent(), "the sort key masked, the hash key clear");
        for (Index i : SCHEMA.indexes()) {
            assertEquals(Optional.empty(), Order.refusal(Operation.Query, SCHEMA, i.name(), ADMIN), "the admin reads every key");
        }
        // A view that shows only pk, sk and n: a table keyed by them is fine, an index keyed by tag is not,
        // and an index's key attributes include the table's.
        ReadView few = Views.fieldsOnly();
        assertEquals(Optional.empty(), Order.refusal(Operation.Query, SCHEMA, "byN", few));
        assertTrue(Order.refusal(Operation.Query, SCHEMA, "tagKeys", few).orElseThrow().contains("'tag'"));
        TableSchema hiddenTableKey = new TableSchema("t", "owner", null, List.of(new Index("byN", Kind.GLOBAL, "pk", "n",
                ProjectionType.ALL, List.of())));
        assertTrue(Order.refusal(Operation.Query, hiddenTableKey, "byN", READER).orElseThrow().contains("'owner'"),
                "a LastEvaluatedKey of an index holds the table's keys too");
        assertThrows(IllegalArgumentException.class, () -> Order.refusal(Operation.Query, SCHEMA, "nope", READER));
    }

    @Test
    void anIndexMustProjectEveryAttributeTheRowFilterReads() {
        assertEquals(Optional.empty(), WholeRows.refusal(SCHEMA, null, READER), "the table holds whole items");
        assertEquals(Optional.empty(), WholeRows.refusal(SCHEMA, "byN", READER), "ALL");
        String keysOnly = WholeRows.refusal(SCHEMA, "tagKeys", READER).orElseThrow();
        assertTrue(keysOnly.contains("index tagKeys") && keysOnly.contains("'region'"), keysOnly);
        String include = WholeRows.refusal(SCHEMA, "tagRegion", READER).orElseThrow();
        assertTrue(include.contains("'classified'"), "the deny's attribute is not projected: " + include);
        assertEquals(Optional.empty(), WholeRows.refusal(SCHEMA, "tagBoth", READER), "INCLUDE with both");
        assertTrue(WholeRows.refusal(SCHEMA, "byRegion", READER).orElseThrow().contains("'classified'"),
                "region is a key of the index, classified is not projected");
        assertEquals(Optional.empty(), WholeRows.refusal(SCHEMA, "tagKeys", Views.fieldsOnly()), "no row filter");
        assertEquals(Optional.empty(), WholeRows.refusal(SCHEMA, "tagKeys", ADMIN));
        assertTrue(WholeRows.refusal(SCHEMA, "tagKeys", ReadView.EMPTY).isPresent());
    }

    /** Multi-attribute keys of a global index: every partition and every sort attribute orders the read and is in its pages' keys. */
    @Test
    void everyAttributeOfAMultiAttributeKeyMustBeReadInClear() {
        TableSchema multi = new TableSchema("t", "pk", "sk", List.of(
                new Index("clear", Kind.GLOBAL, List.of("tag", "region"), List.of("n", "sk"), ProjectionType.ALL, List.of()),
                new Index("lastSortMasked", Kind.GLOBAL, List.of("tag", "region"), List.of("n", "name"), ProjectionType.ALL, List.of()),
                new Index("secondHashHidden", Kind.GLOBAL, List.of("tag", "secret"), List.of("n"), ProjectionType.ALL, List.of()),
                new Index("keysOnly", Kind.GLOBAL, List.of("tag", "region"), List.of("n"), ProjectionType.KEYS_ONLY, List.of()),
                new Index("keysOnlyBoth", Kind.GLOBAL, List.of("tag"), List.of("region", "classified"), ProjectionType.KEYS_ONLY,
                        List.of())));
        assertEquals(Optional.empty(), Order.refusal(Operation.Query, multi, "clear", READER));
        String masked = Order.refusal(Operation.Query, multi, "lastSortMasked", READER).orElseThrow();
        assertTrue(masked.contains("index lastSortMasked") && masked.contains("'name'"),
                "the second sort attribute orders the rows too: " + masked);
        assertTrue(Order.refusal(Operation.Scan, multi, "secondHashHidden", READER).orElseThrow().contains("'secret'"),
                "so does the second partition attribute");
        assertEquals(Optional.empty(), Order.refusal(Operation.Query, multi, "lastSortMasked", ADMIN));
        assertTrue(WholeRows.refusal(multi, "keysOnly", READER).orElseThrow().contains("'classified'"),
                "region is a key of the index, classified is not projected");
        assertEquals(Optional.empty(), WholeRows.refusal(multi, "keysOnlyBoth", READER),
                "a KEYS_ONLY index holds every one of its key attributes");
        assertTrue(Order.refusal(Operation.Query, multi, "keysOnlyBoth", READER).orElseThrow().contains("'classified'"));
    }
}
