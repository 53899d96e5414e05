package dev.weir.policy.ast;

/** What starts a {@link Trigger}: changes to a table's items, or the clock. */
public sealed interface TriggerSource extends Node {

    /** {@code on table T}: the table's change stream. */
    record Stream(Name table, SourcePos pos) implements TriggerSource {}

    /**
     * {@code every "*}{@code /5 * * * *"}: a five-field cron schedule in UTC.
     *
     * @param textPos where the schedule's first character is (after the quote), for errors inside it
     */
    record Every(String cron, SourcePos pos, SourcePos textPos) implements TriggerSource {}
}
