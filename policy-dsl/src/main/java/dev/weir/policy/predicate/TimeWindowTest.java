package dev.weir.policy.predicate;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;

/**
 * Whether an instant's local time of day, in a zone, lies in [from, to); a window whose end
 * is before its start wraps past midnight ({@code 22:00..06:00}); equal ends are empty.
 * The zone's offset is cached with the span it is valid for, so a test allocates nothing
 * except when a request crosses a daylight-saving transition.
 */
final class TimeWindowTest {
    private static final int DAY = 86_400;

    /** An offset and the half-open span of epoch seconds it holds for. */
    private record Span(long from, long until, int offsetSeconds) {}

    private final int from, to;
    private final ZoneRules rules;
    private volatile Span span = new Span(0, 0, 0);

    TimeWindowTest(LocalTime from, LocalTime to, ZoneId zone) {
        this.from = from.equals(LocalTime.MAX) ? DAY : from.toSecondOfDay();
        this.to = to.equals(LocalTime.MAX) ? DAY : to.toSecondOfDay();
        this.rules = zone.getRules();
    }

    boolean test(Instant instant) {
        if (instant == null) return false;
        long epoch = instant.getEpochSecond();
        Span s = span;
        if (epoch < s.from || epoch >= s.until) span = s = spanOf(instant);
        long local = Math.floorMod(epoch + s.offsetSeconds, DAY);
        if (from <= to) return local >= from && local < to;
        return local >= from || local < to;
    }

    private Span spanOf(Instant instant) {
        ZoneOffset offset = rules.getOffset(instant);
        ZoneOffsetTransition previous = rules.previousTransition(instant.plusSeconds(1));
        ZoneOffsetTransition next = rules.nextTransition(instant);
        long start = previous == null ? Long.MIN_VALUE : previous.toEpochSecond();
        long end = next == null ? Long.MAX_VALUE : next.toEpochSecond();
        return new Span(start, end, offset.getTotalSeconds());
    }
}
