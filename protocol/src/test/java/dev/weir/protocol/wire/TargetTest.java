package dev.weir.protocol.wire;

import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.model.Operation;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** An X-Amz-Target names an operation only under its own API's prefix, exactly. */
class TargetTest {

    @Test
    void everyOperationUnderItsOwnPrefixAndNothingElse() {
        for (Operation op : Operation.values()) {
            assertEquals(op, Target.parse(Target.of(op)));
            Operation.Api other = op.api() == Operation.Api.DYNAMODB ? Operation.Api.STREAMS : Operation.Api.DYNAMODB;
            assertNull(Target.named(other.prefix() + op.name()), op + " under the other API's prefix");
            assertNull(Target.named(Target.of(op) + " "));
            assertNull(Target.named(Target.of(op).toLowerCase()));
            assertNull(Target.named(op.name()), "no prefix");
        }
        assertNull(Target.named(null));
        assertNull(Target.named(Target.PREFIX));
        assertNull(Target.named(""));
        assertEquals("com.amazon.coral.service#UnknownOperationException",
                assertThrows(DynamoException.class, () -> Target.parse("DynamoDB_20120810.Nothing")).error().type());
    }
}
