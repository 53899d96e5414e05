package dev.weir.audit.sink;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.weir.audit.event.AuditEvent;
import dev.weir.audit.format.EcsJsonLines;
import dev.weir.audit.format.EventFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HTTP in Splunk HTTP Event Collector form: {@code POST /services/collector/event} with
 * {@code Authorization: Splunk <token>} and a body of concatenated JSON envelopes
 * {@code {"time":..,"host":..,"source":..,"sourcetype":..,"index":..,"event":..}}, sent in
 * batches. The event is the formatted record: a JSON object for the JSON formats (ecs, ocsf),
 * a string for the others.
 *
 * <p>What an answer means:
 * <ul>
 *   <li>2xx: the batch is accepted;</li>
 *   <li>429, 5xx, or no answer (connection refused, reset, timeout): throws, and the
 *       pipeline's shipper retries from its committed spool offset with backoff;</li>
 *   <li>401 or 403 (the token is refused): throws too, so events wait in the spool until the
 *       token is fixed rather than being thrown away (fail closed; the log says so);</li>
 *   <li>any other 4xx (400 bad data, 413 too large, ...): a permanent error for that data.
 *       The sink resends the batch one event at a time to find the events the receiver
 *       refuses, skips those, counts them in {@link #dropped()} and logs the receiver's
 *       answer. The token is never logged.</li>
 * </ul>
 * Delivery is at least once: a batch that failed part-way is sent again whole.
 */
public final class HecSink implements AuditSink {
    private static final Logger log = LoggerFactory.getLogger(HecSink.class);
    private static final JsonFactory JSON = JsonFactory.builder().build();
    public static final String EVENT_PATH = "/services/collector/event";

    /**
     * @param url         the collector: {@code https://splunk:8088} (the event path is added when the URL has no path)
     *                    or the full event endpoint URL
     * @param token       the HEC token
     * @param host        the envelope's host; null means the event's instance id
     * @param source      the envelope's source; null means "weir"
     * @param sourcetype  the envelope's sourcetype; null means "weir:audit:FORMAT"
     * @param index       the Splunk index, or null for the token's default
     * @param format      the record format; null means ecs
     * @param maxEvents   events per request; 0 means 500
     * @param maxBytes    bytes per request (a batch is sent when it reaches this); 0 means 1 MiB
     * @param timeout     connect and request timeout; null means 10 s
     * @param caFile      PEM CA certificates for an https URL; null means the JDK's trust store
     */
    public record Options(URI url, String token, String host, String source, String sourcetype, String index,
                          EventFormat format, int maxEvents, int maxBytes, Duration timeout, Path caFile) {
        public Options {
            if (url == null || url.getScheme() == null || !(url.getScheme().equals("http") || url.getScheme().equals("https"))) {
                throw new IllegalArgumentException("HEC sink: url must be http:// or https://, got " + url);
            }
            if (token == null || token.isBlank()) throw new IllegalArgumentException("HEC sink: token is required");
            if (url.getPath() == null || url.getPath().isEmpty() || url.getPath().equals("/")) url = url.resolve(EVENT_PATH);
            if (source == null) source = "weir";
            if (format == null) format = new EcsJsonLines();
            if (sourcetype == null) sourcetype = "weir:audit:" + format.name();
            if (maxEvents <= 0) maxEvents = 500;
            if (maxBytes <= 0) maxBytes = 1 << 20;
            if (timeout == null) timeout = Duration.ofSeconds(10);
        }

        public static Options of(URI url, String token) {
            return new Options(url, token, null, null, null, null, null, 0, 0, null, null);
        }

        /** Never shows the token. */
        @Override
        public String toString() {
            return "HecSink.Options[url=" + url + ", token=(hidden), source=" + source + ", sourcetype=" + sourcetype
                    + ", index=" + index + ", format=" + format.name() + "]";
        }
    }

    private final Options options;
    private final HttpClient client;
    private final boolean jsonEvent;
    private final String authorization;
    private final List<byte[]> batch = new ArrayList<>();
    private int batchBytes;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();

    public HecSink(Options options) throws IOException {
        this.options = options;
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(options.timeout()).version(HttpClient.Version.HTTP_1_1);
        if (options.caFile() != null) b.sslContext(TlsFiles.context(options.caFile(), null, null));
        this.client = b.build();
        this.jsonEvent = options.format().name().equals("ecs") || options.format().name().equals("ocsf");
        this.authorization = "Splunk " + options.token();
    }

    @Override
    public void write(AuditEvent event) throws IOException {
        byte[] envelope = envelope(event);
        if (!batch.isEmpty() && (batch.size() >= options.maxEvents() || batchBytes + envelope.length > options.maxBytes())) {
            send();
        }
        batch.add(envelope);
        batchBytes += envelope.length;
    }

    @Override
    public void flush() throws IOException {
        if (!batch.isEmpty()) send();
    }

    @Override
    public long dropped() {
        return dropped.get();
    }

    /** The size of one event's envelope (for tests and sizing {@code maxBytes}). */
    public int envelopeBytes(AuditEvent event) throws IOException {
        return envelope(event).length;
    }

    /** HTTP requests sent (for tests and diagnostics). */
    public long requests() {
        return requests.get();
    }

    @Override
    public void close() throws IOException {
        try {
            flush();
        } finally {
            client.close();
        }
    }

    private void send() throws IOException {
        List<byte[]> events = List.copyOf(batch);
        batch.clear();
        batchBytes = 0;
        Answer a = post(events);
        if (a.ok()) return;
        if (!a.permanent()) throw a.failure(events.size());
        if (events.size() == 1) {
            reject(1, a);
            return;
        }
        // Find the events the receiver refuses; the rest go through one by one.
        int refused = 0;
        for (byte[] one : events) {
            Answer single = post(List.of(one));
            if (single.ok()) continue;
            if (!single.permanent()) throw single.failure(1);
            refused++;
            a = single;
        }
        if (refused > 0) reject(refused, a);
    }

    private void reject(int n, Answer a) {
        dropped.addAndGet(n);
        log.error("audit HEC sink {}: the receiver refused {} event{} for good (HTTP {}: {}); skipped and counted",
                options.url(), n, n == 1 ? "" : "s", a.status(), a.body());
    }

    /** One HTTP answer; status 0 never happens (no answer throws). */
    private record Answer(int status, String body) {
        boolean ok() {
            return status / 100 == 2;
        }

        /** A 4xx that retrying cannot fix (not 429, and not a refused token, which an operator fixes). */
        boolean permanent() {
            return status / 100 == 4 && status != 429 && status != 401 && status != 403;
        }

        IOException failure(int events) {
            String why = status == 401 || status == 403 ? " (the HEC token was refused; events wait in the spool)" : "";
            return new IOException("HEC answered HTTP " + status + why + " to " + events + " event" + (events == 1 ? "" : "s")
                    + ": " + body);
        }
    }

    private Answer post(List<byte[]> events) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(options.url()).timeout(options.timeout())
                .header("Authorization", authorization).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArrays(events)).build();
        requests.incrementAndGet();
        try {
            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            String body = r.body() == null ? "" : r.body();
            return new Answer(r.statusCode(), body.length() > 300 ? body.substring(0, 300) + "..." : body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while posting to HEC " + options.url());
        } catch (IOException e) {
            throw new IOException("HEC " + options.url() + ": " + e, e);
        }
    }

    private byte[] envelope(AuditEvent e) throws IOException {
        byte[] record = options.format().encode(e);
        ByteArrayBuilder out = new ByteArrayBuilder(record.length + 200);
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            long micros = e.timeMicros();
            g.writeFieldName("time");
            g.writeRawValue(Math.floorDiv(micros, 1_000_000) + "." + String.format("%06d", Math.floorMod(micros, 1_000_000)));
            g.writeStringField("host", options.host() != null ? options.host() : e.instance() != null ? e.instance() : "weir");
            g.writeStringField("source", options.source());
            g.writeStringField("sourcetype", options.sourcetype());
            if (options.index() != null) g.writeStringField("index", options.index());
            g.writeFieldName("event");
            if (jsonEvent) {
                g.writeRawValue(new String(record, StandardCharsets.UTF_8));
            } else {
                g.writeString(new String(record, StandardCharsets.UTF_8));
            }
            g.writeEndObject();
        }
        out.write('\n');
        return out.toByteArray();
    }
}
