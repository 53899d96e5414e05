package dev.weir.protocol.error;

import java.nio.charset.StandardCharsets;

/**
 * An error exactly as DynamoDB puts it on the wire: a {@code __type} (with its service
 * prefix), a message and an HTTP status. The store and the proxy both answer with these, so
 * every SDK reports them as it would report DynamoDB's own.
 */
public record DynamoError(String type, String message, int status) {

    private static final String DYNAMO = "com.amazonaws.dynamodb.v20120810#";
    private static final String CORAL = "com.amazon.coral.service#";
    private static final String CORAL_VALIDATE = "com.amazon.coral.validate#";

    public DynamoError {
        if (type.indexOf('#') < 0) throw new IllegalArgumentException("type needs a namespace: " + type);
    }

    /** The short name SDKs match on, such as {@code ValidationException}. */
    public String shortType() {
        return type.substring(type.indexOf('#') + 1);
    }

    public static DynamoError validation(String message) {
        return new DynamoError(CORAL_VALIDATE + "ValidationException", message, 400);
    }

    /**
     * GetRecords with a Limit above 1000: the Streams API reference lists LimitExceededException
     * for it (the member itself has no maximum), with the message the reference gives that error.
     * The bundled store and weir answer it alike (docs/streams.md, "Errors").
     */
    public static DynamoError getRecordsLimitExceeded() {
        return new DynamoError(DYNAMO + "LimitExceededException", "Too many operations for a given subscriber.", 400);
    }

    /** A StreamArn that is not the ARN of a stream (docs/streams.md, "Errors"). */
    public static DynamoError invalidStreamArn() {
        return validation("Invalid StreamArn");
    }

    public static DynamoError resourceNotFound(String message) {
        return new DynamoError(DYNAMO + "ResourceNotFoundException", message, 400);
    }

    public static DynamoError resourceInUse(String message) {
        return new DynamoError(DYNAMO + "ResourceInUseException", message, 400);
    }

    public static DynamoError conditionalCheckFailed(String message) {
        return new DynamoError(DYNAMO + "ConditionalCheckFailedException", message, 400);
    }

    public static DynamoError serialization(String message) {
        return new DynamoError(CORAL + "SerializationException", message, 400);
    }

    public static DynamoError unknownOperation(String message) {
        return new DynamoError(CORAL + "UnknownOperationException", message, 400);
    }

    public static DynamoError unrecognizedClient() {
        return new DynamoError(CORAL + "UnrecognizedClientException",
                "The security token included in the request is invalid.", 400);
    }

    public static DynamoError invalidSignature(String message) {
        return new DynamoError(CORAL + "InvalidSignatureException", message, 400);
    }

    public static DynamoError invalidSignature() {
        return invalidSignature("The request signature we calculated does not match the signature you provided. "
                + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
    }

    public static DynamoError missingAuthenticationToken() {
        return new DynamoError(CORAL + "MissingAuthenticationTokenException", "Request is missing Authentication Token", 400);
    }

    public static DynamoError incompleteSignature(String message) {
        return new DynamoError(CORAL + "IncompleteSignatureException", message, 400);
    }

    public static DynamoError accessDenied(String message) {
        return new DynamoError(CORAL + "AccessDeniedException", message, 400);
    }

    public static DynamoError internalServerError(String message) {
        return new DynamoError(DYNAMO + "InternalServerError", message, 500);
    }

    /**
     * A request body over the size limit once decoded from its Content-Encoding: 413. DynamoDB
     * has no such limit for compressed bodies (it inflates whatever comes); weir and the bundled
     * store keep one (docs/threat-model.md).
     */
    public static DynamoError requestEntityTooLarge(String message) {
        return new DynamoError(CORAL + "RequestEntityTooLargeException", message, 413);
    }

        public static DynamoError serviceUnavailable(String message) {
        return new DynamoError(CORAL + "ServiceUnavailableException", message, 503);
    }

    /**
     * The member that carries the message: {@code Message} for a SerializationException (the
     * deserializer's errors are written by another layer of DynamoDB than the service's own, and
     * capitalize it) and for an AccessDeniedException (written by the authorization layer, which
     * capitalizes it too), {@code message} for every other error.
     */
    public String messageMember() {
        return type.endsWith("#SerializationException") || type.endsWith("#AccessDeniedException") ? "Message" : "message";
    }

    /** The JSON body DynamoDB sends for this error. */
    public byte[] toJsonBytes() {
        StringBuilder sb = new StringBuilder(64 + message.length());
        sb.append("{\"__type\":");
        JsonText.appendString(sb, type);
        if (!message.isEmpty()) {
            sb.append(",\"").append(messageMember()).append("\":");
            JsonText.appendString(sb, message);
        }
        sb.append('}');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
