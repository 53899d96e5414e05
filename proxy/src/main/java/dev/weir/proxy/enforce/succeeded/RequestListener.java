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
    RequestListener NONE = new RequestListener() {
        @Override
        public void succeeded(SucceededRequest request) { }

        @Override
        public boolean hears(dev.weir.protocol.model.Operation operation, String table) {
            return false;
        }
    };

    void succeeded(SucceededRequest request);

    /**
     * Whether a request of {@code operation} that names {@code table} may be of interest: when
     * no table of a request is, the firewall does not work out its keys at all. True unless the
     * listener knows better (API-call triggers: only a trigger on that table and operation).
     */
    default boolean hears(dev.weir.protocol.model.Operation operation, String table) {
        return true;
    }
}
