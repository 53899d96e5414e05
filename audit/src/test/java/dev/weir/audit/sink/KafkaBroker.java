package dev.weir.audit.sink;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Kafka broker in KRaft mode (broker and controller in one process) on
 * loopback, run as a separate JVM from the test classpath (org.apache.kafka:kafka_2.13, test
 * scope): {@code kafka.tools.StorageTool format}, then {@code kafka.Kafka server.properties}.
 * Public in the test jar: the appliance's scale-out test sends two replicas' audit to one.
 */
public final class KafkaBroker implements AutoCloseable {
    public final int port;
    public final int controllerPort;
    public final Path dir;
    public final Path log;
    /** From launching the broker JVM to a topic created through it. */
    public Duration startTime;
    private final Path props;
    private Process process;

    public KafkaBroker(Path dir) throws Exception {
        this(dir, Rsyslog.freePort());
    }

    /**
     * A broker whose client port is {@code port} (free, chosen by the caller), so that clients
     * can be configured with its address while it starts; the constructor returns once it serves.
     */
    public KafkaBroker(Path dir, int port) throws Exception {
        this.dir = dir;
        this.port = port;
        int controller;
        do controller = Rsyslog.freePort(); while (controller == port);
        this.controllerPort = controller;
        this.log = dir.resolve("broker.log");
        Files.createDirectories(dir);
        this.props = dir.resolve("server.properties");
        Files.writeString(props, """
                process.roles=broker,controller
                node.id=1
                controller.quorum.voters=1@127.0.0.1:%d
                listeners=PLAINTEXT://127.0.0.1:%d,CONTROLLER://127.0.0.1:%d
                advertised.listeners=PLAINTEXT://127.0.0.1:%d
                controller.listener.names=CONTROLLER
                inter.broker.listener.name=PLAINTEXT
                listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
                log.dirs=%s
                num.partitions=1
                offsets.topic.replication.factor=1
                offsets.topic.num.partitions=1
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                share.coordinator.state.topic.replication.factor=1
                share.coordinator.state.topic.min.isr=1
                group.initial.rebalance.delay.ms=0
                auto.create.topics.enable=false
                """.formatted(controllerPort, port, controllerPort, port, dir.resolve("data")));
        long t0 = System.nanoTime();
        run(List.of("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c", props.toString()),
                Duration.ofSeconds(60));
        start();
        startTime = Duration.ofNanos(System.nanoTime() - t0);
    }

    /** Starts the broker on its ports and data (again, after {@link #stop}) and waits until it serves. */
    public void start() throws Exception {
        process = new ProcessBuilder(java("kafka.Kafka", props.toString())).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        waitUntilReady();
    }

    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    public void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 4000));
    }

    private void waitUntilReady() throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            if (!process.isAlive()) throw new IllegalStateException("the Kafka broker exited:\n" + tail());
            try (Admin admin = admin()) {
                admin.describeCluster().nodes().get(4, TimeUnit.SECONDS);
                if (!admin.listTopics().names().get(4, TimeUnit.SECONDS).contains("weir-ready")) createTopic("weir-ready", 1);
                return;
            } catch (Exception notYet) {
                if (System.nanoTime() > until) throw new IllegalStateException("the Kafka broker did not start:\n" + tail(), notYet);
                Thread.sleep(100);
            }
        }
    }

    private List<String> java(String mainClass, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms128m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true",
                "-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private void run(List<String> mainAndArgs, Duration timeout) throws Exception {
        List<String> cmd = java(mainAndArgs.getFirst(), mainAndArgs.subList(1, mainAndArgs.size()).toArray(String[]::new));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(mainAndArgs.getFirst() + " timed out:\n" + tail());
        }
        if (p.exitValue() != 0) throw new IllegalStateException(mainAndArgs.getFirst() + " failed:\n" + tail());
    }

    public String tail() throws IOException {
        List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    @Override
    public void close() throws Exception {
        stop();
    }

    /** SIGTERM (a controlled shutdown), and waits for the process to end. */
    public void stop() throws Exception {
        if (process == null) return;
        process.destroy();  // SIGTERM: a controlled shutdown
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        process = null;
    }
}
