package dev.weir.appliance.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Log lines: one JSON object (or text line) per event, paths readable, never an exception's message. */
class LineEncoderTest {
    private static final LoggerContext CONTEXT = new LoggerContext();
    private static final Logger LOGGER = CONTEXT.getLogger("dev.weir.appliance.Appliance");

    private static String encode(LogFormat format, String pattern, Throwable t, Object... args) {
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), LOGGER, Level.WARN, pattern, t, args);
        event.setTimeStamp(1_796_609_189_116L);
        return new String(new LineEncoder(format).encode(event), StandardCharsets.UTF_8);
    }

    @Test
    void aJsonLineIsOneObjectWithEcsNamesAndPathsAsTheyAre() throws Exception {
        String line = encode(LogFormat.JSON, "reload of {} refused: {}", null, "/srv/weir/principals.yaml",
                "line 1\nline \"2\"\t\\ \u0001 \u2028 done");
        assertTrue(line.endsWith("}\n") && line.indexOf('\n') == line.length() - 1, line);
        assertTrue(line.contains("/srv/weir/principals.yaml"), "a path is searchable as text: " + line);
        JsonNode event = new ObjectMapper().readTree(line);
        assertEquals("2026-12-07T02:06:29.116Z", event.get("@timestamp").asText());
        assertEquals("WARN", event.get("log.level").asText());
        assertEquals("dev.weir.appliance.Appliance", event.get("log.logger").asText());
        assertEquals("reload of /srv/weir/principals.yaml refused: line 1\nline \"2\"\t\\ \u0001 \u2028 done",
                event.get("message").asText());
        assertFalse(event.has("error.type"));
    }

    @Test
    void anExceptionIsItsClassesAndFramesNeverItsMessage() throws Exception {
        Throwable fault;
        try {
            Long.parseLong("item-value-41");
            throw new AssertionError();
        } catch (NumberFormatException e) {
            fault = new IllegalStateException("PutItem of {\"ssn\":\"item-value-42\"} failed", e);
        }
        String json = encode(LogFormat.JSON, "{} failed", fault, "PutItem");
        JsonNode event = new ObjectMapper().readTree(json);
        assertEquals("java.lang.IllegalStateException", event.get("error.type").asText());
        assertTrue(event.get("error.stack_trace").asText().contains("java.lang.NumberFormatException"), json);
        assertTrue(event.get("error.stack_trace").asText().contains("LineEncoderTest"), json);
        assertFalse(json.contains("item-value"), json);
        String text = encode(LogFormat.TEXT, "{} failed", fault, "PutItem");
        assertTrue(text.startsWith("2026-12-07T02:06:29.116Z [WARN] Appliance - PutItem failed | java.lang.IllegalStateException at "),
                text);
        assertFalse(text.contains("item-value"), text);
    }

    @Test
    void theSettingIsJsonOrText() {
        assertEquals(LogFormat.JSON, LogFormat.configured(null, Map.of(), LogFormat.JSON));
        assertEquals(LogFormat.TEXT, LogFormat.configured(null, Map.of(LogFormat.ENV, "text"), LogFormat.JSON));
        assertEquals(LogFormat.JSON, LogFormat.configured("JSON", Map.of(LogFormat.ENV, "text"), LogFormat.TEXT), "the property wins");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LogFormat.configured(null, Map.of(LogFormat.ENV, "xml"), LogFormat.JSON));
        assertTrue(e.getMessage().contains("WEIR_LOG_FORMAT must be json or text"), e.getMessage());
    }
}
