package org.gridlink.kernel.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.micrometer.tracing.propagation.Propagator;
import io.netty.util.concurrent.EventExecutor;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.gridlink.contracts.Tier;
import org.gridlink.kernel.cases.application.AbsenceWork;
import org.gridlink.kernel.cases.application.CalendarWatch;
import org.gridlink.kernel.cases.application.CaseHandling;
import org.gridlink.kernel.cases.application.IntakePolicy;
import org.gridlink.kernel.cases.application.NodeUnits;
import org.gridlink.kernel.cases.application.OverdueScan;
import org.gridlink.kernel.cases.application.ReportPlacement;
import org.gridlink.kernel.cases.application.RoutingByLocation;
import org.gridlink.kernel.cases.messaging.CaseEventListener;
import org.gridlink.kernel.cases.messaging.CaseEventMapper;
import org.gridlink.kernel.cases.persistence.CaseInstructions;
import org.gridlink.kernel.cases.persistence.CaseStore;
import org.gridlink.kernel.cases.persistence.OfficerAbsences;
import org.gridlink.kernel.evidence.application.EvidenceProperties;
import org.gridlink.kernel.geo.GridMap;
import org.gridlink.kernel.geo.seeds.GridMapLoader;
import org.gridlink.kernel.stats.StatsProperties;
import org.gridlink.kernel.support.events.EventTracing;
import org.gridlink.kernel.support.events.MalformedEventException;
import org.gridlink.kernel.support.inbox.DeadLetterCount;
import org.gridlink.kernel.support.inbox.DeadLetterSource;
import org.gridlink.kernel.support.inbox.DeadLetters;
import org.gridlink.kernel.support.inbox.Inbox;
import org.gridlink.kernel.support.inbox.InboxDeadLetters;
import org.gridlink.kernel.support.inbox.InboxEvents;
import org.gridlink.kernel.support.outbox.OutboxRelay;
import org.gridlink.kernel.support.outbox.OutboxRelayHook;
import org.gridlink.kernel.support.outbox.OutboxWriter;
import org.gridlink.kernel.support.outbox.RelayConnections;
import org.gridlink.kernel.support.r2dbc.ConnectionLoops;
import org.gridlink.kernel.support.r2dbc.ContextFreeConnections;
import org.gridlink.kernel.support.r2dbc.InstantCodec;
import org.gridlink.kernel.support.r2dbc.LoopLocalConnections;
import org.gridlink.kernel.support.retention.Housekeeping;
import org.gridlink.kernel.support.web.IsoInstants;
import org.gridlink.kernel.support.web.OffTheEventLoop;
import org.gridlink.kernel.support.web.ProblemErrorHandler;
import org.gridlink.kernel.support.web.ProblemWriter;
import org.gridlink.kernel.support.web.RequestSizeLimit;
import org.gridlink.kernel.units.ReportSources;
import org.gridlink.kernel.units.UnitDirectory;
import org.gridlink.kernel.units.seeds.SeedLoader;
import org.gridlink.kernel.units.seeds.UnitSeeder;
import org.gridlink.security.EventLoopDelay;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.kafka.autoconfigure.ConcurrentKafkaListenerContainerFactoryConfigurer;
import org.springframework.boot.r2dbc.ConnectionFactoryDecorator;
import org.springframework.boot.r2dbc.autoconfigure.ConnectionFactoryOptionsBuilderCustomizer;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcConnectionDetails;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcProperties;
import org.springframework.boot.r2dbc.metrics.ConnectionPoolMetrics;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.util.backoff.FixedBackOff;
import reactor.netty.resources.LoopResources;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.ObjectMapper;

/** Wires the case engine into a tier's node. */
@Configuration(proxyBeanMethods = false)
@org.springframework.scheduling.annotation.EnableScheduling
@EnableConfigurationProperties(GridlinkProperties.class)
public class KernelConfiguration {

