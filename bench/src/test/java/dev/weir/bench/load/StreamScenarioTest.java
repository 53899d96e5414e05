package dev.weir.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamScenarioTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PeopleWorkload people = new PeopleWorkload(JSON, 100);

    /** A MODIFY record of person {@code i} with the images as given. */
    private ObjectNode record(ObjectNode oldImage, ObjectNode newImage) {
        ObjectNode r = JSON.createObjectNode().put("eventName", "MODIFY");
        ObjectNode d = r.putObject("dynamodb");
        d.putObject("Keys").set("id", newImage.path("id").deepCopy());
        if (oldImage != null) d.set("OldImage", oldImage);
        d.set("NewImage", newImage);
        return r;
    }

    /** Person {@code i} as the demo view shows it. */
    private ObjectNode shown(int i, int version) {
        ObjectNode item = people.item(i, version);
        String ssn = item.path("ssn").path("S").asText();
        item.putObject("ssn").put("S", "****" + ssn.substring(ssn.length() - 4));
        item.putObject("email").put("S", "bench:" + "ab".repeat(32));
        item.remove(List.of("salary", "tags", "notes"));
        ((ObjectNode) item.path("address").path("M")).remove("street");
        return item;
    }

    @Test
    void aWholeRecordHasTheSalaryAndADemoRecordShowsOnlyTheView() {
        assertNull(StreamScenario.check(record(people.item(4, 0), people.item(4, 1)), StreamScenario.View.ALL));
        assertNotNull(StreamScenario.check(record(null, shown(4, 1)), StreamScenario.View.ALL), "a cut image is not whole");
        assertNull(StreamScenario.check(record(shown(4, 0), shown(4, 1)), StreamScenario.View.DEMO));
        assertNull(StreamScenario.check(record(null, shown(8, 0)), StreamScenario.View.DEMO), "an INSERT has no OldImage");
        String whole = StreamScenario.check(record(shown(4, 0), people.item(4, 1)), StreamScenario.View.DEMO);
        assertTrue(whole != null && whole.startsWith("NewImage"), whole);
        assertNotNull(StreamScenario.check(record(shown(5, 0), shown(5, 1)), StreamScenario.View.DEMO), "region us is hidden");
        ObjectNode street = shown(4, 1);
        ((ObjectNode) street.path("address").path("M")).putObject("street").put("S", "1 Main Street");
        assertNotNull(StreamScenario.check(record(shown(4, 0), street), StreamScenario.View.DEMO), "the street is removed");
        ObjectNode noKey = record(shown(4, 0), shown(4, 1));
        ((ObjectNode) noKey.path("dynamodb")).remove("Keys");
        assertNotNull(StreamScenario.check(noKey, StreamScenario.View.DEMO));
    }

    @Test
    void theDemoViewSeesTheWritesOfRegionEuOnly() {
        // 50 writes: persons 0..24 inserted, then modified; region eu is every fourth, 0, 4, ..., 24: 7 people, 14 records.
        StreamTable table = new StreamTable(JSON, people, 50);
        assertEquals(25, table.persons());
        assertEquals(14, StreamScenario.demoVisible(table));
        // 51 writes: person 25 (region us) inserted but not modified.
        assertEquals(14, StreamScenario.demoVisible(new StreamTable(JSON, people, 51)));
        assertThrows(IllegalArgumentException.class, () -> new StreamTable(JSON, people, 49));
    }
}
