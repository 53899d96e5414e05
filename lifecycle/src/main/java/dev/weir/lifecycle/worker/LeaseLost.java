package dev.weir.lifecycle.worker;

/** The shard's lease went to another instance: stop at once, without a checkpoint. */
final class LeaseLost extends Exception {
    LeaseLost(String shard) {
        super("lease of " + shard + " lost");
    }
}
