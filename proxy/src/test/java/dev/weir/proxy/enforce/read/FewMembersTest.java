package dev.weir.proxy.enforce.read;

import dev.weir.protocol.model.AttributeValue;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link FewMembers} is the map of its names and values: lookups, order, equality, and no changes. */
class FewMembersTest {
    @Test
    void behavesAsTheMapOfItsNamesAndValues() {
        AttributeValue eu = new AttributeValue.S("eu");
        AttributeValue id = new AttributeValue.S("p-1");
        FewMembers few = new FewMembers(new String[] {"region", "id", null}, new AttributeValue[] {eu, id, null}, 2);
        Map<String, AttributeValue> expected = new LinkedHashMap<>();
        expected.put("region", eu);
        expected.put("id", id);
        assertEquals(expected, few);
        assertEquals(few, expected);
        assertEquals(expected.hashCode(), few.hashCode());
        assertEquals(2, few.size());
        assertEquals(eu, few.get(new String("region")));
        assertTrue(few.containsKey("id"));
        assertFalse(few.containsKey("ssn"));
        assertNull(few.get("ssn"));
        assertNull(few.get(null));
        assertEquals(List.of("region", "id"), List.copyOf(few.keySet()));
        assertThrows(UnsupportedOperationException.class, () -> few.put("ssn", id));
        assertThrows(UnsupportedOperationException.class, () -> few.entrySet().iterator().next().setValue(id));
    }
}
