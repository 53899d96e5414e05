package dev.weir.protocol.error;

/** Thrown where a request must end with a DynamoDB-shaped error; carries that error. */
public final class DynamoException extends RuntimeException {
    private final DynamoError error;

    public DynamoException(DynamoError error) {
        super(error.shortType() + ": " + error.message(), null, false, false);
        this.error = error;
    }

    public DynamoError error() {
        return error;
    }

    public static DynamoException validation(String message) {
        return new DynamoException(DynamoError.validation(message));
    }
}
