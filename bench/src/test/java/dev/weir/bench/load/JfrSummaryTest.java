package dev.weir.bench.load;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A sample counts for the first of weir's steps whose frame is on its stack, whatever is above it. */
class JfrSummaryTest {
    @Test
    void aSampleCountsForTheStepThatCalledWhatRuns() {
        assertEquals("parse the request (JSON, expressions)", JfrSummary.stage(List.of(
                "ObjectMapper.readTree (com.fasterxml.jackson.databind)",
                "RequestParser.parse (dev.weir.proxy.enforce.request)",
                "Firewall.parseAndDecide (dev.weir.proxy.enforce)",
                "HttpObjectDecoder.decode (io.netty.handler.codec.http)")));
        assertEquals("identify (SigV4 verify)", JfrSummary.stage(List.of(
                "Mac.doFinal (javax.crypto)", "Identifier.identify (dev.weir.proxy.identity)")));
        assertEquals("HTTP encode (client answers, upstream requests)", JfrSummary.stage(List.of(
                "HttpObjectEncoder.encode (io.netty.handler.codec.http)", "CompletableFuture.complete (java.util.concurrent)")));
        assertEquals("future glue (completion stages)", JfrSummary.stage(List.of(
                "CompletableFuture.uniHandle (java.util.concurrent)")));
        assertEquals("other (event loop, GC barriers, JDK)", JfrSummary.stage(List.of("Thread.run (java.lang)")));
    }
}
