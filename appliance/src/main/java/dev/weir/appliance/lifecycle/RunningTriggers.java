package dev.weir.appliance.lifecycle;

import dev.weir.lifecycle.schedule.ScheduleRunner;
import dev.weir.lifecycle.worker.LifecycleWorker;

/** The running trigger machinery of one weir instance: the stream worker and the schedule runner; closing stops both. */
public record RunningTriggers(LifecycleWorker streams, ScheduleRunner schedules) implements AutoCloseable {
    @Override public void close() {
        schedules.close();
        streams.close();
    }
}