    /** The node's clock: due times, timelines, overdue lists. A test may bring its own. */
    @Bean
    @org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean(Clock.class)
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Every instant in the node's JSON (answers and events) written as {@code Instant.toString()}, cheaply. */
    @Bean
    JacksonModule isoInstants() {
        return IsoInstants.module();
    }

    @Bean
    UnitDirectory unitDirectory(ResourceLoader resources, ObjectMapper json, GridlinkProperties props) {
        return new SeedLoader(resources, json).load(props.seeds());
    }

    @Bean
    NodeUnits nodeUnits(GridlinkProperties props, UnitDirectory directory) {
        Tier tier = Objects.requireNonNull(props.tier(), "gridlink.tier must name this node's tier");
        return new NodeUnits(tier, directory);
    }

    @Bean
    UnitSeeder unitSeeder(DatabaseClient db, NodeUnits node) {
        return new UnitSeeder(db, node);
    }

    @Bean
    CaseHandling caseHandling(NodeUnits node, CaseStore store, OutboxWriter outbox, Inbox inbox,
                              CaseEventMapper events, TransactionalOperator tx,
                              ObjectProvider<IntakePolicy> intakePolicy, Clock clock, MeterRegistry meters,
                              GridMap gridMap, @Value("${gridlink.verdict.window:7d}") Duration verdictWindow,
                              EventTracing tracing, ReportSources sources, ObjectProvider<InboxEvents> otherEvents,
                              DatabaseClient db) {
        return new CaseHandling(node, store, new OfficerAbsences(db), new CaseInstructions(db), outbox, inbox, events, tx,
                intakePolicy.getIfAvailable(() -> IntakePolicy.NONE), clock, meters).withGeography(new ReportPlacement(node.directory(), gridMap),
                new RoutingByLocation(node.directory(), gridMap)).withVerdictWindow(verdictWindow)
                .withTracing(tracing)
                .withSources(sources)
                .withOtherEvents(otherEvents.orderedStream().toList());
    }

    /** The work held by the unit's officers away, in its to-do. */
    @Bean
    AbsenceWork absenceWork(CaseHandling handling) {
        return new AbsenceWork(handling);
    }

    /** What a report may name as its source: the platform's channels and those the figures are set to count. */
    @Bean
    ReportSources reportSources(StatsProperties stats) {
        return ReportSources.of(stats.proactiveSources(), stats.hotlineSources());
    }

    /**
     * A span's start, end and scope changes tell no one. Spring Boot's publisher kept the logging MDC in step with the
     * span in scope (its trace and span ids) at each of them: a cost on every request and event, while a reactive node
     * has a span in scope only while the thread that opened it runs it, so few log lines would carry them
     * (docs/tracing.md).
     */
    @Bean
    OtelTracer.EventPublisher otelTracerEventPublisher() {
        return event -> {
        };
    }

    /**
     * A case's trace across the tiers (docs/tracing.md), with Spring Boot's tracer and its W3C propagator; none without
     * a tracer.
     */
    @Bean
    EventTracing eventTracing(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        Tracer t = tracer.getIfAvailable();
        Propagator p = propagator.getIfAvailable();
        return t == null || p == null ? EventTracing.NONE : new EventTracing(t, p);
    }

    /** The grid cells' outlines from the seeds: where a point lies (docs/geo.md). */
    @Bean
    GridMap gridMap(ResourceLoader resources, ObjectMapper json, GridlinkProperties props) {
        return new GridMapLoader(resources, json).load(props.seeds());
    }

    /**
     * Tells the units above about records whose clock ran out or no longer has, brings parked records back on their
     * review date and escalates records still overdue after their category's grace period (unless
     * gridlink.overdue.auto-escalate=false); every gridlink.overdue.scan-interval.
     */
    @Bean
    OverdueScan overdueScan(CaseStore store, OutboxWriter outbox, CaseEventMapper events, TransactionalOperator tx,
                            Clock clock, MeterRegistry meters, CaseHandling handling, UnitDirectory directory,
                            @Value("${gridlink.overdue.auto-escalate:true}") boolean autoEscalate) {
        return new OverdueScan(store, outbox, events, tx, clock, meters, 200, handling, directory, autoEscalate);
    }

