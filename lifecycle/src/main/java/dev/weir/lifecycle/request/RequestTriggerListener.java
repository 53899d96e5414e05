package dev.weir.lifecycle.request;

import dev.weir.lifecycle.call.CallResult;
import dev.weir.policy.trigger.RequestTriggerSpec;

/** What the API-call trigger queue tells the world (the appliance audits it). */
public interface RequestTriggerListener {
    RequestTriggerListener NONE = new RequestTriggerListener() {};

    /** A call was made; {@code attempt} counts from 1. */
    default void called(RequestTriggerSpec trigger, String eventId, CallResult result, int attempt) {}

    /** An event was given up after {@code attempts} failed calls and stored in the dead letters. */
    default void deadLettered(RequestTriggerSpec trigger, String eventId, String error, int attempts) {}

    /** An event was not sent: its key is not readable in the clear by the trigger's role, or the queue was full. */
    default void notSent(RequestTriggerSpec trigger, String eventId, String reason) {}
}
