package dev.weir.proxy.enforce.succeeded;

/**
 * Hears of each request weir permitted and forwarded (single-item, batch or transaction, with the
 * keys it names per table), whatever the store answered
 * (a conditional write's outcome can depend on values the listener's receivers may not read),
 * after its answer is recorded and released (the appliance wires API-call triggers to it). It is called
 * on the request's thread, so it must return at once (queue, never block); whatever it throws
 * is logged and does not touch the client's answer.
 */
@FunctionalInterface
public interface RequestListener {
    RequestListener NONE = r -> { };

    void succeeded(SucceededRequest request);
}