    /** Warns ahead of the end of the years whose public holidays the working calendar knows (default 60 days). */
    @Bean
    CalendarWatch calendarWatch(UnitDirectory directory, Clock clock, MeterRegistry meters,
                                @Value("${gridlink.calendar.warn-ahead:60d}") Duration warnAhead) {
        return new CalendarWatch(directory, clock, warnAhead.toDays(), meters);
    }

    // ---- Kafka: topics, listener, dead letters, relay --------------------------------------------------

    /** Every tier's inbox (a node sends to its parent's and children's), and this tier's dead-letter topic. */
    @Bean
    KafkaAdmin.NewTopics gridlinkTopics(GridlinkProperties props, NodeUnits node) {
        NewTopic[] inboxes = Arrays.stream(Tier.values())
                .map(t -> TopicBuilder.name(t.inboxTopic()).partitions(props.topics().partitions())
                        .replicas(props.topics().replicas()).build())
                .toArray(NewTopic[]::new);
        NewTopic dlt = TopicBuilder.name(node.tier().deadLetterTopic()).partitions(props.topics().partitions())
                .replicas(props.topics().replicas()).build();
        NewTopic[] all = Arrays.copyOf(inboxes, inboxes.length + 1);
        all[inboxes.length] = dlt;
        return new KafkaAdmin.NewTopics(all);
    }

    @Bean
    CaseEventListener caseEventListener(CaseHandling handling, NodeUnits node, GridlinkProperties props, Clock clock,
                                        MeterRegistry meters) {
        return new CaseEventListener(handling, node.tier().inboxTopic(), "gridlink-" + node.tier().id(),
                props.topics().listenerConcurrency(), clock, meters);
    }

    /**
     * The containers of the inbox, of the unit reports ({@code UnitReportListener}) and of the calendar
     * ({@code CalendarListener}): Boot's settings and the error
     * handler below, with a batch listener (the inbox applies a poll's records in one transaction, see
     * {@link CaseEventListener}) whose offsets are committed when the batch is done.
     */
    @Bean
    ConcurrentKafkaListenerContainerFactory<Object, Object> batchListenerContainerFactory(
            ConcurrentKafkaListenerContainerFactoryConfigurer configurer, ConsumerFactory<Object, Object> consumers) {
        ConcurrentKafkaListenerContainerFactory<Object, Object> factory = new ConcurrentKafkaListenerContainerFactory<>();
        configurer.configure(factory, consumers);
        factory.setBatchListener(true);
        factory.getContainerProperties().setAckMode(ContainerProperties.AckMode.BATCH);
        return factory;
    }

    /**
     * Bounded retries, then the inbox's dead-letter topic (same partition); a message that cannot be read is
     * not retried at all. Either way the partition moves on, and {@code gridlink.inbox.dead-lettered} counts it by
     * the topic it came from and why ({@code unreadable}, or {@code failed} after the retries).
     */
    @Bean
    CommonErrorHandler inboxErrorHandler(KafkaTemplate<Object, Object> template, GridlinkProperties props,
                                         MeterRegistry meters) {
        DeadLetterPublishingRecoverer toDeadLetters = new DeadLetterPublishingRecoverer(template,
                (record, ex) -> new TopicPartition(record.topic() + ".dlt", record.partition()));
        // why, by the innermost cause rather than the listener's exceptions around it (DeadLetters shows it)
        toDeadLetters.setHeadersFunction((record, ex) -> DeadLetters.why(ex));
        // counted by the topic and why (at zero from the start for every topic this node reads: DeadLetterCount)
        ConsumerRecordRecoverer recoverer = (record, ex) -> {
            toDeadLetters.accept(record, ex);
            DeadLetterCount.setAside(meters, record.topic(), unreadable(ex) ? "unreadable" : "failed").increment();
        };
        DefaultErrorHandler handler = new DefaultErrorHandler(recoverer,
                new FixedBackOff(props.topics().retryBackoff().toMillis(), props.topics().retries()));
        handler.addNotRetryableExceptions(MalformedEventException.class);
        return handler;
    }

