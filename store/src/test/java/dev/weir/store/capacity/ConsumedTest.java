package dev.weir.store.capacity;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class ConsumedTest {

    @Test
    void unitsRoundUpPerStartedBlock() {
        assertEquals(1.0, Consumed.writeUnits(0));
        assertEquals(1.0, Consumed.writeUnits(1024));
        assertEquals(2.0, Consumed.writeUnits(1025));
        assertEquals(1.0, Consumed.readUnits(4096, true));
        assertEquals(1.0, Consumed.readUnits(4097, false));
    }

    @Test
    void indexesModeBreaksTheTotalDown() {
        Consumed c = Consumed.of("INDEXES");
        c.tableWrite("t", 1);
        c.indexWrite("t", "g", true, 2);
        c.indexWrite("t", "l", false, 1);
        c.doubled();
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        c.addTo(response, "t");
        ObjectNode cc = (ObjectNode) response.get("ConsumedCapacity");
        assertEquals(8.0, cc.get("CapacityUnits").asDouble());
        assertEquals(2.0, cc.get("Table").get("CapacityUnits").asDouble());
        assertEquals(4.0, cc.get("GlobalSecondaryIndexes").get("g").get("CapacityUnits").asDouble());
        assertEquals(2.0, cc.get("LocalSecondaryIndexes").get("l").get("CapacityUnits").asDouble());
        ObjectNode none = JsonNodeFactory.instance.objectNode();
        Consumed.of(null).addTo(none, "t");
        assertFalse(none.has("ConsumedCapacity"));
    }
}
