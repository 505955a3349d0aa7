package org.gridlink.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * The one-command local platform: an embedded PostgreSQL server with a database per tier, a real Kafka
 * broker, the four tier nodes and the gateway with the console, the sample seeds. Ctrl-C stops it all.
 */
public final class LocalPlatform {

    private static final String VERSION = "0.1.0-SNAPSHOT";
    private static final Map<String, Integer> TIERS = new LinkedHashMap<>();

    static {
        TIERS.put("community", 8081);
        TIERS.put("township", 8082);
        TIERS.put("district", 8083);
        TIERS.put("city", 8084);
    }

    private final List<AutoCloseable> running = new ArrayList<>();

    public static void main(String[] args) {
        Map<String, String> options = parse(args);
        LocalPlatform platform = new LocalPlatform();
        Runtime.getRuntime().addShutdownHook(new Thread(platform::stopAll, "gridlink-local-stop"));
        try {
            platform.run(options);
        } catch (RuntimeException e) {
            System.err.println();
            System.err.println("gridlink did not start: " + e.getMessage());
            platform.stopAll();
            System.exit(1);
        }
    }

    private void run(Map<String, String> o) {
        Path home = Path.of(o.getOrDefault("home", ".")).toAbsolutePath().normalize();
        Path data = Path.of(o.getOrDefault("data", home.resolve(".gridlink").toString())).toAbsolutePath().normalize();
        int gatewayPort = Integer.parseInt(o.getOrDefault("gateway-port", "8080"));
        int pgPort = Integer.parseInt(o.getOrDefault("pg-port", "15432"));
        int kafkaPort = Integer.parseInt(o.getOrDefault("kafka-port", "19092"));
        String heap = o.getOrDefault("heap", "256m");
        if (!Files.isDirectory(home.resolve("services"))) {
            throw new IllegalStateException(home + " is not the gridlink folder (no services/); pass --home=<repo>");
        }
        Map<String, Path> jars = new LinkedHashMap<>();
        TIERS.keySet().forEach(t -> jars.put(t, home.resolve("services/" + t + "/target/gridlink-" + t + "-" + VERSION + "-exec.jar")));
        jars.put("gateway", home.resolve("gateway/target/gridlink-gateway-" + VERSION + "-exec.jar"));
        List<Path> missing = jars.values().stream().filter(j -> !Files.exists(j)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("missing " + missing + "; build first: ./mvnw -B -DskipTests install");
        }
        if (o.containsKey("fresh")) {
            deleteTree(data);
        }
        Path logs = data.resolve("logs");
        say("starting PostgreSQL on 127.0.0.1:" + pgPort + " (data in " + data.resolve("postgres") + ")");
        PostgresServer postgres = PostgresServer.start(data.resolve("postgres"), pgPort, false);
        running.add(postgres);
        TIERS.keySet().forEach(t -> postgres.createDatabaseIfMissing("gridlink_" + t));

        say("starting Kafka on 127.0.0.1:" + kafkaPort);
        KafkaBroker kafka = KafkaBroker.start(data.resolve("kafka"), kafkaPort);
        running.add(kafka);
        kafka.awaitReady(Duration.ofSeconds(120));

        say("starting the community, township, district and city nodes");
        List<ServiceProcess> nodes = new ArrayList<>();
        TIERS.forEach((tier, port) -> {
            ServiceProcess node = new ServiceProcess(tier, jars.get(tier), port, heap, List.of(
                    "--gridlink.database.host=127.0.0.1",
                    "--gridlink.database.port=" + postgres.port(),
                    "--gridlink.database.name=gridlink_" + tier,
                    "--gridlink.database.username=" + postgres.username(),
                    "--gridlink.database.password=" + postgres.password(),
                    "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers()),
                    logs.resolve(tier + ".log"));
            running.add(node);
            nodes.add(node.start());
        });
        CompletableFuture.allOf(nodes.stream()
                        .map(n -> CompletableFuture.runAsync(() -> n.awaitHealthy(Duration.ofSeconds(180))))
                        .toArray(CompletableFuture[]::new))
                .exceptionally(e -> {
                    throw e instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }).join();

        say("starting the gateway and console on port " + gatewayPort);
        List<String> gatewayArgs = new ArrayList<>();
        TIERS.forEach((tier, port) -> gatewayArgs.add("--gridlink.gateway.nodes." + tier + "=http://127.0.0.1:" + port));
        ServiceProcess gateway = new ServiceProcess("gateway", jars.get("gateway"), gatewayPort, heap, gatewayArgs,
                logs.resolve("gateway.log"));
        running.add(gateway);
        gateway.start().awaitHealthy(Duration.ofSeconds(180));

        String line = "=".repeat(72);
        System.out.println();
        System.out.println(line);
        System.out.println(" gridlink is running");
        System.out.println();
        System.out.println("   console     http://localhost:" + gatewayPort + "/");
        System.out.println("   API         http://localhost:" + gatewayPort + "/api/units/410100000000");
        TIERS.forEach((tier, port) -> System.out.printf("   %-11s http://localhost:%d%n", tier, port));
        System.out.println("   PostgreSQL  127.0.0.1:" + postgres.port() + "  (postgres/postgres, gridlink_<tier>)");
        System.out.println("   Kafka       " + kafka.bootstrapServers());
        System.out.println("   logs        " + logs);
        System.out.println("   data        " + data + "  (start with --fresh to wipe it)");
        System.out.println();
        System.out.println(" Ctrl-C stops everything.");
        System.out.println(line);
        try {
            Thread.currentThread().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void stopAll() {
        if (running.isEmpty()) {
            return;
        }
        say("stopping gridlink");
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception e) {
                System.err.println("  while stopping: " + e);
            }
        }
        running.clear();
        say("stopped");
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (String a : args) {
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("options look like --key=value, got " + a);
            }
            int eq = a.indexOf('=');
            o.put(eq < 0 ? a.substring(2) : a.substring(2, eq), eq < 0 ? "true" : a.substring(eq + 1));
        }
        return o;
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
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void say(String message) {
        System.out.println("[gridlink] " + message);
    }
}
