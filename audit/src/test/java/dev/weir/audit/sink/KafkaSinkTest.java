package dev.weir.audit.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.audit.event.AuditEvent;
import dev.weir.audit.pipeline.AuditCounters;
import dev.weir.audit.pipeline.AuditPipeline;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Kafka sink against a real single-node KRaft broker that the test starts from the Maven artifacts. */
class KafkaSinkTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static KafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = new KafkaBroker(dir.resolve("kafka"));
        System.out.println("Kafka broker (KRaft, broker+controller) ready in " + broker.startTime.toMillis() + " ms");
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) broker.close();
    }

    static AuditEvent event(int i) {
        return AuditEvent.builder().timeMicros(1_700_000_000_000_000L + i).principal("p" + (i % 7)).operation("PutItem")
                .table("orders").decision("ALLOWED").status(200).build();
    }

    /** Every record of a topic: (key, event.sequence) in partition order. */
    static List<ConsumerRecord<byte[], byte[]>> consumeAll(KafkaBroker from, String topic, int expected) {
        Map<String, Object> c = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, from.bootstrap(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            // Up to the end of every partition as it is once the expected count is there.
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            while (System.nanoTime() < until) {
                if (end.values().stream().mapToLong(Long::longValue).sum() < expected) {
                    end = consumer.endOffsets(parts);
                } else {
                    Map<TopicPartition, Long> e = end;
                    if (parts.stream().allMatch(tp -> consumer.position(tp) >= e.get(tp))) break;
                }
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    static long sequence(ConsumerRecord<byte[], byte[]> r) {
        try {
            JsonNode n = JSON.readTree(r.value());
            return n.get("event.sequence").asLong();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static List<Long> range(long from, long to) {
        List<Long> l = new ArrayList<>();
        for (long i = from; i <= to; i++) l.add(i);
        return l;
    }

    @Test
    void everyEventArrivesInOrderKeyedByInstanceThroughTheSpooledPipeline(@TempDir Path spool) throws Exception {
        broker.createTopic("audit-events", 3);
        KafkaSink sink = new KafkaSink(KafkaSink.Options.of(broker.bootstrap(), "audit-events"));
        AuditPipeline p = AuditPipeline.spooled(AuditPipeline.Options.defaults("weir-k1", spool),
                List.of(new AuditPipeline.NamedSink("kafka", sink)));
        for (int i = 0; i < 5000; i++) {
            while (p.publish(event(i)) < 0) Thread.onSpinWait();
        }
        p.close();
        AuditCounters.Sink c = p.counters().sinks().getFirst();
        assertEquals(5000, c.shipped());
        assertEquals(0, c.lag());

        List<ConsumerRecord<byte[], byte[]>> got = consumeAll(broker, "audit-events", 5000);
        assertEquals(range(1, 5000), got.stream().map(KafkaSinkTest::sequence).toList(), "all sequence numbers, in order, no gap");
        // One key, so one partition: the instance's order is the partition's order.
        assertTrue(got.stream().allMatch(r -> "weir-k1".equals(new String(r.key(), StandardCharsets.UTF_8))));
        assertEquals(1, got.stream().map(ConsumerRecord::partition).distinct().count());
    }

    /**
     * The broker goes away for a while and comes back (same ports and data): every event
     * arrives, no gap. Duplicates are allowed (at least once across producer failures) and counted.
     */
    @Test
    void aBrokerThatGoesAwayAndComesBackGetsEverything(@TempDir Path spool) throws Exception {
        try (KafkaBroker own = new KafkaBroker(dir.resolve("kafka-outage"))) {
            own.createTopic("audit-outage", 1);
            KafkaSink sink = new KafkaSink(new KafkaSink.Options(own.bootstrap(), "audit-outage", null, null,
                    Duration.ofSeconds(3), Map.of("reconnect.backoff.max.ms", "500")));
            AuditPipeline p = AuditPipeline.spooled(AuditPipeline.Options.defaults("weir-k3", spool),
                    List.of(new AuditPipeline.NamedSink("kafka", sink)));
            for (int i = 0; i < 1000; i++) p.publish(event(i));
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (p.counters().sinks().getFirst().committed() < 1000 && System.nanoTime() < until) Thread.sleep(20);
            assertEquals(1000, p.counters().sinks().getFirst().shipped());
            own.stop();
            for (int i = 0; i < 1000; i++) p.publish(event(i));
            until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (p.counters().sinks().getFirst().lastError() == null && System.nanoTime() < until) Thread.sleep(20);
            AuditCounters.Sink down = p.counters().sinks().getFirst();
            assertTrue(down.retried() > 0 && down.lag() > 0 && down.lastError() != null, down.toString());
            own.start();
            for (int i = 0; i < 1000; i++) p.publish(event(i));
            p.close();
            assertEquals(0, p.counters().sinks().getFirst().lag());

            List<Long> seqs = consumeAll(own, "audit-outage", 3000).stream().map(KafkaSinkTest::sequence).toList();
            assertEquals(range(1, 3000), seqs.stream().distinct().sorted().toList(), "every sequence number, no gap");
            System.out.println("Kafka outage: " + (seqs.size() - 3000) + " duplicates (at least once)");
        }
    }

    @Test
    void theProducerIsIdempotentWithAcksAllAndTheseCannotBeOverridden() {
        KafkaSink sink = new KafkaSink(KafkaSink.Options.of(broker.bootstrap(), "t"));
        Map<String, Object> c = sink.producerConfig();
        assertEquals("all", c.get(ProducerConfig.ACKS_CONFIG));
        assertEquals(true, c.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG));
        assertThrows(IllegalArgumentException.class, () -> new KafkaSink.Options(broker.bootstrap(), "t", null, null, null,
                Map.of(ProducerConfig.ACKS_CONFIG, "1")));
        assertThrows(IllegalArgumentException.class, () -> KafkaSink.Options.of(broker.bootstrap(), "bad topic"));
        KafkaSink.Options secret = new KafkaSink.Options("h:1", "t", null, null, null,
                Map.of("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required password=\"hunter2\";"));
        assertFalse(secret.toString().contains("hunter2"), secret.toString());
    }

    @Test
    void aFlushThatCannotBeAcknowledgedFailsAndTheNextBatchUsesAFreshProducer() throws Exception {
        // A topic that does not exist (auto-creation is off): metadata never arrives, the send times out.
        KafkaSink sink = new KafkaSink(new KafkaSink.Options(broker.bootstrap(), "no-such-topic", null, null,
                Duration.ofSeconds(2), null));
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> {
            sink.write(event(1).numbered(1, "weir-k2"));
            sink.flush();
        });
        assertTrue(e.getMessage().contains("no-such-topic"), e.getMessage());
        broker.createTopic("no-such-topic", 1);
        sink.write(event(1).numbered(1, "weir-k2"));
        sink.flush();
        sink.close();
        assertEquals(List.of(1L), consumeAll(broker, "no-such-topic", 1).stream().map(KafkaSinkTest::sequence).toList());
    }
}
