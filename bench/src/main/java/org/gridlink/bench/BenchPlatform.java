package org.gridlink.bench;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.gridlink.local.KafkaBroker;
import org.gridlink.local.LocalMachine;
import org.gridlink.local.PostgresServer;
import org.gridlink.local.ServiceProcess;

/**
 * The platform a benchmark runs against, started fresh by the benchmark itself from the launcher's parts, on ports of
 * its own so that it never meets a running {@code run-local.sh}: a durable embedded PostgreSQL (fsync on, as in
 * {@code run-local.sh}), a Kafka broker, the identity service, the four nodes, the gateway (rate limits raised out of
 * the way) and a bare WebFlux endpoint. Each app is a child JVM with the full JIT (the local platform's children run
 * C1 only, for a quick start). Everything stops when this JVM exits.
 */
public final class BenchPlatform {

    private static final String VERSION = "0.1.0-SNAPSHOT";
    static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(240);
    static final List<String> TIERS = List.of("community", "township", "district", "city");

    private final Path home;
    private final Path data;
    private final int basePort;
    private final String heap;
    private final Optional<String> seeds;
    private final boolean profile;
    /** Settings given to every node besides the platform's own ({@code --node-args}), e.g. a publish interval. */
    private final List<String> nodeSettings;
    /** Settings given to the gateway besides the platform's own ({@code --gateway-args}). */
    private final List<String> gatewaySettings;
    /** The platform's JVMs with the C1 compiler only ({@code --jit=c1}), as run-local.sh runs them. */
    private final boolean c1Only;
    private PostgresServer postgres;
    private KafkaBroker kafka;
    private final Map<String, ServiceProcess> apps = new LinkedHashMap<>();
    private final Map<String, List<String>> argsOfNode = new LinkedHashMap<>();
    private List<String> argsOfGateway = List.of();
    private final Map<String, Path> jars = new LinkedHashMap<>();

    /** {@code seeds}: where the identity service and the nodes read the city ({@code gridlink.seeds}); empty: theirs. */
    BenchPlatform(Path home, Path data, int basePort, String heap, Optional<String> seeds, boolean profile,
                  List<String> nodeSettings, List<String> gatewaySettings, boolean c1Only) {
        this.profile = profile;
        this.gatewaySettings = List.copyOf(gatewaySettings);
        this.c1Only = c1Only;
        this.nodeSettings = List.copyOf(nodeSettings);
        this.home = home;
        this.data = data;
        this.basePort = basePort;
        this.heap = heap;
        this.seeds = seeds;
    }

    int identityPort() {
        return basePort;
    }

    int gatewayPort() {
        return basePort + 80;
    }

    int nodePort(String tier) {
        return basePort + 81 + TIERS.indexOf(tier);
    }

    int barePort() {
        return basePort + 90;
    }

    int postgresPort() {
        return basePort + 432;
    }

    int kafkaPort() {
        return basePort + 92;
    }

    String issuer() {
        return "http://localhost:" + identityPort();
    }

    String gatewayUrl() {
        return "http://127.0.0.1:" + gatewayPort();
    }

    String nodeUrl(String tier) {
        return "http://127.0.0.1:" + nodePort(tier);
    }

    String bareUrl() {
        return "http://127.0.0.1:" + barePort();
    }

    PostgresServer postgres() {
        return postgres;
    }

    /** A JDBC connection to one of the platform's databases (a node's own: {@code gridlink_<tier>}). */
    java.sql.Connection connect(String database) throws java.sql.SQLException {
        return java.sql.DriverManager.getConnection(postgres.jdbcUrl(database), postgres.username(),
                postgres.password());
    }

    boolean c1Only() {
        return c1Only;
    }

    /** The settings the gateway got besides the platform's own ({@code --gateway-args}). */
    List<String> gatewaySettings() {
        return gatewaySettings;
    }

    /** The settings every node got besides the platform's own ({@code --node-args}). */
    List<String> nodeSettings() {
        return nodeSettings;
    }

    String kafkaBootstrap() {
        return kafka.bootstrapServers();
    }

    Path data() {
        return data;
    }

