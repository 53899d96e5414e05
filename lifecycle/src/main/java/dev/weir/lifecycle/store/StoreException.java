package dev.weir.lifecycle.store;

/**
 * The upstream refused a request (its DynamoDB error type and message), or could not be
 * reached ({@link #TRANSPORT}).
 */
public final class StoreException extends Exception {
    public static final String TRANSPORT = "Transport";

    private final String type;
    private final int status;

    public StoreException(String type, String message, int status) {
        super(type + ": " + message);
        this.type = type;
        this.status = status;
    }

    /** The short error type ({@code ConditionalCheckFailedException}), without the namespace. */
    public String type() {
        return type;
    }

    public int status() {
        return status;
    }

    public boolean conditionFailed() {
        return type.equals("ConditionalCheckFailedException");
    }

    public boolean is(String shortType) {
        return type.equals(shortType);
    }
}
