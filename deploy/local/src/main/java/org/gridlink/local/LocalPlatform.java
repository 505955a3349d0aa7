package org.gridlink.local;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The one-command local platform: an embedded PostgreSQL server with a database per tier, a real Kafka broker,
 * the four tier nodes and the gateway with the console, each node and the gateway a child JVM from its
 * executable jar. Ctrl-C stops it all, in reverse order. Started by {@code run-local.sh}.
 */
public final class LocalPlatform {

    private static final String VERSION = "0.1.0-SNAPSHOT";
    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(180);
    private static final Map<String, Integer> TIERS = new LinkedHashMap<>();
    private static final Set<String> OPTIONS = Set.of("home", "data", "fresh", "gateway-port", "pg-port", "kafka-port",
            "heap", "help");

    static {
        TIERS.put("community", 8081);
        TIERS.put("township", 8082);
        TIERS.put("district", 8083);
        TIERS.put("city", 8084);
    }

    private volatile boolean stopping;

    private LocalPlatform() {
    }

    public static void main(String[] args) {
        Map<String, String> options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(usage());
            System.exit(2);
            return;
        }
        if (options.containsKey("help")) {
            System.out.println(usage());
            return;
        }
        try {
            new LocalPlatform().run(options);
        } catch (RuntimeException e) {
            System.err.println();
            System.err.println("[gridlink] did not start: " + e.getMessage());
            System.exit(1); // the Reaper's shutdown hook stops whatever did start
        }
    }

    private void run(Map<String, String> o) {
        Path home = Path.of(o.getOrDefault("home", ".")).toAbsolutePath().normalize();
        Path data = Path.of(o.getOrDefault("data", home.resolve(".gridlink").toString())).toAbsolutePath().normalize();
        int gatewayPort = intOption(o, "gateway-port", 8080);
        int pgPort = intOption(o, "pg-port", 15432);
        int kafkaPort = intOption(o, "kafka-port", 19092);
        String heap = o.getOrDefault("heap", "256m");
        if (!heap.matches("\\d+[kKmMgG]?")) {
            throw new IllegalArgumentException("--heap looks like 256m, got " + heap);
        }
        if (!Files.isDirectory(home.resolve("services"))) {
            throw new IllegalStateException(home + " is not the gridlink folder (it has no services/); "
                    + "run from there or pass --home=<the gridlink folder>");
        }
        Map<String, Path> jars = new LinkedHashMap<>();
        TIERS.keySet().forEach(t -> jars.put(t, home.resolve("services/" + t + "/target/gridlink-" + t + "-" + VERSION + "-exec.jar")));
        jars.put("gateway", home.resolve("gateway/target/gridlink-gateway-" + VERSION + "-exec.jar"));
        List<String> missing = jars.values().stream().filter(j -> !Files.isRegularFile(j))
                .map(j -> home.relativize(j).toString()).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("missing " + String.join(", ", missing)
                    + "\n  build first, in " + home + ":  ./mvnw -B -DskipTests install   (or use ./run-local.sh, which does)");
        }
        if (Boolean.parseBoolean(o.getOrDefault("fresh", "false"))) {
            say("--fresh: wiping " + data);
            deleteTree(data);
        }
        Path pgData = data.resolve("postgres");
        List<Integer> ports = new ArrayList<>(List.of(kafkaPort, kafkaPort + 1));
        ports.addAll(TIERS.values());
        ports.add(gatewayPort);
        if (!Files.exists(pgData.resolve("postmaster.pid"))) {
            ports.add(0, pgPort); // else a server left running on our data holds it; PostgresServer stops that one
        }
        awaitPortsFree(ports);

        Path logs = data.resolve("logs");
        Reaper.register(() -> say("stopped"));

        say("starting PostgreSQL on 127.0.0.1:" + pgPort + " (data in " + pgData + ")");
        PostgresServer postgres = PostgresServer.start(pgData, pgPort, false);
        TIERS.keySet().forEach(t -> postgres.createDatabaseIfMissing("gridlink_" + t));

        say("starting Kafka on 127.0.0.1:" + kafkaPort + " (data in " + data.resolve("kafka") + ")");
        KafkaBroker kafka = KafkaBroker.start(data.resolve("kafka"), kafkaPort, launcherClasspath());
        kafka.awaitReady(Duration.ofSeconds(120));

        say("starting the community, township, district and city nodes (logs in " + logs + ")");
        List<ServiceProcess> nodes = new ArrayList<>();
        TIERS.forEach((tier, port) -> nodes.add(new ServiceProcess(tier, jars.get(tier), port, heap, List.of(
                "--gridlink.database.host=127.0.0.1",
                "--gridlink.database.port=" + postgres.port(),
                "--gridlink.database.name=gridlink_" + tier,
                "--gridlink.database.username=" + postgres.username(),
                "--gridlink.database.password=" + postgres.password(),
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers()),
                logs.resolve(tier + ".log")).start()));
        // one entry for all four, so that the shutdown hook stops them side by side, before the broker
        Reaper.register(() -> inParallel(nodes, ServiceProcess::stop));
        inParallel(nodes, n -> n.awaitHealthy(HEALTH_TIMEOUT));

        say("starting the gateway and console on port " + gatewayPort);
        List<String> gatewayArgs = new ArrayList<>();
        TIERS.forEach((tier, port) -> gatewayArgs.add("--gridlink.gateway.nodes." + tier + "=http://127.0.0.1:" + port));
        ServiceProcess gateway = new ServiceProcess("gateway", jars.get("gateway"), gatewayPort, heap, gatewayArgs,
                logs.resolve("gateway.log")).start();
        gateway.awaitHealthy(HEALTH_TIMEOUT);
        Reaper.register(() -> {
            stopping = true;
            say("stopping the gateway, the nodes, Kafka and PostgreSQL ...");
        });

        banner(gatewayPort, postgres, kafka, logs, data);
        List<ServiceProcess> watched = new ArrayList<>(nodes);
        watched.add(gateway);
        watch(watched, kafka);
    }

    private static void banner(int gatewayPort, PostgresServer postgres, KafkaBroker kafka, Path logs, Path data) {
        String line = "=".repeat(78);
        StringBuilder b = new StringBuilder().append('\n').append(line).append('\n')
                .append(" gridlink is running\n\n")
                .append(String.format("   console      http://localhost:%d/%n", gatewayPort))
                .append(String.format("   API          http://localhost:%d/api/units/{unitCode}/...   "
                        + "(e.g. /api/units/410100000000)%n", gatewayPort));
        TIERS.forEach((tier, port) -> b.append(String.format("   %-12s http://localhost:%d/   (direct, health: /actuator/health)%n",
                tier, port)));
        b.append(String.format("   PostgreSQL   127.0.0.1:%d   user/password postgres/postgres, databases gridlink_<tier>%n",
                        postgres.port()))
                .append(String.format("   Kafka        %s%n", kafka.bootstrapServers()))
                .append(String.format("   logs         %s%s<tier>.log, gateway.log; Kafka: %s%n", logs, File.separator,
                        kafka.log()))
                .append(String.format("   data         %s   (kept across restarts; --fresh wipes it)%n", data))
                .append('\n')
                .append(" Ctrl-C to stop.\n")
                .append(line);
        System.out.println(b);
    }

    /** Reports, once each, a node or the broker that exits while the platform runs. */
    private void watch(List<ServiceProcess> services, KafkaBroker kafka) {
        Set<String> reported = new HashSet<>();
        while (!stopping) {
            for (ServiceProcess s : services) {
                if (!s.isAlive() && !stopping && reported.add(s.name())) {
                    say(s.name() + " has exited; see " + s.log());
                }
            }
            if (!kafka.isAlive() && !stopping && reported.add("kafka")) {
                say("Kafka has exited; see " + kafka.log());
            }
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Runs {@code action} on every item at once; rethrows the first failure after all have finished. */
    private static <T> void inParallel(List<T> items, Consumer<T> action) {
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        List<Thread> threads = items.stream().map(item -> new Thread(() -> {
            try {
                action.accept(item);
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            }
        }, "gridlink-" + item)).toList();
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    /** This launcher's classpath, absolute (the broker child may run elsewhere than the current directory). */
    private static String launcherClasspath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(s -> !s.isBlank())
                .map(s -> Path.of(s).toAbsolutePath().normalize().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }

    /** Fails with a clear message on a port that stays taken; waits a little for children of a dead launcher. */
    private static void awaitPortsFree(List<Integer> ports) {
        Instant deadline = Instant.now().plusSeconds(15);
        boolean told = false;
        for (int port : ports) {
            while (!isFree(port)) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("port " + port + " is in use (is gridlink already running?); "
                            + "free it or choose other ports: --gateway-port, --pg-port, --kafka-port (Kafka also "
                            + "uses the next port); the nodes use 8081-8084");
                }
                if (!told) {
                    say("port " + port + " is in use; waiting up to 15 s for it to be freed ...");
                    told = true;
                }
                sleep(500);
            }
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int intOption(Map<String, String> o, String key, int fallback) {
        String value = o.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value);
            if (port < 1 || port > 65534) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " wants a port number, got " + value);
        }
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (String a : args) {
            if (!a.startsWith("--") || a.length() < 3) {
                throw new IllegalArgumentException("options look like --key=value, got " + a);
            }
            int eq = a.indexOf('=');
            String key = eq < 0 ? a.substring(2) : a.substring(2, eq);
            if (!OPTIONS.contains(key)) {
                throw new IllegalArgumentException("unknown option --" + key);
            }
            o.put(key, eq < 0 ? "true" : a.substring(eq + 1));
        }
        return o;
    }

    private static String usage() {
        return """
                usage: run-local.sh [--fresh] [--gateway-port=8080] [--pg-port=15432] [--kafka-port=19092] [--heap=256m]
                                    [--data=<dir, default <home>/.gridlink>] [--home=<the gridlink folder>]
                  --fresh  wipe the data folder (databases, Kafka topics, logs) first""";
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot delete " + p, e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot wipe " + dir, e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void say(String message) {
        System.out.println("[gridlink] " + message);
    }
}
