package dev.weir.protocol.error;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DynamoErrorTest {
    @Test
    void bodyHasTypeAndEscapedMessage() {
        DynamoError e = DynamoError.validation("bad \"x\"\n");
        assertEquals("{\"__type\":\"com.amazon.coral.validate#ValidationException\",\"message\":\"bad \\\"x\\\"\\n\"}",
                new String(e.toJsonBytes(), StandardCharsets.UTF_8));
        assertEquals("ValidationException", e.shortType());
    }

    @Test
    void emptyMessageIsLeftOut() {
        assertEquals("{\"__type\":\"com.amazon.coral.service#UnknownOperationException\"}",
                new String(DynamoError.unknownOperation("").toJsonBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void accessDeniedAndSerializationCapitalizeTheirMessageAsDynamoDbDoes() {
        assertEquals("{\"__type\":\"com.amazon.coral.service#AccessDeniedException\",\"Message\":\"User: alice is not "
                        + "authorized to perform: dynamodb:GetItem\"}",
                new String(DynamoError.accessDenied("User: alice is not authorized to perform: dynamodb:GetItem").toJsonBytes(),
                        StandardCharsets.UTF_8));
        assertEquals("Message", DynamoError.serialization("x").messageMember());
        assertEquals("message", DynamoError.resourceNotFound("x").messageMember());
        assertEquals("message", DynamoError.conditionalCheckFailed("x").messageMember());
    }
}
