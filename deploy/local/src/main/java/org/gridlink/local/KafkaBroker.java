package org.gridlink.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * One real Kafka broker in KRaft combined mode (broker and controller), run as a child JVM from the Kafka
 * jars on the classpath so that it can be stopped, killed with SIGKILL, frozen and restarted on the same
 * ports and data directory.
 */
public final class KafkaBroker implements AutoCloseable {

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final String classpath;
    private ChildProcess process;

    private KafkaBroker(Path dataDir, int port, int controllerPort, String classpath) {
        this.dataDir = dataDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.classpath = classpath;
    }

    /** Starts a broker on {@code port} (0: a free port) with the Kafka jars of this JVM's classpath. */
    public static KafkaBroker start(Path dataDir, int port) {
        return start(dataDir, port, System.getProperty("java.class.path"));
    }

    public static KafkaBroker start(Path dataDir, int port, String classpath) {
        int brokerPort = port > 0 ? port : freePort();
        int controller = port > 0 ? port + 1 : freePort();
        KafkaBroker broker = new KafkaBroker(dataDir, brokerPort, controller, classpath);
        broker.launch();
        return broker;
    }

    private void launch() {
        try {
            Files.createDirectories(dataDir);
            Path config = writeConfig();
            Path logs = dataDir.resolve("logs");
            if (!Files.exists(logs.resolve("meta.properties"))) {
                Path idFile = dataDir.resolve("cluster-id");
                if (!Files.exists(idFile)) {
                    Files.writeString(idFile, Uuid.randomUuid().toString());
                }
                String clusterId = Files.readString(idFile).trim();
                new ChildProcess("kafka-storage-format",
                        ChildProcess.java("256m", classpath, "kafka.tools.StorageTool",
                                List.of("format", "-t", clusterId, "-c", config.toString(), "--ignore-formatted")),
                        dataDir.resolve("broker.log")).runToCompletion(120);
            }
            process = new ChildProcess("kafka",
                    ChildProcess.java("512m", classpath, "kafka.Kafka", List.of(config.toString())),
                    dataDir.resolve("broker.log")).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Kafka in " + dataDir, e);
        }
    }

    private Path writeConfig() throws IOException {
        Map<String, String> props = new java.util.LinkedHashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", dataDir.resolve("logs").toString());
        props.put("num.partitions", "3");
        props.put("auto.create.topics.enable", "false");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "6");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("min.insync.replicas", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        // Kafka 4.1 batches offset commits for 5 ms by default; a local broker should not wait
        props.put("group.coordinator.append.linger.ms", "0");
        props.put("log.retention.hours", "168");
        StringBuilder text = new StringBuilder("# written by gridlink's local platform\n");
        props.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Path config = dataDir.resolve("server.properties");
        Files.writeString(config, text.toString(), StandardCharsets.UTF_8);
        return config;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Waits until the broker answers and has a controller. */
    public void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        Exception last = null;
        while (Instant.now().isBefore(deadline)) {
            if (process == null || !process.isAlive()) {
                throw new IllegalStateException("Kafka exited:\n" + process.tail(40));
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000,
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000))) {
                if (admin.describeCluster().controller().get(3, TimeUnit.SECONDS) != null) {
                    admin.listTopics().names().get(3, TimeUnit.SECONDS);
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            sleep(200);
        }
        throw new IllegalStateException("Kafka not ready after " + timeout + ": " + last + "\n" + process.tail(40));
    }

    /** Graceful stop (SIGTERM). */
    public void stop() {
        process.stop(30);
    }

    /** Crash (SIGKILL): nothing is flushed or handed over. */
    public void kill() {
        process.kill();
    }

    /** Freezes the broker (SIGSTOP) until {@link #resume()}. */
    public void pause() {
        process.signal("STOP");
    }

    public void resume() {
        process.signal("CONT");
    }

    /** Starts the broker again on the same ports and data after a stop or kill. */
    public void restart() {
        if (process != null && process.isAlive()) {
            process.stop(30);
        }
        launch();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public Path log() {
        return dataDir.resolve("broker.log");
    }

    @Override
    public void close() {
        if (process != null) {
            process.stop(20);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
