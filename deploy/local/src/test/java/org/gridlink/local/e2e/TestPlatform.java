package org.gridlink.local.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.gridlink.city.CityApplication;
import org.gridlink.community.CommunityApplication;
import org.gridlink.contracts.Tier;
import org.gridlink.district.DistrictApplication;
import org.gridlink.gateway.GatewayApplication;
import org.gridlink.kernel.support.outbox.OutboxRelayHook;
import org.gridlink.kernel.testing.MutableClock;
import org.gridlink.local.KafkaBroker;
import org.gridlink.local.LocalMachine;
import org.gridlink.local.PostgresServer;
import org.gridlink.local.Reaper;
import org.gridlink.township.TownshipApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The whole platform inside one test JVM, started once and shared by every cross-tier test: one embedded
 * PostgreSQL server (a database per tier), one real Kafka broker (a child process, so it can be killed),
 * the four tier nodes and the gateway as Spring contexts. Nodes can be stopped and started again on the
 * same database, as a crashed and restarted node would be.
 */
public final class TestPlatform {

    private static TestPlatform instance;
    /** Why the platform could not start, kept so that later test classes fail at once instead of trying again. */
    private static IllegalStateException startFailure;

    private final Path home;
    private final PostgresServer postgres;
    private final KafkaBroker kafka;
    private final Map<Tier, ConfigurableApplicationContext> nodes = new EnumMap<>(Tier.class);
    private final Map<Tier, Integer> ports = new EnumMap<>(Tier.class);
    private ConfigurableApplicationContext gateway;
    private int gatewayPort;
    private ConfigurableApplicationContext identity;
    private final int identityPort;
    private final Map<String, String> tokens = new java.util.concurrent.ConcurrentHashMap<>();
    /** The nodes' clock: the system time unless a test sets it (and releases it when done). */
    private final MutableClock clock = MutableClock.followingSystem();

    /** Requests per second one user may make through the gateway here (JurisdictionIT bursts past it). */
    public static final int RATE_LIMIT_PER_USER = 100;
    /** The console's OAuth2 client at the identity server. */
    public static final String CONSOLE_CLIENT = "gridlink-console";