    /** The inbox's messages set aside, for an administrator to list and send again. */
    @Bean
    InboxDeadLetters inboxDeadLetters(KafkaTemplate<String, byte[]> kafka, DatabaseClient db, NodeUnits node) {
        return new InboxDeadLetters(node.tier().inboxTopic(), kafka, db, node::serves);
    }

    /** How many dead letters wait on this node: {@code gridlink.dead-letters.pending}. */
    @Bean
    DeadLetterCount deadLetterCount(DeadLetters deadLetters, MeterRegistry meters) {
        return new DeadLetterCount(deadLetters, meters);
    }

    /** The messages set aside on the dead-letter topics of all this node reads (its inbox, the reports, the calendar). */
    @Bean
    @SuppressWarnings("unchecked")
    DeadLetters deadLetters(ConsumerFactory<Object, Object> consumers, ObjectProvider<DeadLetterSource> sources) {
        // the node's consumer settings: keys as strings, values as bytes (gridlink-kernel.yml)
        return new DeadLetters((ConsumerFactory<String, byte[]>) (ConsumerFactory<?, ?>) consumers,
                sources.orderedStream().toList());
    }


    private static boolean unreadable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MalformedEventException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The relay's own connections, its claims committed asynchronously; closed with the context. To the database the
     * node's own pool connects to, as Spring Boot resolves it (URL, user, password, or a service connection).
     */
    @Bean
    RelayConnections relayConnections(R2dbcConnectionDetails database, LoopResources databaseLoops,
                                      ObjectProvider<ConnectionFactoryOptionsBuilderCustomizer> customizers) {
        return RelayConnections.to(driverOptions(options(database, customizers).mutate(), databaseLoops).build());
    }

    /**
     * The options of the node's database as Spring Boot resolves them (URL, user, password,
     * {@code spring.r2dbc.properties.*}, or a service connection), then as the application's
     * {@link ConnectionFactoryOptionsBuilderCustomizer}s change them, in their order, as Boot's own pool would have.
     */
    static ConnectionFactoryOptions options(R2dbcConnectionDetails database,
                                            ObjectProvider<ConnectionFactoryOptionsBuilderCustomizer> customizers) {
        ConnectionFactoryOptions.Builder options = database.getConnectionFactoryOptions().mutate();
        customizers.orderedStream().forEach(customizer -> customizer.customize(options));
        return options.build();
    }

    /**
     * The event loops of the node's database connections other than its HTTP requests' (the shared pool's and the
     * relay's, see {@link #connectionFactory}): one per core ({@code reactor.netty.ioWorkerCount}, see
     * EventLoops), each new connection on the next loop ({@link ConnectionLoops}). The driver's default loops colocate a
     * connection with the event loop that asks for it, and the pool's connections are asked for from the loop of the
     * one before: issue 8's profile of a community node found every connection on one thread
     * ({@code reactor-tcp-epoll-1}), which decoded every row, built every answer from it and encoded its JSON while no
     * other thread had any of that work (r2dbc-pool#190, reactor-netty#2781). Reactor Netty's own non-colocating loops,
     * used here from 2026-12-03 to 2026-12-04, still put every connection on one of two loops (see ConnectionLoops), so
     * the before and after measured then compared one thread with one thread.
     */
    @Bean(destroyMethod = "dispose")
    LoopResources databaseLoops() {
        return ConnectionLoops.create("r2dbc", LoopResources.DEFAULT_IO_WORKER_COUNT);
    }