    void start() {
        List<Integer> ports = new ArrayList<>(List.of(identityPort(), gatewayPort(), barePort(), postgresPort(),
                kafkaPort(), kafkaPort() + 1));
        TIERS.forEach(t -> ports.add(nodePort(t)));
        ports.forEach(this::requireFree);
        jars.put("identity", home.resolve("identity/target/gridlink-identity-" + VERSION + "-exec.jar"));
        TIERS.forEach(t -> jars.put(t, home.resolve("services/" + t + "/target/gridlink-" + t + "-" + VERSION + "-exec.jar")));
        jars.put("gateway", home.resolve("gateway/target/gridlink-gateway-" + VERSION + "-exec.jar"));
        jars.forEach((name, jar) -> {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("missing " + jar + "; bench/run.sh builds it");
            }
        });
        LocalMachine.deleteTree(data);
        if (profile) {
            try {
                Files.createDirectories(data.resolve("jfr"));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        Path logs = data.resolve("logs");
        try {
            Files.createDirectories(logs); // before the first JVM opens its GC log there
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        // the full tiered JIT or C1 only (--jit); --profile: a JFR recording per app
        java.util.function.Function<String, List<String>> jvm = this::jvmOptions;

        say("identity service on " + identityPort());
        String gatewayOrigins = "http://localhost:" + gatewayPort() + ",http://127.0.0.1:" + gatewayPort();
        List<String> identityArgs = new ArrayList<>(List.of(
                "--gridlink.identity.issuer=" + issuer(),
                "--gridlink.identity.key-file=" + data.resolve("identity").resolve("jwks.json"),
                "--gridlink.identity.console-redirect-uris=http://localhost:" + gatewayPort() + "/,http://127.0.0.1:"
                        + gatewayPort() + "/",
                "--gridlink.identity.console-origins=" + gatewayOrigins));
        seeds.ifPresent(s -> identityArgs.add("--gridlink.seeds=" + s));
        ServiceProcess identity = new ServiceProcess("identity", jars.get("identity"), identityPort(), heap, jvm.apply("identity"),
                identityArgs, logs.resolve("identity.log")).start();
        apps.put("identity", identity);

        say("PostgreSQL (durable: fsync and synchronous commit on) on " + postgresPort());
        postgres = PostgresServer.start(data.resolve("postgres"), postgresPort(), false, logs.resolve("postgres.log"));
        TIERS.forEach(t -> postgres.createDatabaseIfMissing("gridlink_" + t));

        say("Kafka on " + kafkaPort());
        kafka = KafkaBroker.start(data.resolve("kafka"), kafkaPort(), ownClasspath());
        kafka.awaitReady(Duration.ofSeconds(120));
        identity.awaitHealthy(HEALTH_TIMEOUT);

        say("the four nodes on " + nodePort("community") + "-" + nodePort("city") + " (logs in " + logs + ")");
        List<ServiceProcess> nodes = new ArrayList<>();
        for (String tier : TIERS) {
            List<String> nodeArgs = new ArrayList<>(List.of(
                    "--gridlink.database.host=127.0.0.1",
                    "--gridlink.database.port=" + postgres.port(),
                    "--gridlink.database.name=gridlink_" + tier,
                    "--gridlink.database.username=" + postgres.username(),
                    "--gridlink.database.password=" + postgres.password(),
                    "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                    "--gridlink.security.issuer=" + issuer()));
            seeds.ifPresent(s -> nodeArgs.add("--gridlink.seeds=" + s));
            nodeArgs.addAll(nodeSettings);
            argsOfNode.put(tier, nodeArgs);
            ServiceProcess node = new ServiceProcess(tier, jars.get(tier), nodePort(tier), heap, jvm.apply(tier), nodeArgs,
                    logs.resolve(tier + ".log")).start();
            nodes.add(node);
            apps.put(tier, node);
        }
        say("the bare WebFlux endpoint on " + barePort());
        ServiceProcess bare = new ServiceProcess("bare-endpoint", ownJar(), barePort(), "128m", List.of(),
                List.of("--bench.role=bare-endpoint"), logs.resolve("bare-endpoint.log")).start();
        apps.put("bare-endpoint", bare);
        for (ServiceProcess node : nodes) {
            node.awaitHealthy(HEALTH_TIMEOUT);
        }
        say("the gateway on " + gatewayPort());
        List<String> gatewayArgs = new ArrayList<>();
        TIERS.forEach(t -> gatewayArgs.add("--gridlink.gateway.nodes." + t + "=" + nodeUrl(t)));
        gatewayArgs.add("--gridlink.security.issuer=" + issuer());
        // the benchmark is one user per unit sending hundreds of requests a second: the limits would answer 429
        gatewayArgs.add("--gridlink.security.rate-limit.per-user=1000000");
        gatewayArgs.add("--gridlink.security.rate-limit.per-address=1000000");
        gatewayArgs.addAll(gatewaySettings);
        argsOfGateway = List.copyOf(gatewayArgs);
        ServiceProcess gateway = new ServiceProcess("gateway", jars.get("gateway"), gatewayPort(), heap, jvm.apply("gateway"),
                gatewayArgs, logs.resolve("gateway.log")).start();
        apps.put("gateway", gateway);
        gateway.awaitHealthy(HEALTH_TIMEOUT);
        bare.awaitHealthy(HEALTH_TIMEOUT);
    }

    /**
     * An app's JVM options: the full tiered JIT, or C1 only with {@code --jit=c1} (ChildProcess adds
     * -XX:+UseSerialGC); its GC pauses and safepoints logged to {@code logs/<app>-gc.log} (a stall of a second in an
     * open loop is then either there or not); with --profile, a JFR recording written when the app stops.
     */
    private List<String> jvmOptions(String app) {
        List<String> options = new ArrayList<>();
        if (c1Only) {
            options.add("-XX:TieredStopAtLevel=1");
        }
        options.add("-Xlog:gc,safepoint:file=" + data.resolve("logs").resolve(app + "-gc.log") + ":time,uptime");
        if (profile) {
            // reactive call chains run far deeper than JFR's default 64 frames
            options.add("-XX:FlightRecorderOptions=stackdepth=1024");
            options.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                    + data.resolve("jfr").resolve(app + ".jfr"));
        }
        return options;
    }

    /**
     * Stops a node and starts it again on the same port, database and broker with {@code extraArgs} added (settings
     * it was not started with: a setting given twice is a list to Spring), its log in {@code <tier>-<label>.log};
     * returns when it is healthy.
     */
    void restartNode(String tier, String label, List<String> extraArgs) {
        apps.get(tier).stop();
        List<String> args = new ArrayList<>(argsOfNode.get(tier));
        args.addAll(extraArgs);
        ServiceProcess node = new ServiceProcess(tier, jars.get(tier), nodePort(tier), heap,
                jvmOptions(tier + "-" + label), args, data.resolve("logs").resolve(tier + "-" + label + ".log")).start();
        apps.put(tier, node);
        node.awaitHealthy(HEALTH_TIMEOUT);
    }

    /**
     * Starts another {@code app} (the community node or the gateway), {@code name}, on {@code basePort + offset},
     * beside the platform's own: the same settings as the platform's (a community node's database and broker, a
     * gateway's nodes), with {@code extraArgs} added, from {@code jar} (empty: the platform's own); returns it started,
     * not yet healthy. It stops with the platform, and its CPU is an app's like any other ({@link #cpuNanos}).
     */
    ServiceProcess startBeside(String app, String name, int offset, Optional<Path> jar, List<String> extraArgs) {
        if (!SideBySide.APPS.contains(app)) {
            throw new IllegalArgumentException("only " + SideBySide.APPS + " start beside the platform's, not " + app);
        }
        int port = basePort + offset;
        requireFree(port);
        Path executable = jar.orElse(jars.get(app));
        if (!Files.isRegularFile(executable)) {
            throw new IllegalStateException("no jar at " + executable);
        }
        List<String> args = new ArrayList<>(app.equals("gateway") ? argsOfGateway : argsOfNode.get(app));
        args.addAll(extraArgs);
        ServiceProcess node = new ServiceProcess(name, executable, port, heap, jvmOptions(name), args,
                data.resolve("logs").resolve(name + ".log")).start();
        apps.put(name, node);
        return node;
    }

    private void requireFree(int port) {
        if (!LocalMachine.isFree(port)) {
            throw new IllegalStateException("port " + port + " is in use (another benchmark?); choose another "
                    + "--port-base (now " + basePort + ")");
        }
    }

    /** Where an app answers HTTP, on the loopback. */
    String url(String app) {
        return "http://127.0.0.1:" + apps.get(app).port();
    }

    /**
     * The operating-system process of an app while it runs, for its CPU time: the child process that was started for
     * it, by its pid. {@code cpu.csv}'s sampler asks for every app each second; while it looked each one up among all
     * the machine's processes by command line, it took 74 ms of the driver's CPU a second, and 11 ms since
     * (2026-12-07-only-reads-1m-11 and -12).
     */
    Optional<ProcessHandle> process(String app) {
        ServiceProcess p = apps.get(app);
        return p.isAlive() ? ProcessHandle.of(p.pid()).filter(ProcessHandle::isAlive) : Optional.empty();
    }

    /** The Kafka broker's process while it runs (none before it started or while it is down). */
    List<ProcessHandle> kafkaProcess() {
        return kafka != null && kafka.isAlive() ? ProcessHandle.of(kafka.pid()).stream().toList() : List.of();
    }

    /** The PostgreSQL server's data directory, as its command line names it. */
    String postgresData() {
        return data.resolve("postgres").toAbsolutePath().toString(); // as PostgresServer gives it
    }

    /** The operating-system processes of the apps running now, by name. */
    Map<String, ProcessHandle> processes() {
        Map<String, ProcessHandle> all = new LinkedHashMap<>();
        apps.keySet().forEach(app -> process(app).ifPresent(p -> all.put(app, p)));
        return all;
    }

    /** CPU time (user + system) an app's process has used so far, in nanoseconds; -1 if unknown. */
    long cpuNanos(String app) {
        return process(app).flatMap(p -> p.info().totalCpuDuration()).map(Duration::toNanos).orElse(-1L);
    }

    static String ownClasspath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(s -> !s.isBlank())
                .map(s -> Path.of(s).toAbsolutePath().normalize().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }

    /** The gateway's executable jar, which the hot-path measurement runs on too. */
    Path gatewayJar() {
        return jars.get("gateway");
    }

    /** The bench jar this JVM runs from (its manifest names the libraries). */
    static Path ownJar() {
        String first = System.getProperty("java.class.path").split(File.pathSeparator)[0];
        Path jar = Path.of(first).toAbsolutePath().normalize();
        if (!jar.toString().endsWith(".jar")) {
            throw new IllegalStateException("run the benchmark from its jar (bench/run.sh), not from " + jar);
        }
        return jar;
    }

    static void say(String message) {
        System.out.println("[bench] " + message);
    }
}
