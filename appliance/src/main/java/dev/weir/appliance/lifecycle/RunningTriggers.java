package dev.weir.appliance.lifecycle;

import dev.weir.lifecycle.request.RequestEvent;
import dev.weir.lifecycle.request.RequestTriggerQueue;
import dev.weir.lifecycle.schedule.ScheduleRunner;
import dev.weir.lifecycle.worker.LifecycleWorker;
import dev.weir.protocol.model.Operation;
import dev.weir.proxy.enforce.succeeded.RequestListener;
import dev.weir.proxy.enforce.succeeded.SucceededRequest;

/**
 * The running trigger machinery of one weir instance: the stream worker, the schedule runner and
 * the API-call trigger queue; closing stops all three.
 */
public record RunningTriggers(LifecycleWorker streams, ScheduleRunner schedules, RequestTriggerQueue requests)
        implements AutoCloseable {

    /**
     * What the firewall calls after a permitted request it forwarded, whatever the store answered:
     * queues the API-call triggers it fires, one event per table the request names, never blocking.
     */
    public RequestListener requestListener() {
        return new RequestListener() {
            @Override
            public void succeeded(SucceededRequest r) {
                for (var t : r.tables()) {
                    requests.offer(new RequestEvent(r.requestId(), r.operation(), t.table(), r.principal(), t.keys(), t.unnamed()));
                }
            }

            /** Only requests a trigger of the policy in force fires on: the others' keys are never worked out. */
            @Override
            public boolean hears(Operation operation, String table) {
                return requests.fires(table, operation);
            }
        };
    }

    @Override public void close() {
        requests.close();
        schedules.close();
        streams.close();
    }
}
