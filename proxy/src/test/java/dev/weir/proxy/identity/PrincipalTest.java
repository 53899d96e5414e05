package dev.weir.proxy.identity;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A principal's roles, kept in order for the audit and as a set, made once, for its requests' decisions. */
class PrincipalTest {
    @Test
    void aRoleNamedTwiceIsOneRoleToTheDecisions() {
        Principal p = new Principal("ana", "AKID", "secret-secret", null, List.of("analyst", "auditor", "analyst"), Map.of());
        assertEquals(List.of("analyst", "auditor", "analyst"), p.roles(), "as configured, for the audit");
        assertEquals(Set.of("analyst", "auditor"), p.roleSet());
    }

    @Test
    void theRoleSetFollowsTheRolesWhateverIsPassedForIt() {
        List<String> roles = new ArrayList<>(List.of("analyst", "auditor"));
        Principal p = new Principal("ana", "AKID", "secret-secret", null, roles, Map.of());
        roles.add("admin"); // the caller's list changing later changes nothing
        assertEquals(List.of("analyst", "auditor"), p.roles());
        assertEquals(Set.of("analyst", "auditor"), p.roleSet());
        assertThrows(UnsupportedOperationException.class, () -> p.roleSet().add("admin"));
        assertSame(p.roleSet(), Set.copyOf(p.roleSet()), "already an unmodifiable set: a decision's copy of it is the set itself");

        Principal slipped = new Principal("ana", "AKID", "secret-secret", null, List.of("analyst"), Map.of(), Set.of("admin"));
        assertEquals(Set.of("analyst"), slipped.roleSet());
        assertFalse(slipped.roleSet().contains("admin"));
        assertEquals(new Principal("ana", "AKID", "secret-secret", null, List.of("analyst"), Map.of()), slipped);
    }
}
