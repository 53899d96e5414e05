package dev.weir.policy.trigger;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Whether one stream record fires a trigger ({@link RecordFilter#judge}), and with what input. */
public sealed interface Judgement {

    /** It fires: {@code input} is the record as the trigger's role sees it, what its function gets. */
    record Fires(ObjectNode input) implements Judgement {}

    /**
     * It does not fire, and why.
     *
     * @param shown the record as the role sees it, or null when the mark guard or the role's view dropped it
     */
    record DoesNotFire(String reason, ObjectNode shown) implements Judgement {}
}
