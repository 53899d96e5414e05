package dev.weir.lifecycle.schedule;

import dev.weir.lifecycle.call.CallResult;
import dev.weir.policy.trigger.ScheduleSpec;

/** What the schedule runner tells the world (the appliance audits it as {@code weir:TriggerCall} and {@code weir:TriggerDeadLetter}). */
public interface ScheduleListener {
    ScheduleListener NONE = new ScheduleListener() {};

    /** A call for one due minute was made; {@code attempt} counts from 1. */
    default void called(ScheduleSpec schedule, String eventId, CallResult result, int attempt) {}

    /** A due minute was given up after {@code attempts} failed calls and stored in the dead letters. */
    default void deadLettered(ScheduleSpec schedule, String eventId, String error, int attempts) {}
}
