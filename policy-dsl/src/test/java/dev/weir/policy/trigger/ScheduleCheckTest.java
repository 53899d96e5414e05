package dev.weir.policy.trigger;

import dev.weir.policy.LoadResult;
import dev.weir.policy.Policies;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scheduled triggers ({@code trigger every "CRON"}) in the policy language: compiling, and refusals with file:line:column. */
class ScheduleCheckTest {
    private static final String ROLES = """
            role reporter
            allow reporter on table images op read
            """;

    private static List<String> check(String trigger) {
        String[] files = {"nightly.weir", ROLES + trigger};
        return Policies.rendered(Policies.load(files), files);
    }

    private static List<String> headlines(String trigger) {
        return Policies.load("nightly.weir", ROLES + trigger).diagnostics().stream().map(d -> d.headline()).toList();
    }

    @Test
    void aScheduleCompiles() {
        LoadResult r = Policies.load("nightly.weir", ROLES + """
                @id("nightly")
                trigger every "*/5 * * * *"
                  call "https://reports.internal/run"
                  as role reporter
                  retry 2 backoff 1s to 1m
                @id("faces") trigger on table images call "http://h/f" as role reporter mark done
                """);
        assertTrue(r.ok(), r.diagnostics().toString());
        List<ScheduleSpec> schedules = r.table().orElseThrow().schedules();
        assertEquals(1, schedules.size());
        ScheduleSpec s = schedules.getFirst();
        assertEquals("nightly", s.id());
        assertEquals("*/5 * * * *", s.cron().text());
        assertEquals(URI.create("https://reports.internal/run"), s.url());
        assertEquals("reporter", s.role());
        assertEquals(2, s.retries());
        assertEquals(Duration.ofSeconds(1), s.backoffLow());
        assertEquals(Duration.ofMinutes(1), s.backoffHigh());
        assertTrue(s.cron().matches(Instant.parse("2025-01-01T00:05:00Z")));
        assertEquals(List.of("faces"), r.table().orElseThrow().triggers().stream().map(TriggerSpec::id).toList(),
                "a schedule is not a stream trigger");
    }

    @Test
    void aBadScheduleIsPointedAtInsideTheString() {
        assertEquals(List.of("""
                        nightly.weir:3:29: error: bad schedule "*/5 25 * * *": the hour 25 is out of range 0..23
                        @id("n") trigger every "*/5 25 * * *" call "http://h/f" as role reporter
                                                    ^"""),
                check("@id(\"n\") trigger every \"*/5 25 * * *\" call \"http://h/f\" as role reporter\n"));
        assertEquals(List.of("nightly.weir:3:25: error: bad schedule \"@daily\": '@' in the minute: a field holds *, numbers, "
                        + "ranges a-b, steps /n and commas only"),
                headlines("@id(\"n\") trigger every \"@daily\" call \"http://h/f\" as role reporter\n"));
    }

    @Test
    void aScheduleHasNoChangeClausesButNeedsCallAndRole() {
        assertEquals(List.of(
                        "nightly.weir:3:36: error: a scheduled trigger has no 'mark' clause: it calls its function on the clock, not on a change",
                        "nightly.weir:3:46: error: a scheduled trigger has no 'batch' clause: it calls its function on the clock, not on a change",
                        "nightly.weir:3:54: error: a scheduled trigger has no 'when' clause: it calls its function on the clock, not on a change",
                        "nightly.weir:3:94: error: unknown role 'reportr' (did you mean 'reporter'?)"),
                headlines("@id(\"n\") trigger every \"0 * * * *\" mark done batch 2 when [INSERT] call \"http://h/f\" as role reportr\n"));
        assertEquals(List.of("nightly.weir:3:10: error: a trigger needs a 'as role' clause (the role whose read view its records are cut through: as role R)",
                        "nightly.weir:3:10: error: a trigger needs a 'call' clause (the function: call \"https://...\")"),
                headlines("@id(\"n\") trigger every \"0 * * * *\"\n"));
        assertEquals(List.of("nightly.weir:3:1: error: a trigger needs an @id(\"...\"): its leases and checkpoints are stored under it"),
                headlines("trigger every \"0 * * * *\" call \"http://h/f\" as role reporter\n").subList(0, 1));
    }

    @Test
    void everyStaysUsableAsAnAttributeName() {
        LoadResult r = Policies.load("nightly.weir", ROLES + "allow reporter on table images op [GetItem] fields [every] rows where item.every == 1\n");
        assertTrue(r.ok(), r.diagnostics().toString());
    }
}
