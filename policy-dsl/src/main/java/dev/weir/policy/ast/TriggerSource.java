package dev.weir.policy.ast;

import java.util.List;

/** What starts a {@link Trigger}: changes to a table's items, the clock, or requests through weir. */
public sealed interface TriggerSource extends Node {

    /** {@code on table T}: the table's change stream. */
    record Stream(Name table, SourcePos pos) implements TriggerSource {}

    /**
     * {@code every "*}{@code /5 * * * *"}: a five-field cron schedule in UTC.
     *
     * @param textPos where the schedule's first character is (after the quote), for errors inside it
     */
    record Every(String cron, SourcePos pos, SourcePos textPos) implements TriggerSource {}

    /**
     * {@code on request op [DeleteItem, ...] on table T}: a request of one of these operations on
     * the table that weir permitted and the store answered with 200.
     *
     * @param kind       the word after {@code on}; the checker accepts only {@code request}
     * @param operations as written; the checker accepts only single-item operations that name a {@code Key}
     */
    record Request(Name kind, List<Name> operations, Name table, SourcePos pos) implements TriggerSource {
        public Request {
            operations = List.copyOf(operations);
        }
    }
}