    /**
     * The node's connections to its database ({@link LoopLocalConnections}): a pool for each of the HTTP server's event
     * loops, whose connections live on that loop, for the queries of the requests it serves, and the shared pool on
     * {@link #databaseLoops()} for every other caller (the Kafka listeners, the schedulers). The shared pool is what
     * Spring Boot's {@code spring.r2dbc.pool.*} configure; a loop's pool has as many of those connections at most as
     * their maximum divided among the loops (at least one), and no more than that for its initial size. Every connection
     * has {@link #driverOptions}, and each of its publishers is subscribed without the caller's Reactor context: Reactor
     * would otherwise restore the request's thread-locals around each message from the server
     * ({@link ContextFreeConnections}). Without a Reactor Netty server (a test's context), the shared pool alone.
     *
     * <p>As with Spring Boot's own pool, the application's {@link ConnectionFactoryOptionsBuilderCustomizer}s change
     * the options ({@link #options}), and its {@link ConnectionFactoryDecorator}s, in their order, wrap the connections
     * each pool takes from the driver; they wrap them outside the context-free wrapper, so that a decorator (a
     * query's observation) still sees the caller's context. {@code spring.r2dbc.pool.enabled=false} is refused: a
     * node's connections are always pooled, and the setting would otherwise be ignored without a word.
     */
    @Bean(destroyMethod = "dispose")
    LoopLocalConnections connectionFactory(R2dbcConnectionDetails database, R2dbcProperties r2dbc,
                                           LoopResources databaseLoops, ObjectProvider<ReactorResourceFactory> http,
                                           ObjectProvider<ConnectionFactoryOptionsBuilderCustomizer> customizers,
                                           ObjectProvider<ConnectionFactoryDecorator> decorators) {
        R2dbcProperties.Pool settings = r2dbc.getPool();
        if (!settings.isEnabled()) {
            throw new InvalidConfigurationPropertyValueException("spring.r2dbc.pool.enabled", false,
                    "a gridlink node always pools its database connections (a pool for each HTTP event loop and a"
                            + " shared one); leave spring.r2dbc.pool.enabled unset or true");
        }
        ConnectionFactoryOptions options = options(database, customizers);
        List<ConnectionFactoryDecorator> wrappers = decorators.orderedStream().toList();
        ConnectionPool shared = pool(options, wrappers, databaseLoops, settings, "shared", settings.getMaxSize(),
                settings.getInitialSize());
        ReactorResourceFactory server = http.getIfAvailable();
        List<EventExecutor> httpLoops = new ArrayList<>();
        if (server != null) {
            server.getLoopResources().onServer(LoopResources.DEFAULT_NATIVE).forEach(httpLoops::add);
        }
        int perLoop = Math.max(1, settings.getMaxSize() / Math.max(1, httpLoops.size()));
        AtomicInteger made = new AtomicInteger();
        return LoopLocalConnections.of(shared, httpLoops, loop -> pool(options, wrappers, loop, settings,
                "http-" + made.incrementAndGet(), perLoop, Math.min(settings.getInitialSize(), perLoop)));
    }

    /**
     * A pool of {@code maxSize} connections on {@code loops}, each wrapped by the {@code decorators}, otherwise as
     * {@code spring.r2dbc.pool.*} say.
     */
    private static ConnectionPool pool(ConnectionFactoryOptions database, List<ConnectionFactoryDecorator> decorators,
                                       LoopResources loops, R2dbcProperties.Pool settings, String name, int maxSize,
                                       int initialSize) {
        ConnectionFactory driver = ContextFreeConnections.of(
                ConnectionFactories.get(driverOptions(database.mutate(), loops).build()));
        for (ConnectionFactoryDecorator decorator : decorators) {
            driver = decorator.decorate(driver);
        }
        ConnectionPoolConfiguration.Builder pool = ConnectionPoolConfiguration.builder(driver).name(name)
                .maxSize(maxSize).initialSize(initialSize).minIdle(Math.min(settings.getMinIdle(), maxSize))
                .validationDepth(settings.getValidationDepth());
        PropertyMapper map = PropertyMapper.get();
        map.from(settings.getMaxIdleTime()).to(pool::maxIdleTime);
        map.from(settings.getMaxLifeTime()).to(pool::maxLifeTime);
        map.from(settings.getMaxAcquireTime()).to(pool::maxAcquireTime);
        map.from(settings.getAcquireRetry()).to(pool::acquireRetry);
        map.from(settings.getMaxCreateConnectionTime()).to(pool::maxCreateConnectionTime);
        map.from(settings.getMaxValidationTime()).to(pool::maxValidationTime);
        map.from(settings.getValidationQuery()).whenHasText().to(pool::validationQuery);
        return new ConnectionPool(pool.build());
    }

