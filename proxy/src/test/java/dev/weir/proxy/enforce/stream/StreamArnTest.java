package dev.weir.proxy.enforce.stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class StreamArnTest {
    @Test
    void parsesAStreamArn() {
        String text = "arn:aws:dynamodb:us-east-1:000000000000:table/people/stream/2026-12-06T12:00:00.000";
        StreamArn arn = StreamArn.parse(text);
        assertEquals(new StreamArn("aws", "us-east-1", "000000000000", "people", "2026-12-06T12:00:00.000"), arn);
        assertEquals(text, arn.toString());
    }

    @Test
    void refusesEverythingElse() {
        assertNull(StreamArn.parse("arn:aws:dynamodb:us-east-1:000000000000:table/people"));
        assertNull(StreamArn.parse("arn:aws:dynamodb:us-east-1:000000000000:table/people/index/byName"));
        assertNull(StreamArn.parse("arn:aws:dynamodb:us-east-1:000000000000:table/people/stream/x/y"));
        assertNull(StreamArn.parse("arn:aws:dynamodb:us-east-1:000000000000:table/p/stream/2026"), "table name too short");
        assertNull(StreamArn.parse("arn:aws:kinesis:us-east-1:000000000000:table/people/stream/2026"));
        assertNull(StreamArn.parse("arn:aws:dynamodb:us-east-1:12:table/people/stream/2026"));
        assertNull(StreamArn.parse("people"));
        assertNull(StreamArn.parse(null));
    }
}
