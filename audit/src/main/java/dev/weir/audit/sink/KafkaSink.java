package dev.weir.audit.sink;

import dev.weir.audit.event.AuditEvent;
import dev.weir.audit.format.EcsJsonLines;
import dev.weir.audit.format.EventFormat;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Kafka, with the idempotent producer and {@code acks=all}: a record counts as delivered only
 * when every in-sync replica has it, and the producer's own retries never duplicate or reorder
 * a record within a partition. The key is the instance id (so one instance's events stay in
 * one partition, in order), the value the formatted event.
 *
 * <p>{@link #write} hands the record to the producer; {@link #flush} waits until every record
 * sent since the last flush is acknowledged, and throws if any failed or the wait outlasted
 * the delivery timeout. After a failure the producer is closed and a new one is made for the next
 * batch, and the pipeline's shipper resends the batch from its committed spool offset: at
 * least once (records acknowledged before the failure in that batch arrive twice).
 */
public final class KafkaSink implements AuditSink {
    /** Producer settings weir owns: changing them would weaken the guarantee. */
    private static final Set<String> FIXED = Set.of(ProducerConfig.ACKS_CONFIG, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ProducerConfig.TRANSACTIONAL_ID_CONFIG);

    /**
     * @param bootstrapServers  {@code host:port,...}
     * @param topic             the topic the events go to
     * @param key               the record key; null means each event's instance id
     * @param format            the record format; null means ecs
     * @param deliveryTimeout   how long a record may take to be acknowledged, retries included
     *                          ({@code delivery.timeout.ms}); null means 30 s
     * @param producer          further producer settings (security.protocol, ssl.*, sasl.*,
     *                          compression.type, linger.ms, ...); acks, idempotence and the
     *                          serializers cannot be overridden
     */
    public record Options(String bootstrapServers, String topic, String key, EventFormat format, Duration deliveryTimeout,
                          Map<String, String> producer) {
        public Options {
            if (bootstrapServers == null || bootstrapServers.isBlank()) {
                throw new IllegalArgumentException("Kafka sink: bootstrap_servers is required");
            }
            if (topic == null || !topic.matches("[A-Za-z0-9._-]{1,249}")) {
                throw new IllegalArgumentException("Kafka sink: bad topic name '" + topic + "'");
            }
            if (format == null) format = new EcsJsonLines();
            if (deliveryTimeout == null) deliveryTimeout = Duration.ofSeconds(30);
            producer = producer == null ? Map.of() : Map.copyOf(producer);
            for (String k : producer.keySet()) {
                if (FIXED.contains(k)) throw new IllegalArgumentException("Kafka sink: '" + k + "' is fixed by weir");
            }
        }

        public static Options of(String bootstrapServers, String topic) {
            return new Options(bootstrapServers, topic, null, null, null, null);
        }

        /** Settings may hold secrets (sasl.jaas.config, ssl passwords): only their names are shown. */
        @Override
        public String toString() {
            return "KafkaSink.Options[bootstrap=" + bootstrapServers + ", topic=" + topic + ", format=" + format.name()
                    + ", producer settings=" + producer.keySet() + "]";
        }
    }

    private final Options options;
    private final byte[] fixedKey;
    private Producer<byte[], byte[]> producer;
    /** The first failure of the current producer's records (a new producer gets a new one, so late callbacks of an old one do not count). */
    private AtomicReference<Exception> failure = new AtomicReference<>();
    /** Records sent since the last flush. */
    private final List<Future<RecordMetadata>> pending = new ArrayList<>();

    public KafkaSink(Options options) {
        this.options = options;
        this.fixedKey = options.key() == null ? null : options.key().getBytes(StandardCharsets.UTF_8);
    }

    Map<String, Object> producerConfig() {
        Map<String, Object> c = new HashMap<>(options.producer());
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        c.putIfAbsent(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);  // the most idempotence keeps ordered
        c.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        c.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "weir-audit");
        int delivery = (int) options.deliveryTimeout().toMillis();
        c.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, delivery);
        c.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(30_000, Math.max(1000, delivery - 1000)));
        c.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, delivery);
        return c;
    }

    @Override
    public void write(AuditEvent event) throws IOException {
        if (producer == null) {
            failure = new AtomicReference<>();
            try {
                producer = new KafkaProducer<>(producerConfig());
            } catch (KafkaException e) {
                throw new IOException("Kafka " + options.bootstrapServers() + ": cannot create a producer: " + e.getMessage(), e);
            }
        }
        byte[] key = fixedKey != null ? fixedKey
                : event.instance() == null ? null : event.instance().getBytes(StandardCharsets.UTF_8);
        AtomicReference<Exception> failed = failure;
        Exception earlier = failed.get();
        if (earlier != null) {
            // A send of this batch already failed (with the broker gone, each further send would
            // wait max.block.ms for metadata): give up the batch now; it is sent again from the spool.
            reset();
            throw new IOException("Kafka " + options.topic() + ": " + earlier, earlier);
        }
        try {
            pending.add(producer.send(new ProducerRecord<>(options.topic(), key, options.format().encode(event)), (meta, ex) -> {
                if (ex != null) failed.compareAndSet(null, ex);
            }));
        } catch (KafkaException e) {  // metadata not available within max.block.ms, a closed or fenced producer
            reset();
            throw new IOException("Kafka " + options.topic() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Waits until every record since the last flush is acknowledged by all in-sync replicas,
     * for at most the delivery timeout plus 5 s. The producer's own {@code flush()} is not
     * used: an idempotent producer that cannot reach any broker never gets its producer id,
     * and then never expires its batches either, so that flush would wait forever.
     */
    @Override
    public void flush() throws IOException {
        if (producer == null) return;
        long deadline = System.nanoTime() + options.deliveryTimeout().plusSeconds(5).toNanos();
        try {
            for (Future<RecordMetadata> f : pending) {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException e) {
            failure.compareAndSet(null, e.getCause() instanceof Exception c ? c : e);
        } catch (TimeoutException e) {
            failure.compareAndSet(null, new TimeoutException("no acknowledgement within " + options.deliveryTimeout().plusSeconds(5)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure.compareAndSet(null, e);
        } finally {
            pending.clear();
        }
        Exception ex = failure.get();
        if (ex != null) {
            reset();
            throw new IOException("Kafka " + options.topic() + " did not acknowledge the batch: " + ex, ex);
        }
    }

    @Override
    public void close() throws IOException {
        if (producer == null) return;
        try {
            flush();
        } finally {
            if (producer != null) producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }

    private void reset() {
        Producer<byte[], byte[]> p = producer;
        producer = null;
        pending.clear();
        if (p != null) p.close(Duration.ZERO);
    }
}
