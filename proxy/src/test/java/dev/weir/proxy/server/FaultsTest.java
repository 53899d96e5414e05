package dev.weir.proxy.server;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A fault's log text names classes and frames, never the messages that could quote a request. */
class FaultsTest {
    @Test
    void noMessageOfTheChainIsInTheDescription() {
        Throwable fault;
        try {
            Long.parseLong("item-value-7f3a");
            throw new AssertionError("parsed");
        } catch (NumberFormatException e) {
            fault = new IllegalStateException("while reading {\"ssn\":\"item-value-99\"}", e);
        }
        String text = Faults.describe(new java.util.concurrent.CompletionException(fault));
        assertFalse(text.contains("item-value"), text);
        assertTrue(text.contains("java.util.concurrent.CompletionException") && text.contains("IllegalStateException")
                && text.contains("java.lang.NumberFormatException") && text.contains("FaultsTest"), text);
    }

    @Test
    void aCauseCycleEnds() {
        Exception a = new Exception("a");
        Exception b = new Exception("b", a);
        a.initCause(b);
        assertTrue(Faults.describe(b).split("caused by").length <= Faults.DEPTH);
    }
}
