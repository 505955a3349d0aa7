package org.gridlink.local;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The one-command local platform: the identity service, an embedded PostgreSQL server with a database per tier,
 * a real Kafka broker, the four tier nodes and the gateway with the console; the identity service, the nodes
 * and the gateway each a child JVM from its executable jar. Ctrl-C stops it all, in reverse order. Started by
 * {@code run-local.sh}.
 */
public final class LocalPlatform {

    private static final String VERSION = "0.1.0-SNAPSHOT";
    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(180);
    private static final Set<String> OPTIONS = Set.of("home", "data", "fresh", "gateway-port", "pg-port", "kafka-port",
            "identity-port", "node-port", "heap", "help");
    private static final List<String> TIER_NAMES = List.of("community", "township", "district", "city");
    /** Demo logins for the banner: username and password (seeds/README.md, "People"). */
    private static final List<String[]> DEMO_LOGINS = List.of(
            new String[] {"gridworker.410105001001-01", "grid-worker-demo", "grid worker, 经八路社区第一网格"},
            new String[] {"supervisor.410105001000", "supervisor-demo", "supervisor, 经八路街道办事处"},
            new String[] {"leader.410100000000", "leader-demo", "city leader, 郑州市"});

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
        int identityPort = intOption(o, "identity-port", 9000);
        int nodePort = intOption(o, "node-port", 8081);
        if (nodePort + TIER_NAMES.size() - 1 > 65534) {
            throw new IllegalArgumentException("--node-port leaves no room for the four nodes: " + nodePort);
        }
        Map<String, Integer> tiers = new LinkedHashMap<>();
        TIER_NAMES.forEach(t -> tiers.put(t, nodePort + tiers.size()));
        String issuer = "http://localhost:" + identityPort;
        String heap = o.getOrDefault("heap", "256m");
        if (!heap.matches("\\d+[kKmMgG]?")) {
            throw new IllegalArgumentException("--heap looks like 256m, got " + heap);
        }
        if (!Files.isDirectory(home.resolve("services"))) {
            throw new IllegalStateException(home + " is not the gridlink folder (it has no services/); "
                    + "run from there or pass --home=<the gridlink folder>");
        }
        Map<String, Path> jars = new LinkedHashMap<>();
        jars.put("identity", home.resolve("identity/target/gridlink-identity-" + VERSION + "-exec.jar"));
        tiers.keySet().forEach(t -> jars.put(t, home.resolve("services/" + t + "/target/gridlink-" + t + "-" + VERSION + "-exec.jar")));
        jars.put("gateway", home.resolve("gateway/target/gridlink-gateway-" + VERSION + "-exec.jar"));
        List<String> missing = jars.values().stream().filter(j -> !Files.isRegularFile(j))
                .map(j -> home.relativize(j).toString()).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("missing " + String.join(", ", missing)
                    + "\n  build first, in " + home + ":  ./mvnw -B -DskipTests install   (or use ./run-local.sh, which does)");
        }
        if (Boolean.parseBoolean(o.getOrDefault("fresh", "false"))) {
            say("--fresh: wiping " + data);
            LocalMachine.deleteTree(data);
        }
        Path pgData = data.resolve("postgres");
        List<Integer> ports = new ArrayList<>(List.of(identityPort, kafkaPort, kafkaPort + 1));
        ports.addAll(tiers.values());
        ports.add(gatewayPort);
        if (!Files.exists(pgData.resolve("postmaster.pid"))) {
            ports.add(0, pgPort); // else a server left running on our data holds it; PostgresServer stops that one
        }
        awaitPortsFree(ports);

        Path logs = data.resolve("logs");
        Reaper.register(() -> say("stopped"));

        // first, and not waited for until the nodes start: it needs neither the database nor the broker
        say("starting the identity service on port " + identityPort + " (signing key in " + data.resolve("identity")
                + ")");
        ServiceProcess identity = new ServiceProcess("identity", jars.get("identity"), identityPort, heap, List.of(
                "--gridlink.identity.issuer=" + issuer,
                "--gridlink.identity.key-file=" + data.resolve("identity").resolve("jwks.json"),
                "--gridlink.identity.console-redirect-uris=http://localhost:" + gatewayPort + "/,http://127.0.0.1:"
                        + gatewayPort + "/",
                "--gridlink.identity.console-origins=http://localhost:" + gatewayPort + ",http://127.0.0.1:"
                        + gatewayPort),
                logs.resolve("identity.log")).start();

        say("starting PostgreSQL on 127.0.0.1:" + pgPort + " (data in " + pgData + ")");
        PostgresServer postgres = PostgresServer.start(pgData, pgPort, false, logs.resolve("postgres.log"));
        tiers.keySet().forEach(t -> postgres.createDatabaseIfMissing("gridlink_" + t));

        say("starting Kafka on 127.0.0.1:" + kafkaPort + " (data in " + data.resolve("kafka") + ")");
        KafkaBroker kafka = KafkaBroker.start(data.resolve("kafka"), kafkaPort, launcherClasspath());
        kafka.awaitReady(Duration.ofSeconds(120));

        identity.awaitHealthy(HEALTH_TIMEOUT);

        say("starting the community, township, district and city nodes (logs in " + logs + ")");
        List<ServiceProcess> nodes = new ArrayList<>();
        tiers.forEach((tier, port) -> nodes.add(new ServiceProcess(tier, jars.get(tier), port, heap, List.of(
                "--gridlink.database.host=127.0.0.1",
                "--gridlink.database.port=" + postgres.port(),
                "--gridlink.database.name=gridlink_" + tier,
                "--gridlink.database.username=" + postgres.username(),
                "--gridlink.database.password=" + postgres.password(),
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--gridlink.security.issuer=" + issuer,
                // where people and apps reach the platform: the gateway (an Open311 discovery document points there)
                "--gridlink.api.public-url=http://localhost:" + gatewayPort),
                logs.resolve(tier + ".log")).start()));
        // one entry for all four, so that the shutdown hook stops them side by side, before the broker
        Reaper.register(() -> inParallel(nodes, ServiceProcess::stop));
        inParallel(nodes, n -> n.awaitHealthy(HEALTH_TIMEOUT));

        say("starting the gateway and console on port " + gatewayPort);
        List<String> gatewayArgs = new ArrayList<>();
        tiers.forEach((tier, port) -> gatewayArgs.add("--gridlink.gateway.nodes." + tier + "=http://127.0.0.1:" + port));
        gatewayArgs.add("--gridlink.security.issuer=" + issuer);
        ServiceProcess gateway = new ServiceProcess("gateway", jars.get("gateway"), gatewayPort, heap, gatewayArgs,
                logs.resolve("gateway.log")).start();
        gateway.awaitHealthy(HEALTH_TIMEOUT);
        Reaper.register(() -> {
            stopping = true;
            say("stopping the gateway, the nodes, Kafka, PostgreSQL and the identity service ...");
        });

        banner(gatewayPort, identityPort, tiers, postgres, kafka, logs, data);
        List<ServiceProcess> watched = new ArrayList<>(List.of(identity));
        watched.addAll(nodes);
        watched.add(gateway);
        watch(watched, kafka);
    }

    private static void banner(int gatewayPort, int identityPort, Map<String, Integer> tiers, PostgresServer postgres,
                               KafkaBroker kafka, Path logs, Path data) {
        String line = "=".repeat(78);
        StringBuilder b = new StringBuilder().append('\n').append(line).append('\n')
                .append(" gridlink is running\n\n")
                .append(String.format("   console      http://localhost:%d/%n", gatewayPort))
                .append(String.format("   API          http://localhost:%d/api/units/{unitCode}/...   "
                        + "(e.g. /api/units/410100000000)%n", gatewayPort));
        b.append(String.format("   identity     http://localhost:%d/   (OAuth 2.1 / OpenID Connect: /oauth2/authorize, "
                + "/oauth2/token, /oauth2/jwks)%n", identityPort));
        tiers.forEach((tier, port) -> b.append(String.format("   %-12s http://localhost:%d/   (direct, health: /actuator/health)%n",
                tier, port)));
        b.append(String.format("   PostgreSQL   127.0.0.1:%d   user/password postgres/postgres, databases gridlink_<tier>%n",
                        postgres.port()))
                .append(String.format("   Kafka        %s%n", kafka.bootstrapServers()))
                .append(String.format("   logs         %s%s<tier>.log, gateway.log, identity.log, postgres.log;"
                        + " Kafka: %s%n", logs, File.separator, kafka.log()))
                .append(String.format("   data         %s   (kept across restarts; --fresh wipes it)%n", data))
                .append('\n')
                .append(" Demo logins (local demo only; every role's password in seeds/README.md):\n");
        for (String[] login : DEMO_LOGINS) {
            b.append(String.format("   %-28s %-18s %s%n", login[0], login[1], login[2]));
        }
        String env = identityPort == 9000 ? "" : "GRIDLINK_ISSUER=http://localhost:" + identityPort + " ";
        b.append(String.format(" A token on the command line:  TOKEN=$(%sdeploy/local/login.sh supervisor.410105001000)%n",
                        env))
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
            while (!LocalMachine.isFree(port)) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("port " + port + " is in use (is gridlink already running?); "
                            + "free it or choose other ports: --gateway-port, --identity-port, --pg-port, --kafka-port "
                            + "(Kafka also uses the next port), --node-port (the first of the nodes' four)");
                }
                if (!told) {
                    say("port " + port + " is in use; waiting up to 15 s for it to be freed ...");
                    told = true;
                }
                sleep(500);
            }
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
                usage: run-local.sh [--fresh] [--gateway-port=8080] [--identity-port=9000] [--pg-port=15432]
                                    [--kafka-port=19092] [--node-port=8081] [--heap=256m]
                                    [--data=<dir, default <home>/.gridlink>] [--home=<the gridlink folder>]
                  --fresh      wipe the data folder (databases, Kafka topics, signing key, logs) first
                  --node-port  the community node's port; the township, district and city nodes take the next three""";
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
