package dev.weir.appliance.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InstanceIdTest {

    @Test
    void theEnvironmentWinsThenTheConfigurationThenThePid() throws Exception {
        assertEquals("pod-7", InstanceId.resolve("weir-a", Map.of("WEIR_INSTANCE_ID", "pod-7"), 42));
        assertEquals("weir-a", InstanceId.resolve("weir-a", Map.of(), 42));
        assertEquals("weir-42", InstanceId.resolve(null, Map.of(), 42));
    }

    @Test
    void aNameFromTheEnvironmentThatNoSinkCanCarryStopsStartUp() {
        for (String bad : new String[] {"", "a b", "a|b", "x".repeat(65), "ünï"}) {
            ConfigException e = assertThrows(ConfigException.class, () -> InstanceId.resolve(null, Map.of("WEIR_INSTANCE_ID", bad), 1));
            assertTrue(e.getMessage().startsWith("WEIR_INSTANCE_ID must be 1 to 64 letters, digits, '.', '_' or '-', got '"),
                    e.getMessage());
        }
        assertTrue(InstanceId.valid("x".repeat(64)));
    }
}