    /** Each HTTP loop's pool's figures, as Spring Boot gives the shared pool's ({@code r2dbc.pool.*}, by name). */
    @Bean
    MeterBinder loopPoolMetrics(LoopLocalConnections connections) {
        return meters -> connections.loopPools("connectionFactory-http").forEach((name, pool) ->
                new ConnectionPoolMetrics(pool, name, Tags.empty()).bindTo(meters));
    }

    /**
     * What every database connection of the node has, the pool's and the relay's: its event loops and the codec that
     * reads a {@code timestamptz} as an {@code Instant} without the driver's detour (see {@link InstantCodec}).
     */
    static ConnectionFactoryOptions.Builder driverOptions(ConnectionFactoryOptions.Builder options,
                                                          LoopResources databaseLoops) {
        return options.option(PostgresqlConnectionFactoryProvider.LOOP_RESOURCES, databaseLoops)
                .option(PostgresqlConnectionFactoryProvider.EXTENSIONS, List.of(InstantCodec.registrar()));
    }

    @Bean
    OutboxRelay outboxRelay(RelayConnections connections, KafkaTemplate<String, byte[]> kafka, ObjectMapper json,
                            ObjectProvider<OutboxRelayHook> hook, GridlinkProperties props, MeterRegistry meters) {
        return new OutboxRelay(connections, kafka, json, hook.getIfAvailable(() -> OutboxRelayHook.NONE),
                props.outbox().pollInterval(), props.outbox().batchSize(), meters);
    }

    /**
     * The inbox's and the keyed actions' rows deleted once their retention passed (gridlink.retention.*), and the outbox
     * rows an earlier release marked published.
     */
    @Bean
    Housekeeping housekeeping(DatabaseClient db, GridlinkProperties props, NodeUnits node, KafkaAdmin kafka,
                              MeterRegistry meters) {
        return new Housekeeping(db, props.retention(), props.outbox().keepPublished(), 5_000,
                Housekeeping.topicRetention(kafka.getConfigurationProperties(), node.tier().inboxTopic()), meters);
    }

    // ---- HTTP: problem+json everywhere, body size -----------------------------------------------------

    @Bean
    ProblemWriter problemWriter(ObjectMapper json) {
        return new ProblemWriter(json);
    }

    @Bean
    ProblemErrorHandler problemErrorHandler(ProblemWriter problems) {
        return new ProblemErrorHandler(problems);
    }

    @Bean
    RequestSizeLimit requestSizeLimit(GridlinkProperties props, EvidenceProperties evidence, ProblemWriter problems) {
        return new RequestSizeLimit(props.api().maxRequestBytes(),
                evidence.maxSize().toBytes() + EvidenceProperties.MULTIPART_OVERHEAD, problems);
    }

    /** springdoc's OpenAPI description is built in its handler, blocking, on each locale's first request. */
    @Bean
    OffTheEventLoop offTheEventLoop(@Value("${springdoc.api-docs.path:/v3/api-docs}") String apiDocsPath) {
        return new OffTheEventLoop(List.of(apiDocsPath));
    }

    /**
     * How late the node's database connections' event loops run a task given to them ({@link EventLoopDelay}, as the
     * security jar's auto-configuration probes the HTTP loops), every {@code gridlink.metrics.event-loop-interval}.
     */
    @Bean
    EventLoopDelay databaseEventLoopDelay(LoopResources databaseLoops, MeterRegistry meters,
                                          @Value(EventLoopDelay.INTERVAL) Duration interval) {
        return new EventLoopDelay(Map.of("database", () -> databaseLoops.onClient(true)), interval, meters);
    }
}
