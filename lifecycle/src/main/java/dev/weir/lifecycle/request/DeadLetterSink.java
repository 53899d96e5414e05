package dev.weir.lifecycle.request;

import dev.weir.lifecycle.store.StoreException;

/** Where an API-call event goes after its retries: {@code weir_dead_letters} in the appliance. */
@FunctionalInterface
public interface DeadLetterSink {
    void put(String trigger, String eventId, String payload, String error, int attempts) throws StoreException;
}
