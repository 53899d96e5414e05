package dev.weir.lifecycle.worker;

import dev.weir.lifecycle.call.CallResult;
import dev.weir.policy.trigger.TriggerSpec;

import java.util.List;

/**
 * What the worker tells the world: every function call and every dead letter (the appliance
 * turns them into audit events {@code weir:TriggerCall} and {@code weir:TriggerDeadLetter}),
 * and problems that stop a trigger. Called from worker threads; must not block for long.
 */
public interface LifecycleListener {
    LifecycleListener NONE = new LifecycleListener() {};

    /** A call was made. {@code attempt} counts from 1 for the records of this call. */
    default void called(TriggerSpec trigger, List<String> eventIds, CallResult result, int attempt) {}

    /** A record was given up after {@code attempts} failed calls and stored in the dead letters. */
    default void deadLettered(TriggerSpec trigger, String eventId, String error, int attempts) {}

    /** A completion mark was written ({@code written}) or was already at this or a later version. */
    default void marked(TriggerSpec trigger, String eventId, boolean written) {}

    /** The trigger cannot run for now (no stream, a refused view, the store failing); reported once per change of reason. */
    default void problem(TriggerSpec trigger, String reason) {}
}
