package dev.weir.policy.decision;

import dev.weir.protocol.model.Operation;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A decision request holds its principal's roles and attributes immutably, taking them as they are when they already are. */
class DecisionRequestTest {
    private static DecisionRequest request(Set<String> roles, Map<String, List<String>> attributes) {
        return new DecisionRequest("p", roles, attributes, "t", Operation.GetItem, Context.NONE);
    }

    @Test
    void immutableRolesAndAttributesAreTakenAsTheyAre() {
        Set<String> roles = Set.of("analyst", "reader");
        Map<String, List<String>> attributes = Map.of("region", List.of("eu"), "teams", List.of("a", "b", "c"));
        DecisionRequest r = request(roles, attributes);
        assertSame(roles, r.roles());
        assertSame(attributes, r.attributes());
        assertSame(attributes, DecisionRequest.immutableAttributes(attributes));
    }

    @Test
    void mutableOnesAreCopiedSoLaterChangesDoNotReachTheRequest() {
        Set<String> roles = new HashSet<>(Set.of("analyst"));
        List<String> region = new ArrayList<>(List.of("eu"));
        Map<String, List<String>> attributes = new HashMap<>(Map.of("region", region));
        DecisionRequest r = request(roles, attributes);
        roles.add("admin");
        region.set(0, "us");
        attributes.put("clearance", List.of("secret"));
        assertEquals(Set.of("analyst"), r.roles());
        assertEquals(Map.of("region", List.of("eu")), r.attributes());
        assertThrows(UnsupportedOperationException.class, () -> r.attributes().get("region").add("x"));
        assertThrows(UnsupportedOperationException.class, () -> r.attributes().put("x", List.of()));
    }

    /** An immutable map may still hold a mutable list: that list is copied, not taken. */
    @Test
    void anImmutableMapOfAMutableListIsCopied() {
        List<String> region = new ArrayList<>(List.of("eu"));
        Map<String, List<String>> attributes = Map.of("region", region, "team", List.of("a"));
        DecisionRequest r = request(Set.of(), attributes);
        region.set(0, "us");
        assertEquals(List.of("eu"), r.attributes().get("region"));
        assertThrows(UnsupportedOperationException.class, () -> r.attributes().get("region").add("x"));
    }
}
