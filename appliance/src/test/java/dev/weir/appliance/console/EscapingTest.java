package dev.weir.appliance.console;

import dev.weir.audit.event.AuditEvent;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A name is text, never markup: what an attacker could put into a name comes out escaped on every page part. */
class EscapingTest {
    static final String HOSTILE = "<img src=x onerror=alert(1)>\"'&";

    @Test
    void htmlTextEscapesMarkupQuotesAndControlCharacters() {
        assertEquals("&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;", Html.text(HOSTILE));
        assertEquals("a\uFFFDb", Html.text("a\u0000b"));
        assertEquals("", Html.text(null));
    }

    @Test
    void theLivePageEscapesEveryName() {
        LiveFeed feed = new LiveFeed(10);
        feed.write(AuditEvent.builder().timeMicros(1).principal(HOSTILE).roles(List.of(HOSTILE)).source(HOSTILE, 1)
                .operation(HOSTILE).table(HOSTILE).decision(HOSTILE).ruleIds(List.of(HOSTILE)).maskedFields(List.of(HOSTILE))
                .removedFields(List.of(HOSTILE)).build());
        LivePage.Filter all = new LivePage.Filter("", "", "", "");
        String page = LivePage.body(feed, all);
        assertFalse(page.contains("<img"), page);
        assertFalse(page.contains("\"'&\""), page);
        assertTrue(page.contains("&lt;img src=x onerror=alert(1)&gt;"));
        String filtered = LivePage.body(feed, new LivePage.Filter(HOSTILE, HOSTILE, HOSTILE, HOSTILE));
        assertFalse(filtered.contains("<img"), filtered);
    }

    @Test
    void aSessionsCsrfTokenGoesIntoAnAttributeEscaped() {
        Sessions.Session s = new Sessions.Session("id", HOSTILE, List.of(), "k", "\"><script>", java.time.Instant.EPOCH,
                java.time.Instant.EPOCH);
        String page = Layout.page(HOSTILE, "/live", s, "");
        assertFalse(page.contains("<script>"), page);
        assertFalse(page.contains("<img"), page);
    }
}
