package dev.weir.appliance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a Kafka topic of weir audit records (ECS JSON, one per Kafka record) from its
 * beginning to its end as it is when the read starts, every partition, each record with its
 * key (weir's instance id) and its raw text, so a test can compare a redelivered record with
 * the first delivery byte for byte.
 */
final class AuditTopic {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One Kafka record: its key, partition and offset, the text and the parsed event. */
    record Entry(String key, int partition, long offset, String text, JsonNode event) {
        String instance() {
            return event.path("observer.name").asText();
        }

        long sequence() {
            return event.path("event.sequence").asLong();
        }

        String requestId() {
            return event.path("http.request.id").asText(null);
        }
    }

    private AuditTopic() {}

    static List<Entry> readAll(String bootstrap, String topic) throws IOException {
        Map<String, Object> c = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<Entry> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!parts.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp))) {
                if (System.nanoTime() > deadline) throw new IOException("could not read " + topic + " to its end within 30 s");
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    String text = new String(r.value(), StandardCharsets.UTF_8);
                    out.add(new Entry(r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8), r.partition(), r.offset(),
                            text, JSON.readTree(text)));
                }
            }
        }
        return out;
    }
}
