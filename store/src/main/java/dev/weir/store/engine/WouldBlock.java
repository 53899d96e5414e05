package dev.weir.store.engine;

/**
 * A read inside {@link RocksEngine#withoutIo} needed data that is not in memory. Carries no
 * stack trace: it is control flow (redo the operation on a worker), not a failure.
 */
public final class WouldBlock extends RuntimeException {
    public static final WouldBlock INSTANCE = new WouldBlock();

    private WouldBlock() {
        super("read needs I/O", null, false, false);
    }
}
