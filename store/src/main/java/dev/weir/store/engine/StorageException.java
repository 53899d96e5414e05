package dev.weir.store.engine;

/** A failure of the storage engine itself (I/O, corruption); never a client error. */
public final class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