    public static synchronized TestPlatform get() {
        if (startFailure != null) {
            throw startFailure;
        }
        if (instance == null) {
            try {
                instance = new TestPlatform();
            } catch (Exception | Error e) {
                // the cause's own words in the message: a build's summary prints only the message of each error
                startFailure = new IllegalStateException("cannot start the test platform: " + rootCause(e), e);
                throw startFailure;
            }
            // stopped by the local platform's one shutdown hook, before the broker and the database it started
            // (a hook of its own would run beside that one, and the nodes would close after the database had gone:
            // their relays retrying a lost connection kept the JVM from exiting for more than 30 s)
            Reaper.register(instance::close);
        }
        return instance;
    }

    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root == e ? String.valueOf(e) : e + " ... caused by " + root;
        return text.length() > 2000 ? text.substring(0, 2000) + "…" : text;
    }

    private TestPlatform() throws IOException {
        home = Files.createTempDirectory("gridlink-it-");
        // every server's port chosen now and kept: a node stopped by a test starts again on the same one
        int[] serverPorts = LocalMachine.freePortsForServers(2 + Tier.values().length);
        identityPort = serverPorts[0];
        gatewayPort = serverPorts[1];
        for (Tier t : Tier.values()) {
            ports.put(t, serverPorts[2 + t.ordinal()]);
        }
        postgres = PostgresServer.start(home.resolve("postgres"), 0, true);
        for (Tier t : Tier.values()) {
            postgres.createDatabaseIfMissing(database(t));
        }
        kafka = KafkaBroker.start(home.resolve("kafka"), 0);
        kafka.awaitReady(Duration.ofSeconds(60));
        startIdentity();
        List<Thread> starters = new ArrayList<>();
        Map<Tier, RuntimeException> failures = new HashMap<>();
        for (Tier t : Tier.values()) {
            Thread th = new Thread(() -> {
                try {
                    startNode(t, null);
                } catch (RuntimeException e) {
                    failures.put(t, e);
                }
            }, "start-" + t.id());
            starters.add(th);
            th.start();
        }
        for (Thread th : starters) {
            try {
                th.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!failures.isEmpty()) {
            throw failures.values().iterator().next();
        }
        startGateway(Map.of());
    }

    /** The clock every node tells time by (due times, overdue scans); follows the system until a test sets it. */
    public MutableClock clock() {
        return clock;
    }

    public static String database(Tier tier) {
        return "gridlink_" + tier.id();
    }

    /** Starts (or starts again) a tier's node; {@code hook} may hold its outbox relay. */
    public synchronized void startNode(Tier tier, OutboxRelayHook hook) {
        SpringApplicationBuilder builder = switch (tier) {
            case COMMUNITY -> CommunityApplication.builder();
            case TOWNSHIP -> TownshipApplication.builder();
            case DISTRICT -> DistrictApplication.builder();
            case CITY -> CityApplication.builder();
        };
        Integer port = ports.get(tier);
        List<String> args = new ArrayList<>(List.of(
                "server.port=" + port,
                "gridlink.database.port=" + postgres.port(),
                "spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "gridlink.topics.partitions=2",
                "gridlink.outbox.poll-interval=250ms",
                // units report up at least every 3 s, so a stopped child is shown stale after 9 s (StatsIT)
                "gridlink.stats.heartbeat-interval=3s",
                // after the first round, roll-ups are computed from the timeline's changes only: StatsIT's exact
                // figures check that path, not a whole computation every few seconds (a unit's first whole one
                // after the start falls anywhere within the interval, Rollups.stagger: with a day, hardly ever
                // during a test run)
                "gridlink.stats.whole-interval=24h",
                "spring.cloud.gateway.server.webflux.enabled=false",
                // the test classpath holds Tomcat for the identity server: the nodes stay reactive
                "spring.main.web-application-type=reactive",
                "gridlink.security.issuer=" + identityIssuer(),
                // where people and apps reach the platform, as run-local.sh tells its nodes (Open311IT)
                "gridlink.api.public-url=" + gatewayUrl(),
                "spring.main.banner-mode=off",
                "logging.level.root=WARN",
                "logging.level.org.gridlink=INFO",
                "spring.kafka.consumer.properties.session.timeout.ms=10000",
                "spring.kafka.consumer.properties.heartbeat.interval.ms=1000",
                "spring.kafka.consumer.properties.reconnect.backoff.max.ms=1000",
                "spring.kafka.producer.properties.reconnect.backoff.max.ms=1000"));
        builder.initializers(TestPlatform::ownNettyResources);
        builder.initializers(ctx -> ctx.getBeanFactory().registerSingleton("clock", clock));
        if (hook != null) {
            builder.initializers(ctx -> ctx.getBeanFactory().registerSingleton("testRelayHook", hook));
        }
        // command-line arguments, so that they win over the node's own config files
        ConfigurableApplicationContext ctx = builder.run(args.stream().map(a -> "--" + a).toArray(String[]::new));
        nodes.put(tier, ctx);
        ports.put(tier, ((WebServerApplicationContext) ctx).getWebServer().getPort());
    }

    /** What an app without a database or a broker needs in this JVM, whose classpath carries the nodes' R2DBC. */
    private List<String> appWithoutDatabase() {
        return List.of(
                "spring.main.banner-mode=off",
                "logging.level.root=WARN",
                "spring.r2dbc.url=r2dbc:postgresql://127.0.0.1:" + postgres.port() + "/postgres",
                "spring.r2dbc.username=postgres", "spring.r2dbc.password=postgres",
                "spring.flyway.enabled=false",
                "management.health.r2dbc.enabled=false",
                "management.health.kafka.enabled=false");
    }

    /** The real identity server (Spring Authorization Server) with the seeded people, signing with a key on disk. */
    private void startIdentity() {
        List<String> props = new ArrayList<>(appWithoutDatabase());
        props.addAll(List.of(
                "server.port=" + identityPort,
                "spring.main.web-application-type=servlet",
                // the gateway's jar is on this classpath too; it is not part of the identity server
                "spring.cloud.gateway.server.webflux.enabled=false",
                "spring.autoconfigure.exclude=org.springframework.cloud.gateway.config.GatewayClassPathWarningAutoConfiguration",
                "gridlink.identity.issuer=" + identityIssuer(),
                "gridlink.identity.key-file=" + identityKeyFile(),
                "gridlink.identity.console-redirect-uris=" + gatewayUrl() + "/,http://localhost:" + gatewayPort + "/",
                "gridlink.identity.console-origins=" + gatewayUrl() + ",http://localhost:" + gatewayPort));
        identity = org.gridlink.identity.IdentityApplication.builder()
                .run(props.stream().map(a -> "--" + a).toArray(String[]::new));
    }

    private void startGateway(Map<String, String> extra) {
        List<String> props = new ArrayList<>(appWithoutDatabase());
        props.addAll(List.of(
                "server.port=" + gatewayPort,
                "spring.main.web-application-type=reactive",
                "gridlink.security.issuer=" + identityIssuer(),
                "gridlink.security.rate-limit.per-user=" + RATE_LIMIT_PER_USER,
                "gridlink.security.rate-limit.per-address=1000000",
                "gridlink.security.rate-limit.period=1s"));
        for (Tier t : Tier.values()) {
            props.add("gridlink.gateway.nodes." + t.id() + "=http://127.0.0.1:" + ports.get(t));
        }
        extra.forEach((k, v) -> props.add(k + "=" + v));
        gateway = GatewayApplication.builder().initializers(TestPlatform::ownNettyResources).run(props.stream().map(a -> "--" + a).toArray(String[]::new));
    }

    public String identityIssuer() {
        return "http://localhost:" + identityPort;
    }

    /** The identity server's signing keys (a JWK set with the private key), for tests that forge tokens. */
    public Path identityKeyFile() {
        return home.resolve("identity").resolve("jwks.json");
    }

    /**
     * An access token for a seeded person, got as the console gets one: the authorization-code flow with PKCE
     * through the identity server's login form, with the demo password of the person's role.
     */
    public String token(String username) {
        return tokens.computeIfAbsent(username, u -> org.gridlink.identity.client.PkceLogin.accessToken(
                java.net.URI.create(identityIssuer()), CONSOLE_CLIENT, java.net.URI.create(gatewayUrl() + "/"), u,
                demoPassword(u)));
    }

    /** The documented demo password of a seeded person, by the role their username names. */
    public static String demoPassword(String username) {
        String kind = username.substring(0, username.indexOf('.'));
        return switch (kind) {
            case "gridworker", "gridleader" -> "grid-worker-demo";
            case "handler" -> "handler-demo";
            case "supervisor" -> "supervisor-demo";
            case "officer" -> "department-officer-demo";
            case "leader" -> "leader-demo";
            case "admin" -> "admin-demo";
            case "citizen" -> "citizen-demo";
            default -> throw new IllegalArgumentException("no demo person " + username);
        };
    }

    /**
     * Several apps share this JVM: each gets its own Reactor Netty resources, so that closing one (a crash)
     * does not dispose the global event loops the others serve on.
     */
    private static void ownNettyResources(ConfigurableApplicationContext ctx) {
        ((GenericApplicationContext) ctx).registerBean("reactorResourceFactory", ReactorResourceFactory.class, () -> {
            ReactorResourceFactory factory = new ReactorResourceFactory();
            factory.setUseGlobalResources(false);
            return factory;
        });
    }

    /** Stops a node as a crash would: its context goes away and its database sessions are cut. */
    public synchronized void crashNode(Tier tier) {
        ConfigurableApplicationContext ctx = nodes.remove(tier);
        Thread closer = new Thread(ctx::close, "crash-" + tier.id());
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(20_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        terminateSessions(database(tier));
    }

    public void terminateSessions(String db) {
        try (Connection c = jdbc("postgres")) {
            c.createStatement().execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = '"
                    + db + "' and pid <> pg_backend_pid()");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public Connection jdbc(String db) throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(db), "postgres", "postgres");
    }

    /** The gateway as the supervisor of 经八路社区 (410105001001), where most tests act. */
    public WebTestClient gateway() {
        return gatewayAs("supervisor.410105001001");
    }

    public WebTestClient gatewayAs(String username) {
        String token = token(username);
        return client(gatewayUrl()).mutate().defaultHeaders(h -> h.setBearerAuth(token)).build();
    }

    public WebTestClient gatewayAnonymous() {
        return client(gatewayUrl());
    }

    public String gatewayUrl() {
        return "http://127.0.0.1:" + gatewayPort;
    }

    /** A node itself, bypassing the gateway, with no token. */
    public WebTestClient directAnonymous(Tier tier) {
        return client("http://127.0.0.1:" + ports.get(tier));
    }

    private static WebTestClient client(String base) {
        return WebTestClient.bindToServer().baseUrl(base).responseTimeout(Duration.ofSeconds(30)).build();
    }

    /** A producer of hand-made messages straight to the platform's broker (keys as strings, values as bytes). */
    public KafkaProducer<String, byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p,
                new StringSerializer(),
                new ByteArraySerializer());
    }

    /**
     * A hand-made CloudEvent in Kafka binary mode, its source {@code /units/test}: the event contract test passes such
     * messages by (some are malformed on purpose), wherever they end up.
     */
    public static ProducerRecord<String, byte[]> handMadeEvent(String topic, String key,
            UUID id, String type, String body) {
        var r = new ProducerRecord<String, byte[]>(topic, key,
                body.getBytes(StandardCharsets.UTF_8));
        Map.of("ce_specversion", "1.0", "ce_id", id.toString(), "ce_type", type, "ce_source", "/units/test",
                        "ce_time", Instant.now().toString(), "content-type", "application/json")
                .forEach((k, v) -> r.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        return r;
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    public ConfigurableApplicationContext node(Tier tier) {
        return nodes.get(tier);
    }

    public void withNode(Tier tier, Consumer<ConfigurableApplicationContext> action) {
        action.accept(nodes.get(tier));
    }

    private synchronized void close() {
        if (gateway != null) {
            gateway.close();
        }
        nodes.values().forEach(ConfigurableApplicationContext::close);
        nodes.clear();
        if (identity != null) {
            identity.close();
        }
        try {
            kafka.close();
        } catch (Exception ignored) {
            // best effort at JVM exit
        }
        try {
            postgres.close();
        } catch (Exception ignored) {
            // best effort at JVM exit
        }
    }
}
