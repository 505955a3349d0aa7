package org.gridlink.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Uuid;

/**
 * One real Kafka broker in KRaft combined mode (broker and controller in one process), run as a child JVM from
 * the Kafka jars on a classpath, so that a test can stop it, kill it with SIGKILL, freeze it and start it again
 * on the same ports and data. Its output goes to {@code <dataDir>/broker.log}.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final String HEAP = "512m";

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final String classpath;
    private final ChildProcess process;

    private KafkaBroker(Path dataDir, int port, int controllerPort, String classpath) {
        this.dataDir = dataDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.classpath = classpath;
        this.process = new ChildProcess("kafka", HEAP,
                List.of("-Dlogback.configurationFile=" + dataDir.resolve("logback-broker.xml")),
                List.of(classpathOption(dataDir, classpath), "kafka.Kafka", config().toString()),
                log(), 30);
    }

    /**
     * Starts a broker with its data in {@code dataDir}, listening on {@code port} and its controller on
     * {@code port + 1} ({@code 0}: two free ports), from the Kafka jars on this JVM's classpath. Does not wait
     * for it: see {@link #awaitReady(Duration)}.
     */
    public static KafkaBroker start(Path dataDir, int port) {
        return start(dataDir, port, System.getProperty("java.class.path"));
    }

    /** As {@link #start(Path, int)}, with the Kafka jars on the given classpath. */
    public static KafkaBroker start(Path dataDir, int port, String classpath) {
        int[] ports = port > 0 ? new int[] {port, port + 1} : LocalMachine.freePortsForServers(2);
        KafkaBroker broker = new KafkaBroker(dataDir.toAbsolutePath(), ports[0], ports[1], classpath);
        broker.launch();
        return broker;
    }

    private void launch() {
        try {
            Files.createDirectories(dataDir);
            writeConfig();
            if (!Files.exists(dataDir.resolve("logs").resolve("meta.properties"))) {
                format();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Kafka in " + dataDir, e);
        }
        process.start();
    }

    /** Formats the storage once, with a cluster id kept in the data directory for every later start. */
    private void format() throws IOException {
        Path idFile = dataDir.resolve("cluster-id");
        if (!Files.exists(idFile)) {
            Files.writeString(idFile, Uuid.randomUuid().toString());
        }
        String clusterId = Files.readString(idFile).trim();
        new ChildProcess("kafka-storage-format", "256m", List.of(),
                List.of(classpathOption(dataDir, classpath), "kafka.tools.StorageTool",
                        "format", "-t", clusterId, "-c", config().toString(), "--ignore-formatted"),
                log(), 10).runToCompletion(120);
    }

    private void writeConfig() throws IOException {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        props.put("log.dirs", dataDir.resolve("logs").toString());
        props.put("num.partitions", "3");
        props.put("auto.create.topics.enable", "false");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "6");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("min.insync.replicas", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        // Kafka 4.1 batches offset commits for 5 ms by default; a local broker should not wait
        props.put("group.coordinator.append.linger.ms", "0");
        // after a kill -9 the restarted broker may only register once its old session has expired (default 9 s)
        props.put("broker.session.timeout.ms", "4000");
        props.put("broker.heartbeat.interval.ms", "1000");
        props.put("num.network.threads", "2");
        props.put("num.io.threads", "4");
        props.put("num.recovery.threads.per.data.dir", "1");
        props.put("log.retention.hours", "168");
        StringBuilder text = new StringBuilder("# written by gridlink's local platform at every start\n");
        props.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Files.writeString(config(), text.toString(), StandardCharsets.UTF_8);
        Files.writeString(dataDir.resolve("logback-broker.xml"), """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n</pattern></encoder>
                  </appender>
                  <logger name="kafka.server.KafkaRaftServer" level="INFO"/>
                  <root level="WARN"><appender-ref ref="OUT"/></root>
                </configuration>
                """, StandardCharsets.UTF_8);
    }

    /**
     * {@code -cp <classpath>} as one JVM argument file: a test JVM's classpath can be longer than the 128 KiB
     * that Linux allows a single command-line argument.
     */
    private static String classpathOption(Path dataDir, String classpath) {
        try {
            Files.createDirectories(dataDir);
            Path argFile = dataDir.resolve("classpath.args");
            Files.writeString(argFile, "-cp \"" + classpath.replace("\\", "\\\\").replace("\"", "\\\"") + "\"\n",
                    StandardCharsets.UTF_8);
            return "@" + argFile;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the broker's classpath to " + dataDir, e);
        }
    }

    private Path config() {
        return dataDir.resolve("server.properties");
    }

    /** {@code 127.0.0.1:<port>}, the same across restarts. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The broker's output, appended across restarts. */
    public Path log() {
        return dataDir.resolve("broker.log");
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits until the broker answers: the cluster has a controller and this broker, and topics can be listed.
     * Fails early, with the end of the broker's log, if the process exits.
     */
    public void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        Exception last = null;
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Kafka exited; last lines of " + log() + ":\n" + process.tail(40));
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000,
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000,
                    AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500))) {
                DescribeClusterResult cluster = admin.describeCluster();
                if (cluster.controller().get(3, TimeUnit.SECONDS) != null
                        && !cluster.nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
                    admin.listTopics().names().get(3, TimeUnit.SECONDS);
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            sleep(250);
        }
        throw new IllegalStateException("Kafka not ready after " + timeout + " (" + last + "); last lines of " + log()
                + ":\n" + process.tail(40));
    }

    /** Graceful stop: SIGTERM, then SIGKILL after 30 s. */
    public void stop() {
        process.stop();
    }

    /** A crash: SIGKILL, nothing flushed or handed over; returns once the process is gone. */
    public void kill() {
        process.kill();
    }

    /** Freezes the broker (SIGSTOP): connections stay open but nothing answers, until {@link #resume()}. */
    public void pause() {
        process.signal("STOP");
    }

    /** Thaws a {@link #pause() paused} broker (SIGCONT). */
    public void resume() {
        process.signal("CONT");
    }

    /** Starts the broker again on the same ports and data (stopping it first if it runs). Does not wait. */
    public void restart() {
        process.stop();
        launch();
    }

    @Override
    public void close() {
        process.stop();
    }

    @Override
    public String toString() {
        return "Kafka broker " + bootstrapServers() + " (" + dataDir + ")";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
