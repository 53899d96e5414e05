package dev.weir.policy.ast;

import java.time.Duration;
import java.util.List;

/** One clause of a {@link Trigger}. */
public sealed interface TriggerClause extends Node {

    /** The clause's keyword, for messages. */
    String keyword();

    /** {@code when [INSERT, MODIFY]}: the changes (as the role sees them) that fire the trigger. */
    record Events(List<Name> events, SourcePos pos) implements TriggerClause {
        public Events {
            events = List.copyOf(events);
        }

        @Override public String keyword() { return "when"; }
    }

    /** {@code rows where CONDITION}: judged on the new image as the role sees it (the old one for a REMOVE). */
    record Rows(Condition condition, SourcePos pos) implements TriggerClause {
        @Override public String keyword() { return "rows where"; }
    }

    /** {@code changed [a, b.c]}: fire only when one of these values differs between the images the role sees. */
    record Changed(List<FieldPath> paths, SourcePos pos) implements TriggerClause {
        public Changed {
            paths = List.copyOf(paths);
        }

        @Override public String keyword() { return "changed"; }
    }

    /** {@code call "https://..."}: the function, an HTTP(S) endpoint. */
    record Call(String url, SourcePos pos) implements TriggerClause {
        @Override public String keyword() { return "call"; }
    }

    /** {@code as role R}: the role whose read view cuts every record the function gets. */
    record RunAs(Name role, SourcePos pos) implements TriggerClause {
        @Override public String keyword() { return "as role"; }
    }

    /** {@code batch N}: records per call. */
    record Batch(long size, SourcePos pos) implements TriggerClause {
        @Override public String keyword() { return "batch"; }
    }

    /**
     * {@code retry N [backoff LOW to HIGH]}: failed calls of a record before it goes to the dead
     * letters, and the range of the exponential back-off between them (null: the defaults).
     */
    record Retry(long attempts, Duration low, Duration high, SourcePos pos) implements TriggerClause {
        @Override public String keyword() { return "retry"; }
    }

    /** {@code mark faces_done}: the top-level attribute the worker sets when a version has been handled. */
    record Mark(Name attribute, SourcePos pos) implements TriggerClause {
        @Override public String keyword() { return "mark"; }
    }
}
