package org.gridlink.community;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.util.concurrent.EventExecutor;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.ConnectionFactory;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.gridlink.contracts.UnitCode;
import org.gridlink.kernel.cases.CaseDetails;
import org.gridlink.kernel.cases.CaseRecord;
import org.gridlink.kernel.cases.CaseStatus;
import org.gridlink.kernel.cases.Location;
import org.gridlink.kernel.cases.TimelineEntry;
import org.gridlink.kernel.cases.persistence.CaseStore;
import org.gridlink.kernel.support.events.CloudEvent;
import org.gridlink.kernel.support.inbox.Inbox;
import org.gridlink.kernel.config.GridlinkProperties;
import org.gridlink.kernel.support.retention.Housekeeping;
import org.gridlink.kernel.support.outbox.RelayConnections;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.r2dbc.core.DatabaseClient;
import org.gridlink.kernel.support.outbox.OutboxWriter;
import org.gridlink.kernel.support.r2dbc.ConnectionLoops;
import org.gridlink.kernel.support.r2dbc.LoopLocalConnections;
import org.gridlink.kernel.testing.MutableClock;
import org.gridlink.kernel.testing.TestInfrastructure;
import org.gridlink.kernel.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.MediaType;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.handler.AbstractUrlHandlerMapping;
import org.springframework.web.reactive.resource.ResourceWebHandler;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The community node on a real PostgreSQL and a real broker: intake, grid cells, and the escalation it publishes. */
class CommunityNodeIT {

    static final String COMMUNITY = "410105001001";
    static final String TOWNSHIP = "410105001000";
    static ConfigurableApplicationContext node;
    static WebTestClient http;
    static TestTokens tokens;
    /** The node's clock: it stands still unless a test moves it. */
    static final MutableClock clock = new MutableClock(java.time.Instant.now());

    @BeforeAll
    static void start() {
        tokens = TestTokens.start();
        String[] args = java.util.stream.Stream.concat(
                Arrays.stream(TestInfrastructure.nodeProperties("community_node_it")),
                java.util.stream.Stream.of("--server.port=0", "--spring.main.banner-mode=off", tokens.nodeArgument())).toArray(String[]::new);
        node = CommunityApplication.builder()
                .initializers(ctx -> ctx.getBeanFactory().registerSingleton("clock", clock))
                .run(args);
        int port = ((WebServerApplicationContext) node).getWebServer().getPort();
        http = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .defaultHeaders(h -> h.setBearerAuth(tokens.token("supervisor." + COMMUNITY, COMMUNITY,
                        List.of("SUPERVISOR"), List.of())))
                .build();
    }

    @AfterAll
    static void stop() {
        node.close();
        tokens.close();
    }

    @Test
    void aPathNoEndpointAnswersIs404NamingIt() {
        for (String path : List.of("/api/units/" + COMMUNITY + "/no-such-thing", "/index.html", "/static/app.js")) {
            http.get().uri(path).exchange().expectStatus().isNotFound()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.type").isEqualTo("urn:gridlink:problem:no-such-resource")
                    .jsonPath("$.detail").isEqualTo("this node has no API resource at GET " + path);
        }
        http.post().uri("/api/units/{u}/no-such-thing", COMMUNITY).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{}").exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.detail").isEqualTo("this node has no API resource at POST /api/units/"
                        + COMMUNITY + "/no-such-thing");
        // and answers them without first looking for a file of that name: a node serves none
        assertThat(node.getBeansOfType(AbstractUrlHandlerMapping.class).values())
                .flatExtracting(m -> m.getHandlerMap().values())
                .noneMatch(ResourceWebHandler.class::isInstance);
    }

    @Test
    void aUnitShowsItsParentChildrenAndGridCells() {
        http.get().uri("/api/units/{u}", COMMUNITY).exchange().expectStatus().isOk()
                // Spring Security's headers (SecurityHeaders), no HSTS over plain HTTP
                .expectHeader().valueEquals("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate")
                .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                .expectHeader().valueEquals("X-Frame-Options", "DENY")
                .expectHeader().valueEquals("Referrer-Policy", "no-referrer")
                .expectHeader().doesNotExist("Strict-Transport-Security")
                .expectBody()
                .jsonPath("$.tier").isEqualTo("COMMUNITY")
                .jsonPath("$.parent.code").isEqualTo(TOWNSHIP)
                .jsonPath("$.gridCells.length()").isEqualTo(3)
                .jsonPath("$.gridCells[0].code").isEqualTo(COMMUNITY + "-01");
        http.get().uri("/api/units/{u}", TOWNSHIP).exchange().expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void anEscalationIsPublishedAsACloudEventToTheTownshipInbox() {
        http.post().uri("/api/units/{u}/cases", COMMUNITY).contentType(MediaType.APPLICATION_JSON)
                .headers(h -> h.setBearerAuth(tokens.token("gridworker." + COMMUNITY + "-02", COMMUNITY,
                        List.of("GRID_WORKER"), List.of(COMMUNITY + "-02"))))
                .bodyValue(Map.of("categoryCode", "GARBAGE_PILE", "title", "Rubbish at the gate",
                        "gridCode", COMMUNITY + "-02", "location", Map.of("lat", 34.77, "lon", 113.68)))
                .exchange().expectStatus().isCreated()
                .expectBody().jsonPath("$.status").isEqualTo("REPORTED")
                .jsonPath("$.gridCode").isEqualTo(COMMUNITY + "-02")
                .jsonPath("$.timeline[0].actor").isEqualTo("gridworker." + COMMUNITY + "-02")
                .jsonPath("$.reporter").isEqualTo("gridworker." + COMMUNITY + "-02");
        String caseId = http.get().uri("/api/units/{u}/cases?limit=1", COMMUNITY).exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody().path("items").get(0).path("caseId").asString();
        // an action answers with the record and timeline it wrote, as its case page then reads them
        assertThat(act(caseId, "ACCEPT", null)).isEqualTo(casePage(caseId));
        JsonNode escalated = act(caseId, "ESCALATE", "beyond us");
        assertThat(escalated).isEqualTo(casePage(caseId));
        assertThat(escalated.path("timeline")).extracting(e -> e.path("action").asString())
                .containsExactly("REPORT", "ACCEPT", "ESCALATE");

        List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            consumer.subscribe(List.of("gridlink.township.inbox"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                assertThat(seen).anyMatch(r -> caseId.equals(header(r, "ce_subject")));
            });
        }
        ConsumerRecord<String, byte[]> record = seen.stream().filter(r -> caseId.equals(header(r, "ce_subject")))
                .findFirst().orElseThrow();
        assertThat(record.key()).isEqualTo(TOWNSHIP);
        assertThat(header(record, "ce_type")).isEqualTo("gridlink.case.escalated.v1");
        assertThat(header(record, "ce_source")).isEqualTo("/units/" + COMMUNITY);
        assertThat(header(record, "ce_specversion")).isEqualTo("1.0");
        assertThat(UUID.fromString(header(record, "ce_id"))).isNotNull();
        JsonNode body = JsonMapper.builder().build().readTree(record.value());
        assertThat(body.path("fromUnit").asString()).isEqualTo(COMMUNITY);
        assertThat(body.path("toUnit").asString()).isEqualTo(TOWNSHIP);
        assertThat(body.path("case").path("categoryCode").asString()).isEqualTo("GARBAGE_PILE");
        assertThat(body.path("entry").path("action").asString()).isEqualTo("ESCALATE");
        assertThat(body.path("timeline").size()).isEqualTo(3);
    }

    @Test
    void theRelayDeletesWhatItPublishedAndPurgesRowsAnEarlierReleaseMarkedPublished() throws Exception {
        UUID fresh = UUID.randomUUID();
        UUID markedLongAgo = UUID.randomUUID();
        UUID markedLately = UUID.randomUUID();
        try (Connection c = jdbc(); PreparedStatement insert = c.prepareStatement("insert into outbox (event_id,"
                + " event_type, topic, msg_key, headers, payload, published_at) values (?, 'gridlink.test.v1',"
                + " 'gridlink.township.inbox', ?, cast(? as jsonb), ?, now() - cast(? as interval))")) {
            for (Object[] row : new Object[][] {{fresh, null}, {markedLongAgo, "2 days"}, {markedLately, "1 hour"}}) {
                insert.setObject(1, row[0]);
                insert.setString(2, TOWNSHIP);
                insert.setString(3, "{\"ce_id\": \"" + row[0] + "\", \"ce_type\": \"gridlink.test.v1\"}");
                insert.setBytes(4, "{}".getBytes(StandardCharsets.UTF_8));
                insert.setString(5, (String) row[1]);
                insert.executeUpdate();
            }
        }
        // the unpublished row reaches the broker and leaves the outbox
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            consumer.subscribe(List.of("gridlink.township.inbox"));
            List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                assertThat(seen).anyMatch(r -> fresh.toString().equals(header(r, "ce_id")));
            });
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> outboxed(fresh) == 0);
        // the rows an earlier release marked published stay until gridlink.outbox.keep-published (1 day) has passed
        assertThat(outboxed(markedLongAgo)).isEqualTo(1);
        assertThat(node.getBean(Housekeeping.class).purgePublished(Duration.ofDays(1)).block()).isEqualTo(1);
        assertThat(outboxed(markedLongAgo)).isZero();
        assertThat(outboxed(markedLately)).isEqualTo(1);
    }

    @Test
    void theHousekeepingDeletesInboxRowsAndKeyedActionsOnlyOnceTheirRetentionPassed() throws Exception {
        String unit = "410105001001";
        List<UUID> oldEvents = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        UUID recentEvent = UUID.randomUUID();
        UUID oldAction = UUID.randomUUID();
        UUID recentAction = UUID.randomUUID();
        try (Connection c = jdbc();
             PreparedStatement inbox = c.prepareStatement("insert into inbox (event_id, event_type, source, received_at)"
                     + " values (?, 'gridlink.test.v1', '/units/410105001000', now() - cast(? as interval))");
             PreparedStatement keyed = c.prepareStatement("insert into keyed_action (id, unit_code, case_id, action,"
                     + " request, entry_id, applied_at) values (?, ?, ?, 'RESOLVE', 'digest', ?, now() - cast(? as interval))")) {
            for (UUID id : oldEvents) {
                inbox.setObject(1, id);
                inbox.setString(2, "31 days");
                inbox.executeUpdate();
            }
            inbox.setObject(1, recentEvent);
            inbox.setString(2, "29 days");
            inbox.executeUpdate();
            for (Object[] row : new Object[][] {{oldAction, "31 days"}, {recentAction, "1 hour"}}) {
                keyed.setObject(1, row[0]);
                keyed.setString(2, unit);
                keyed.setObject(3, UUID.randomUUID());
                keyed.setObject(4, UUID.randomUUID());
                keyed.setString(5, (String) row[1]);
                keyed.executeUpdate();
            }
        }
        GridlinkProperties.Retention retention = node.getBean(GridlinkProperties.class).retention();
        assertThat(retention.inbox()).isEqualTo(Duration.ofDays(30));
        assertThat(retention.keyedActions()).isEqualTo(Duration.ofDays(30));
        // batches of two: the three old events take two, the second coming back short
        MeterRegistry meters = new SimpleMeterRegistry();
        Housekeeping housekeeping = new Housekeeping(node.getBean(DatabaseClient.class), retention, Duration.ofDays(1), 2,
                Mono.empty(), meters);
        assertThat(housekeeping.purge().block()).isGreaterThanOrEqualTo(4);
        for (UUID id : oldEvents) {
            assertThat(inboxed(id)).isZero();
        }
        assertThat(inboxed(recentEvent)).isEqualTo(1);
        assertThat(count("select count(*) from keyed_action where id = ?", oldAction)).isZero();
        assertThat(count("select count(*) from keyed_action where id = ?", recentAction)).isEqualTo(1);
        assertThat(meters.get("gridlink.retention.deleted").tag("table", "inbox").counter().count()).isGreaterThanOrEqualTo(3);
        assertThat(meters.get("gridlink.retention.deleted").tag("table", "keyed_action").counter().count()).isGreaterThanOrEqualTo(1);
        // the node's own runs every gridlink.retention.every (1 hour), the outbox's purge with it
        assertThat(node.getBean(Housekeeping.class).isRunning()).isTrue();
        assertThat(housekeeping.purge().block()).isZero();
        // Kafka's default keeps the inbox topic's records 7 days, which the inbox's 30 outlast
        Duration topic = Housekeeping.topicRetention(node.getBean(KafkaAdmin.class).getConfigurationProperties(),
                "gridlink.community.inbox").block();
        assertThat(topic).isEqualTo(Duration.ofDays(7));
        assertThat(Housekeeping.whyTheInboxMayNotOutlast(retention.inbox(), topic)).isEmpty();
    }

    @Test
    void theHousekeepingDeletesTheInstructionsOfRecordsClosedOrRejectedAndKeepsTheOthers() throws Exception {
        // a leader's instruction on a record closed at the township, one rejected, and one escalated (still open there)
        String unit = "410105001003";
        Map<String, UUID> records = new LinkedHashMap<>();
        for (String status : List.of("CLOSED", "REJECTED", "ESCALATED")) {
            records.put(status, UUID.randomUUID());
        }
        try (Connection c = jdbc(); Statement s = c.createStatement()) {
            for (Map.Entry<String, UUID> r : records.entrySet()) {
                s.execute("insert into case_record (unit_code, case_id, status, origin, category_code, title, reported_at,"
                        + " created_at, updated_at) values ('" + unit + "', '" + r.getValue() + "', '" + r.getKey()
                        + "', 'INTAKE', 'GARBAGE_PILE', 'housekeeping', now(), now(), now())");
                s.execute("insert into case_instruction (unit_code, case_id, entry_id, at, leader, note) values ('" + unit
                        + "', '" + r.getValue() + "', gen_random_uuid(), now(), 'leader.410105001000', '今日办结')");
            }
        }
        try {
            MeterRegistry meters = new SimpleMeterRegistry();
            Housekeeping housekeeping = new Housekeeping(node.getBean(DatabaseClient.class),
                    node.getBean(GridlinkProperties.class).retention(), Duration.ofDays(1), 1, Mono.empty(), meters);
            assertThat(housekeeping.purgeInstructionsOfFinalRecords().block()).isEqualTo(2);
            assertThat(count("select count(*) from case_instruction where case_id = ?", records.get("CLOSED"))).isZero();
            assertThat(count("select count(*) from case_instruction where case_id = ?", records.get("REJECTED"))).isZero();
            assertThat(count("select count(*) from case_instruction where case_id = ?", records.get("ESCALATED")))
                    .isEqualTo(1);
            assertThat(meters.get("gridlink.retention.deleted").tag("table", "case_instruction").counter().count())
                    .isEqualTo(2);
            assertThat(housekeeping.purgeInstructionsOfFinalRecords().block()).isZero();
        } finally {
            try (Connection c = jdbc(); Statement s = c.createStatement()) {
                for (UUID id : records.values()) {
                    s.execute("delete from case_instruction where case_id = '" + id + "'");
                    s.execute("delete from case_record where case_id = '" + id + "'");
                }
            }
        }
    }

    @Test
    void theRelaysClaimsAloneCommitAsynchronously() {
        String setting = "select setting, source from pg_settings where name = 'synchronous_commit'";
        RelayConnections relay = node.getBean(RelayConnections.class);
        // a session setting of the relay's pooled connections, so every claim's transaction on them has it
        Map<String, Object> claims = relay.db().sql(setting).fetch().one().block();
        assertThat(claims).containsEntry("setting", "off").containsEntry("source", "client");
        // the node's own pool (changes with their outbox rows, events applied with their inbox rows) keeps the server's
        Map<String, Object> changes = node.getBean(DatabaseClient.class).sql(setting).fetch().one().block();
        assertThat(changes).extractingByKey("source").isNotEqualTo("client");
        // the relay's session is there to be seen by name, apart from the node's pool
        assertThat(node.getBean(DatabaseClient.class).sql("select count(*) as n from pg_stat_activity"
                        + " where application_name = 'gridlink-outbox-relay' and datname = current_database()")
                .map(row -> row.get("n", Long.class)).one().block()).isPositive();
    }

    @Test
    void theNodesDatabaseConnectionsSpreadOverEventLoops() {
        ConnectionFactory pool = node.getBean(ConnectionFactory.class);
        // the shared pool's (this test's thread is none of the HTTP loops, see aRequestsQueriesRunOnItsOwnEventLoop):
        // each connection asked for from the event loop that answered the one before, and all held, so that the pool
        // opens new ones, more of them than the idle ones it may have (in a node under load the driver's default loops
        // had put every connection on one thread, issue 8); here they fail the first check, as reactor-tcp-* threads
        List<io.r2dbc.spi.Connection> held = new ArrayList<>();
        try {
            List<String> threads = Flux.range(0, 12)
                    .concatMap(i -> Mono.from(pool.create()).doOnNext(held::add)
                            .flatMap(c -> Mono.from(c.createStatement("select 1").execute())
                                    .flatMap(r -> Mono.from(r.map((row, meta) -> Thread.currentThread().getName())))))
                    .collectList().block(Duration.ofSeconds(30));
            // on the node's own loops, which never colocate, and every one of them (Reactor Netty's own loops that
            // never colocate used every other loop: with this JVM's four, two of them; with two, one)
            int loops = node.getBean("databaseLoops", ConnectionLoops.class).count();
            assertThat(threads).hasSize(12).allMatch(t -> t.startsWith("r2dbc-"), "on the node's database loops");
            assertThat(threads.stream().distinct().count()).as("loops used by %s", threads).isEqualTo(loops);
        } finally {
            Flux.fromIterable(held).concatMap(io.r2dbc.spi.Connection::close).blockLast(Duration.ofSeconds(30));
        }
    }

    @Test
    void aRequestsQueriesRunOnItsOwnEventLoop() {
        LoopLocalConnections connections = node.getBean(LoopLocalConnections.class);
        Map<String, ConnectionPool> pools = connections.loopPools("http");
        List<EventExecutor> loops = new ArrayList<>();
        node.getBean(ReactorResourceFactory.class).getLoopResources().onServer(true).forEach(loops::add);
        assertThat(pools).hasSameSizeAs(loops).isNotEmpty();
        // a request's queries take their connections from the pools of the HTTP loops (the shared pool's were all
        // there was before, and these stayed empty)
        http.get().uri("/api/units/{u}/cases?limit=1", COMMUNITY).exchange().expectStatus().isOk();
        assertThat(pools.values()).as("connections made by the loops' pools")
                .anySatisfy(p -> assertThat(p.getMetrics().orElseThrow().allocatedSize()).isPositive());
        // asked for from a loop, a connection is that loop's: the query's answer is read on the thread that asked
        for (EventExecutor loop : loops) {
            String asking = Mono.fromCallable(() -> Thread.currentThread().getName())
                    .subscribeOn(Schedulers.fromExecutor(loop)).block(Duration.ofSeconds(10));
            String answered = Mono.usingWhen(Mono.defer(() -> Mono.from(connections.create())),
                            c -> Mono.from(c.createStatement("select 1").execute())
                                    .flatMap(r -> Mono.from(r.map((row, meta) -> Thread.currentThread().getName()))),
                            io.r2dbc.spi.Connection::close)
                    .subscribeOn(Schedulers.fromExecutor(loop)).block(Duration.ofSeconds(30));
            assertThat(answered).as("the answer to a query asked for on %s", asking).isEqualTo(asking);
        }
        // anywhere else (here the test's own thread), the shared pool's, on the node's database loops
        String elsewhere = Mono.usingWhen(Mono.from(connections.create()),
                        c -> Mono.from(c.createStatement("select 1").execute())
                                .flatMap(r -> Mono.from(r.map((row, meta) -> Thread.currentThread().getName()))),
                        io.r2dbc.spi.Connection::close)
                .block(Duration.ofSeconds(30));
        assertThat(elsewhere).startsWith("r2dbc-");
    }

    @Test
    void aChangeAndTheEventsItSendsAreWrittenInOneStatementAllOrNothing() throws Exception {
        CaseStore store = node.getBean(CaseStore.class);
        OutboxWriter outbox = node.getBean(OutboxWriter.class);
        UnitCode unit = UnitCode.of(COMMUNITY);
        UUID caseId = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        CaseRecord record = intake(caseId, "one statement", now);
        TimelineEntry report = TimelineEntry.of(now, unit, "test", "REPORT", null, CaseStatus.REPORTED, null);
        TimelineEntry note = TimelineEntry.of(now, unit, "test", "NOTE", null, null, "a note");
        CloudEvent first = testEvent(caseId);
        CloudEvent second = testEvent(caseId);
        CloudEvent third = testEvent(caseId);

        // the outbox refuses the same event twice, and with it the record and its entry: one statement, no transaction
        assertThatThrownBy(() -> store.save(record, List.of(report), outbox.rows(List.of(first, first))).block())
                .isInstanceOf(DataIntegrityViolationException.class);
        assertThat(rows("case_record", caseId)).isZero();
        assertThat(rows("timeline_entry", caseId)).isZero();

        store.save(record, List.of(report), outbox.rows(List.of(first, second))).block();
        assertThat(rows("case_record", caseId)).isEqualTo(1);
        assertThat(rows("timeline_entry", caseId)).isEqualTo(1);
        // a change that leaves the record as it is: the entry it has already is skipped, the new one added; and refused
        // as a whole when its events are
        assertThatThrownBy(() -> store.append(unit, caseId, List.of(report, note), outbox.rows(List.of(third, third)))
                .block()).isInstanceOf(DataIntegrityViolationException.class);
        assertThat(rows("timeline_entry", caseId)).isEqualTo(1);
        store.append(unit, caseId, List.of(report, note), outbox.rows(List.of(third))).block();
        assertThat(rows("timeline_entry", caseId)).isEqualTo(2);
        CloudEvent fourth = testEvent(caseId);
        store.append(unit, caseId, List.of(), outbox.rows(List.of(fourth))).block();

        // an event's entry comes with the lock of the record it is about and the event's inbox row, once; none for a
        // copy of the event, or for a case the node does not hold
        Inbox inbox = node.getBean(Inbox.class);
        TimelineEntry progress = TimelineEntry.of(now, UnitCode.of(TOWNSHIP), "township", "ACCEPT", null, null, null);
        CloudEvent brought = testEvent(caseId);
        CaseStore.Locked locked = store.lockAndAppend(unit, caseId, progress, inbox.row(brought)).block();
        assertThat(locked.record().caseId()).isEqualTo(caseId);
        assertThat(locked.record().details().title()).isEqualTo("one statement");
        assertThat(locked.delivered()).isTrue();
        assertThat(locked.entryAdded()).isTrue();
        assertThat(inboxed(brought.id())).isEqualTo(1);
        CaseStore.Locked copy = store.lockAndAppend(unit, caseId, progress, inbox.row(brought)).block();
        assertThat(copy.delivered()).isFalse();
        assertThat(copy.entryAdded()).isFalse();
        // the same entry along another path: a new event, an entry the timeline has
        CaseStore.Locked along = store.lockAndAppend(unit, caseId, progress, inbox.row(testEvent(caseId))).block();
        assertThat(along.delivered()).isTrue();
        assertThat(along.entryAdded()).isFalse();
        // a copy's entry, were it new, is not added either: the inbox row decides
        TimelineEntry unseen = TimelineEntry.of(now, UnitCode.of(TOWNSHIP), "township", "NOTE", null, null, "unseen");
        assertThat(store.lockAndAppend(unit, caseId, unseen, inbox.row(brought)).block().entryAdded()).isFalse();
        assertThat(rows("timeline_entry", caseId)).isEqualTo(3);
        assertThat(store.lockWithTimeline(unit, caseId).block().timeline()).extracting(TimelineEntry::id)
                .containsExactly(report.id(), note.id(), progress.id());
        UUID unknown = UUID.randomUUID();
        assertThat(store.lockWithTimeline(unit, unknown).blockOptional()).isEmpty();
        assertThat(store.lockAndAppend(unit, unknown, progress, inbox.row(testEvent(unknown))).blockOptional()).isEmpty();
        assertThat(rows("timeline_entry", unknown)).isZero();

        // the relay publishes the events in the order they were written
        assertThat(publishedUntil(fourth, caseId)).containsExactly(first.id().toString(), second.id().toString(),
                third.id().toString(), fourth.id().toString());
    }

    @Test
    void aCaseNewToTheNodeIsCreatedWithItsInboxRowAndEventsInOneStatementOrNotAtAll() throws Exception {
        CaseStore store = node.getBean(CaseStore.class);
        OutboxWriter outbox = node.getBean(OutboxWriter.class);
        Inbox inbox = node.getBean(Inbox.class);
        UnitCode unit = UnitCode.of(COMMUNITY);
        UUID caseId = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        CaseRecord record = intake(caseId, "new here", now);
        TimelineEntry report = TimelineEntry.of(now, unit, "test", "REPORT", null, CaseStatus.REPORTED, null);
        TimelineEntry receive = TimelineEntry.of(now, unit, "system", "RECEIVE", null, CaseStatus.REPORTED, null);
        CloudEvent brought = testEvent(caseId);
        CloudEvent sent = testEvent(caseId);

        // a copy of an event the inbox has: nothing is written
        UUID copied = UUID.randomUUID();
        CloudEvent copy = testEvent(copied);
        inbox.firstDelivery(copy.id(), copy.type(), copy.source()).block();
        CaseRecord copiedRecord = intake(copied, "copied", now);
        assertThat(store.createIfNew(copiedRecord, List.of(report), inbox.row(copy), outbox.rows(List.of(testEvent(copied))))
                .block()).isFalse();
        assertThat(rows("case_record", copied)).isZero();
        assertThat(rows("timeline_entry", copied)).isZero();

        // new: the record, its entries, its events and the inbox row, together
        assertThat(store.createIfNew(record, List.of(report, receive), inbox.row(brought), outbox.rows(List.of(sent)))
                .block()).isTrue();
        assertThat(rows("case_record", caseId)).isEqualTo(1);
        assertThat(store.findWithTimeline(unit, caseId).block().timeline()).extracting(TimelineEntry::id)
                .containsExactly(report.id(), receive.id());
        assertThat(inboxed(brought.id())).isEqualTo(1);

        // the node holds the record now: another event that would create it writes nothing, not even its inbox row
        CloudEvent again = testEvent(caseId);
        TimelineEntry other = TimelineEntry.of(now, unit, "system", "RECEIVE", null, CaseStatus.REPORTED, "again");
        assertThat(store.createIfNew(record, List.of(other), inbox.row(again), outbox.rows(List.of(testEvent(caseId))))
                .block()).isFalse();
        assertThat(inboxed(again.id())).isZero();
        assertThat(rows("timeline_entry", caseId)).isEqualTo(2);

        // a record another transaction creates meanwhile: the insert waits for it and fails, and nothing is written
        UUID raced = UUID.randomUUID();
        CaseRecord racedRecord = intake(raced, "raced", now);
        CloudEvent racing = testEvent(raced);
        try (Connection creator = jdbc()) {
            creator.setAutoCommit(false);
            try (PreparedStatement s = creator.prepareStatement("insert into case_record (unit_code, case_id, status,"
                    + " origin, category_code, title, reporter, reported_at, due_at, created_at, updated_at)"
                    + " values (?, ?, 'REPORTED', 'INTAKE', 'GARBAGE_PILE', 'raced', 'test', now(), now(), now(), now())")) {
                s.setString(1, COMMUNITY);
                s.setObject(2, raced);
                s.executeUpdate();
            }
            var attempt = store.createIfNew(racedRecord, List.of(report), inbox.row(racing),
                    outbox.rows(List.of(testEvent(raced)))).toFuture();
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !attempt.isDone());
            creator.commit();
            assertThatThrownBy(attempt::join).hasCauseInstanceOf(DuplicateKeyException.class);
        }
        assertThat(inboxed(racing.id())).isZero();
        assertThat(rows("timeline_entry", raced)).isZero();

        // of all the events those statements would have sent, the relay published the one that was written (the
        // relay deletes what it publishes: the broker's copy is what is left), and none before a last one written now
        CloudEvent last = testEvent(caseId);
        outbox.append(last).block();
        assertThat(publishedUntil(last, caseId, copied, raced))
                .containsExactly(sent.id().toString(), last.id().toString());
    }

    /** A community's new report of {@code caseId}, as the node's intake makes it. */
    private static CaseRecord intake(UUID caseId, String title, Instant now) {
        return CaseRecord.intake(caseId, UnitCode.of(COMMUNITY), new CaseDetails("GARBAGE_PILE", title, null,
                new Location(null, null, "经八路 1号"), null, null, "test", now), now.plus(Duration.ofDays(1)), now);
    }

    /**
     * The ids of the events about these cases on the township's inbox topic, in the order the relay published them, up
     * to and with {@code last} (the relay publishes in the order the rows were written: none written before it is
     * missing then).
     */
    private static List<String> publishedUntil(CloudEvent last, UUID... cases) {
        List<String> subjects = Arrays.stream(cases).map(UUID::toString).toList();
        List<String> published = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            consumer.subscribe(List.of("gridlink.township.inbox"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (subjects.contains(header(r, "ce_subject"))) {
                        published.add(header(r, "ce_id"));
                    }
                });
                assertThat(published).contains(last.id().toString());
            });
        }
        return published;
    }

    /** An event for the township's inbox that its node would not know: nothing consumes it in this test. */
    private static CloudEvent testEvent(UUID caseId) {
        return new CloudEvent(UUID.randomUUID(), "gridlink.test.v1", "/units/" + COMMUNITY, caseId.toString(),
                Instant.now(), null, TOWNSHIP, "{}".getBytes(StandardCharsets.UTF_8));
    }

    private static long rows(String table, UUID caseId) throws SQLException {
        try (Connection c = jdbc();
             PreparedStatement s = c.prepareStatement("select count(*) from " + table + " where case_id = ?")) {
            s.setObject(1, caseId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long outboxed(UUID eventId) throws SQLException {
        try (Connection c = jdbc();
             PreparedStatement s = c.prepareStatement("select count(*) from outbox where event_id = ?")) {
            s.setObject(1, eventId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long inboxed(UUID eventId) throws SQLException {
        return count("select count(*) from inbox where event_id = ?", eventId);
    }

    private static long count(String sql, Object parameter) throws SQLException {
        try (Connection c = jdbc(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, parameter);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void anEntryThatCommitsLateWidensTheRollupsSettle() throws Exception {
        MeterRegistry meters = node.getBean(MeterRegistry.class);
        Timer late = meters.get("gridlink.stats.commit.late").timer();
        Timer rounds = meters.get("gridlink.stats.round").timer();
        UUID caseId = UUID.randomUUID();
        // the entries other tests made (dated by this node's clock, which they set back and forth) are seen first, so
        // that only this test's count below
        long roundsBefore = rounds.count();
        await().atMost(Duration.ofSeconds(20)).until(() -> rounds.count() >= roundsBefore + 2);
        // a copy of the township's entry, dated when the township made it, as a case's history brings it: not late
        long lateBefore = late.count();
        backDated(caseId, TOWNSHIP, Duration.ofSeconds(250));
        long roundsThen = rounds.count();
        await().atMost(Duration.ofSeconds(20)).until(() -> rounds.count() >= roundsThen + 2);
        assertThat(late.count()).as("a copy of another unit's entry").isEqualTo(lateBefore);
        // the community's own entry, committed 100 s after the time it wrote: the settle goes back twice as far
        backDated(caseId, COMMUNITY, Duration.ofSeconds(100));
        await().atMost(Duration.ofSeconds(20)).until(() -> late.count() > lateBefore);
        // (PostgreSQL keeps microseconds: the entry's time comes back up to a microsecond earlier than written)
        assertThat(late.max(java.util.concurrent.TimeUnit.SECONDS)).isGreaterThan(99.99);
        // at least 200 s (more only if this node's clock was set back earlier in the run), at most the whole interval
        assertThat(meters.get("gridlink.stats.settle").gauge().value()).isBetween(199.99, 300.0);
    }

    @Test
    void anEntryCommittedAfterOneNumberedAboveItWasSeenIsCountedAtOnceNotAtTheNextWholeComputation() throws Exception {
        Timer rounds = node.getBean(MeterRegistry.class).get("gridlink.stats.round").timer();
        Instant at = clock.instant().minus(Duration.ofDays(1)); // long before any settle
        String day = java.time.LocalDate.ofInstant(at, java.time.ZoneId.of("Asia/Shanghai")).toString();
        try (Connection late = jdbc()) {
            late.setAutoCommit(false);
            // the community accepts a case: the entry takes its number, and its transaction goes on
            try (PreparedStatement insert = late.prepareStatement("insert into timeline_entry (unit_code, case_id,"
                    + " entry_id, at, entry_unit, actor, action) values (?, ?, ?, ?, ?, 'test', 'ACCEPT')")) {
                insert.setString(1, COMMUNITY);
                insert.setObject(2, UUID.randomUUID());
                insert.setObject(3, UUID.randomUUID());
                insert.setObject(4, at.atOffset(java.time.ZoneOffset.UTC));
                insert.setString(5, COMMUNITY);
                insert.executeUpdate();
            }
            // meanwhile an entry numbered after it commits, and the publisher looks at the timeline twice
            backDated(UUID.randomUUID(), COMMUNITY, Duration.ZERO);
            long roundsThen = rounds.count();
            await().atMost(Duration.ofSeconds(20)).until(() -> rounds.count() >= roundsThen + 2);
            assertThat(accepted(day)).as("the read before it commits").isEqualTo(acceptedInTimeline(day));
            late.commit();
        }
        long inTimeline = acceptedInTimeline(day);
        // a read, and the community's next report up the tiers, count it: the gap its number left is looked at again
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(accepted(day)).isEqualTo(inTimeline));
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            consumer.subscribe(List.of("gridlink.unit-reports"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    consumer.poll(Duration.ofMillis(200)).records("gridlink.unit-reports").iterator())
                    .toIterable().filteredOn(r -> COMMUNITY.equals(r.key()))
                    .anyMatch(r -> accepted(JsonMapper.builder().build().readTree(r.value()).path("own"), day)
                            == inTimeline));
        }
    }

    /** The community's ACCEPT entries of {@code day}, its own, as its timeline holds them. */
    private static long acceptedInTimeline(String day) throws SQLException {
        return count("select count(*) from timeline_entry where unit_code = entry_unit and unit_code = '" + COMMUNITY
                + "' and action = 'ACCEPT' and (at at time zone 'Asia/Shanghai')::date = cast(? as date)", day);
    }

    /** The community's own figures of {@code day} as a read of them counts its acceptances. */
    private static long accepted(String day) {
        JsonNode stats = JsonMapper.builder().build().readTree(http.get()
                .uri("/api/units/{u}/stats?from={d}&to={d}", COMMUNITY, day, day)
                .exchange().expectStatus().isOk().expectBody().returnResult().getResponseBodyContent());
        return stats.path("own").path("counts").path("accepted").asLong(0);
    }

    private static long accepted(JsonNode section, String day) {
        for (JsonNode d : section.path("days")) {
            if (day.equals(d.path("date").asString())) {
                return d.path("counts").path("accepted").asLong(0);
            }
        }
        return 0;
    }

    /** Writes an entry of {@code unit} at the community dated {@code ago} before the node's clock, and commits it. */
    private static void backDated(UUID caseId, String unit, Duration ago) throws SQLException {
        try (Connection c = jdbc(); PreparedStatement insert = c.prepareStatement("insert into timeline_entry"
                + " (unit_code, case_id, entry_id, at, entry_unit, actor, action) values (?, ?, ?, ?, ?, 'test', 'NOTE')")) {
            insert.setString(1, COMMUNITY);
            insert.setObject(2, caseId);
            insert.setObject(3, UUID.randomUUID());
            insert.setObject(4, clock.instant().minus(ago).atOffset(java.time.ZoneOffset.UTC));
            insert.setString(5, unit);
            insert.executeUpdate();
        }
    }

    private static Connection jdbc() throws SQLException {
        return TestInfrastructure.jdbc("community_node_it");
    }

    @Test
    void everyApiRequestNeedsAValidTokenFromTheTrustedProvider() {
        WebTestClient anonymous = http.mutate().defaultHeaders(h -> h.remove("Authorization")).build();
        anonymous.get().uri("/api/units/{u}/cases", COMMUNITY).exchange().expectStatus().isUnauthorized()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueMatches("WWW-Authenticate", "Bearer.*");
        String expired = tokens.token("supervisor." + COMMUNITY, COMMUNITY, List.of("SUPERVISOR"), List.of(),
                java.time.Instant.now().minus(Duration.ofMinutes(5)));
        anonymous.get().uri("/api/units/{u}/cases", COMMUNITY).headers(h -> h.setBearerAuth(expired))
                .exchange().expectStatus().isUnauthorized();
        try (TestTokens stranger = TestTokens.start()) {
            String foreign = stranger.token("supervisor." + COMMUNITY, COMMUNITY, List.of("SUPERVISOR"), List.of());
            anonymous.get().uri("/api/units/{u}/cases", COMMUNITY).headers(h -> h.setBearerAuth(foreign))
                    .exchange().expectStatus().isUnauthorized();
        }
        anonymous.get().uri("/actuator/health").exchange().expectStatus().isOk();
        http.get().uri("/api/units/{u}/cases", COMMUNITY).exchange().expectStatus().isOk();
        anonymous.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).value(metrics -> assertThat(metrics)
                        .contains("http_server_requests_seconds_count")
                        // no observations of Spring Security's own (SecurityObservations): a cost per request
                        .doesNotContain("spring_security_"));
    }

    @Test
    void theNodeItselfKeepsPeopleInTheirJurisdiction() {
        String township = tokens.token("supervisor." + TOWNSHIP, TOWNSHIP, List.of("SUPERVISOR"), List.of());
        String sibling = tokens.token("supervisor.410105001002", "410105001002", List.of("SUPERVISOR"), List.of());
        http.get().uri("/api/units/{u}/cases", COMMUNITY).headers(h -> h.setBearerAuth(township))
                .exchange().expectStatus().isOk();
        http.get().uri("/api/units/{u}/cases", COMMUNITY).headers(h -> h.setBearerAuth(sibling))
                .exchange().expectStatus().isForbidden()
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("outside their jurisdiction"));
        http.post().uri("/api/units/{u}/cases", COMMUNITY).contentType(MediaType.APPLICATION_JSON)
                .headers(h -> h.setBearerAuth(township))
                .bodyValue(Map.of("categoryCode", "GARBAGE_PILE", "title", "from above"))
                .exchange().expectStatus().isForbidden();
    }

    @Test
    void aReportSentAgainUnderTheSameIdempotencyKeyGetsTheRecordTheFirstMadeAndNoSecond() throws Exception {
        String key = UUID.randomUUID().toString();
        Map<String, Object> report = Map.of("categoryCode", "GARBAGE_PILE", "title", "Rubbish by the kiosk",
                "gridCode", COMMUNITY + "-01", "location", Map.of("lat", 34.771, "lon", 113.681));
        // two at once, as a client that timed out and sent it again while the first was still on its way
        List<JsonNode> answers = Flux.range(0, 2).flatMap(i -> Mono.fromCallable(() -> http.post()
                        .uri("/api/units/{u}/cases", COMMUNITY).contentType(MediaType.APPLICATION_JSON)
                        .header("Idempotency-Key", key).bodyValue(report).exchange().expectStatus().isCreated()
                        .expectBody(JsonNode.class).returnResult().getResponseBody())
                        .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic()))
                .collectList().block(Duration.ofSeconds(30));
        UUID caseId = UUID.fromString(answers.get(0).path("caseId").asString());
        assertThat(answers.get(1).path("caseId").asString()).isEqualTo(caseId.toString());
        assertThat(rows("case_record", caseId)).isEqualTo(1);
        assertThat(rows("timeline_entry", caseId)).isEqualTo(1);
        // later, quoted as a Structured Fields string: the same record, its Location too
        http.post().uri("/api/units/{u}/cases", COMMUNITY).contentType(MediaType.APPLICATION_JSON)
                .header("Idempotency-Key", "\"" + key + "\"").bodyValue(report).exchange().expectStatus().isCreated()
                .expectHeader().valueEquals("Location", "/api/units/" + COMMUNITY + "/cases/" + caseId)
                .expectBody().jsonPath("$.caseId").isEqualTo(caseId.toString())
                .jsonPath("$.title").isEqualTo("Rubbish by the kiosk");
        assertThat(rows("case_record", caseId)).isEqualTo(1);

        // the same key for another report: refused, and the record stays as it was
        Map<String, Object> other = Map.of("categoryCode", "GARBAGE_PILE", "title", "Another heap",
                "gridCode", COMMUNITY + "-01");
        http.post().uri("/api/units/{u}/cases", COMMUNITY).contentType(MediaType.APPLICATION_JSON)
                .header("Idempotency-Key", key).bodyValue(other).exchange().expectStatus().isEqualTo(422)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.field").isEqualTo("Idempotency-Key")
                .jsonPath("$.detail").value(d -> assertThat((String) d).contains("different report", caseId.toString()));
        assertThat(casePage(caseId.toString()).path("title").asString()).isEqualTo("Rubbish by the kiosk");
        assertThat(rows("case_record", caseId)).isEqualTo(1);

        // recategorised since: the report sent again is still the one that made the record, answered as it is now; the
        // record's new category under the same key is not what was reported
        http.post().uri("/api/units/{u}/cases/{id}/actions", COMMUNITY, caseId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("action", "RECATEGORISE", "category", "ROAD_OCCUPATION"))
                .exchange().expectStatus().isOk();
        http.post().uri("/api/units/{u}/cases", COMMUNITY).contentType(MediaType.APPLICATION_JSON)
                .header("Idempotency-Key", key).bodyValue(report).exchange().expectStatus().isCreated()
                .expectBody().jsonPath("$.caseId").isEqualTo(caseId.toString())
                .jsonPath("$.categoryCode").isEqualTo("ROAD_OCCUPATION");
        Map<String, Object> asItIsNow = new java.util.HashMap<>(report);
        asItIsNow.put("categoryCode", "ROAD_OCCUPATION");
        http.post().uri("/api/units/{u}/cases", COMMUNITY).contentType(MediaType.APPLICATION_JSON)
                .header("Idempotency-Key", key).bodyValue(asItIsNow).exchange().expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.field").isEqualTo("Idempotency-Key");
        assertThat(rows("case_record", caseId)).isEqualTo(1);

        // a report with no location, sent again: the record read back has an empty one, and it is the same report
        Map<String, Object> nowhere = Map.of("categoryCode", "GARBAGE_PILE", "title", "Bags by the gate",
                "gridCode", COMMUNITY + "-01");
        String nowhereKey = UUID.randomUUID().toString();
        String first = http.post().uri("/api/units/{u}/cases", COMMUNITY).contentType(MediaType.APPLICATION_JSON)
                .header("Idempotency-Key", nowhereKey).bodyValue(nowhere).exchange().expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody().path("caseId").asString();
        http.post().uri("/api/units/{u}/cases", COMMUNITY).contentType(MediaType.APPLICATION_JSON)
                .header("Idempotency-Key", nowhereKey).bodyValue(nowhere).exchange().expectStatus().isCreated()
                .expectBody().jsonPath("$.caseId").isEqualTo(first);

        // another person's same key is their own: a second record
        String otherId = http.post().uri("/api/units/{u}/cases", COMMUNITY).contentType(MediaType.APPLICATION_JSON)
                .headers(h -> h.setBearerAuth(tokens.token("gridworker." + COMMUNITY + "-01", COMMUNITY,
                        List.of("GRID_WORKER"), List.of(COMMUNITY + "-01"))))
                .header("Idempotency-Key", key).bodyValue(report).exchange().expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody().path("caseId").asString();
        assertThat(otherId).isNotEqualTo(caseId.toString());

        // a key that is not one: 400, nothing made
        long before = countRecords();
        for (String bad : List.of("has space", "x".repeat(256), "\"\"", "caf\u00e9")) {
            http.post().uri("/api/units/{u}/cases", COMMUNITY).contentType(MediaType.APPLICATION_JSON)
                    .header("Idempotency-Key", bad).bodyValue(report).exchange().expectStatus().isBadRequest()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.field").isEqualTo("Idempotency-Key");
        }
        assertThat(countRecords()).isEqualTo(before);
    }

    @Test
    void anActionSentOnAVersionTheRecordNoLongerHasIsRefused412AndChangesNothing() {
        // this node's clock stands still: each change still moves the record's version on
        String caseId = http.post().uri("/api/units/{u}/cases", COMMUNITY).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("categoryCode", "GARBAGE_PILE", "title", "Boxes by the bins",
                        "gridCode", COMMUNITY + "-01"))
                .exchange().expectStatus().isCreated().expectBody(JsonNode.class).returnResult().getResponseBody()
                .path("caseId").asString();
        String read = version(caseId);
        assertThat(read).startsWith("\"").endsWith("\"");

        // on the version read: taken, and the answer carries the version now, which a read gives too
        String recategorised = actOn(caseId, read, Map.of("action", "RECATEGORISE", "category", "ROAD_OCCUPATION"))
                .expectStatus().isOk().expectBody().returnResult().getResponseHeaders().getETag();
        assertThat(recategorised).isNotNull().isNotEqualTo(read);
        assertThat(version(caseId)).isEqualTo(recategorised);

        // on the version read before it: 412, saying what it is now; nothing changes
        int entries = casePage(caseId).path("timeline").size();
        actOn(caseId, read, Map.of("action", "ACCEPT")).expectStatus().isEqualTo(412)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueEquals("ETag", recategorised)
                .expectBody().jsonPath("$.currentStatus").isEqualTo("REPORTED")
                .jsonPath("$.latestEntry.action").isEqualTo("RECATEGORISE")
                .jsonPath("$.latestEntry.unit").isEqualTo(COMMUNITY)
                .jsonPath("$.detail").value(d -> assertThat((String) d).contains(caseId, "changed at",
                        "its latest entry: RECATEGORISE by", "read it again"));
        // a weak tag never matches (strong comparison), nor a tag no record had; a header with no tag is a 400
        actOn(caseId, "W/" + recategorised, Map.of("action", "ACCEPT")).expectStatus().isEqualTo(412);
        actOn(caseId, "\"yesterday\"", Map.of("action", "ACCEPT")).expectStatus().isEqualTo(412);
        actOn(caseId, "yesterday", Map.of("action", "ACCEPT")).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("If-Match");
        JsonNode unchanged = casePage(caseId);
        assertThat(unchanged.path("status").asString()).isEqualTo("REPORTED");
        assertThat(unchanged.path("timeline").size()).isEqualTo(entries);
        assertThat(version(caseId)).isEqualTo(recategorised);

        // one of several tags, or *: taken
        actOn(caseId, read + ", " + recategorised, Map.of("action", "ACCEPT")).expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("ACCEPTED");
        actOn(caseId, "*", Map.of("action", "START")).expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("IN_PROGRESS");

        // two people act at once on the version they both read: one is taken, the other told it changed
        String both = version(caseId);
        List<Integer> statuses = Flux.just("GARBAGE_PILE", "PUBLIC_ORDER")
                .flatMap(category -> Mono.fromCallable(() -> actOn(caseId, both,
                                Map.of("action", "RECATEGORISE", "category", category))
                        .returnResult(String.class).getStatus().value())
                        .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic()))
                .collectList().block(Duration.ofSeconds(30));
        assertThat(statuses).containsExactlyInAnyOrder(200, 412);
        assertThat(casePage(caseId).path("timeline").size()).isEqualTo(entries + 3);
    }

    @Test
    void anActionSentAgainUnderItsIdempotencyKeyIsTakenOnceAndAnsweredWithTheRecordAsItIsNow() throws Exception {
        String caseId = report("Bottles by the bench");
        String read = version(caseId);
        String key = UUID.randomUUID().toString();
        double againBefore = answeredAgain();

        // two at once on the version read, as a client that timed out and sent it again while the first was on its way:
        // the second waits on the record's lock, finds the first under the key and is answered, not refused
        List<String> etags = Flux.range(0, 2).flatMap(i -> Mono.fromCallable(() -> actUnder(caseId, key, read,
                                Map.of("action", "ACCEPT", "note", "on my way"))
                        .expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("ACCEPTED")
                        .returnResult().getResponseHeaders().getETag())
                        .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic()))
                .collectList().block(Duration.ofSeconds(30));
        assertThat(etags).hasSize(2).doesNotContainNull();
        assertThat(etags.get(0)).isEqualTo(etags.get(1)).isNotEqualTo(read);
        assertThat(entries(caseId, "ACCEPT")).isEqualTo(1);
        assertThat(answeredAgain() - againBefore).isEqualTo(1.0);

        // changed since by another action: the ACCEPT sent again, on its old version, is answered with the record as it
        // is now (not a 412, not a 409 for an ACCEPT on a record IN_PROGRESS), and taken no second time
        actOn(caseId, "*", Map.of("action", "START")).expectStatus().isOk();
        String now = version(caseId);
        actUnder(caseId, "\"" + key + "\"", read, Map.of("action", "ACCEPT", "note", " on my way "))
                .expectStatus().isOk().expectHeader().valueEquals("ETag", now)
                .expectBody().jsonPath("$.status").isEqualTo("IN_PROGRESS");
        assertThat(entries(caseId, "ACCEPT")).isEqualTo(1);

        // the key for another action, on this record or another: refused, and nothing changes
        int entries = casePage(caseId).path("timeline").size();
        actUnder(caseId, key, null, Map.of("action", "RESOLVE", "note", "cleared")).expectStatus().isEqualTo(422)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.field").isEqualTo("Idempotency-Key")
                .jsonPath("$.detail").value(d -> assertThat((String) d).contains("another action", "ACCEPT on case "
                        + caseId));
        actUnder(caseId, key, null, Map.of("action", "ACCEPT", "note", "on my way, again"))
                .expectStatus().isEqualTo(422);
        String other = report("Bottles by the other bench");
        actUnder(other, key, null, Map.of("action", "ACCEPT", "note", "on my way")).expectStatus().isEqualTo(422);
        assertThat(casePage(caseId).path("status").asString()).isEqualTo("IN_PROGRESS");
        assertThat(casePage(caseId).path("timeline").size()).isEqualTo(entries);
        assertThat(casePage(other).path("status").asString()).isEqualTo("REPORTED");
        assertThat(version(caseId)).isEqualTo(now);

        // another person's same key is their own
        actUnder(other, key, null, Map.of("action", "ACCEPT", "note", "on my way"), tokens.token("handler." + COMMUNITY,
                COMMUNITY, List.of("HANDLER"), List.of())).expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("ACCEPTED");

        // one key on two records at once: nothing serialises them but the key's row; one is taken, the other refused
        String first = report("Cans by the gate");
        String second = report("Cans by the other gate");
        String shared = UUID.randomUUID().toString();
        List<Integer> statuses = Flux.just(first, second).flatMap(id -> Mono.fromCallable(() ->
                                actUnder(id, shared, null, Map.of("action", "ACCEPT")).returnResult(String.class)
                                        .getStatus().value())
                        .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic()))
                .collectList().block(Duration.ofSeconds(30));
        assertThat(statuses).containsExactlyInAnyOrder(200, 422);
        assertThat(List.of(casePage(first).path("status").asString(), casePage(second).path("status").asString()))
                .containsExactlyInAnyOrder("ACCEPTED", "REPORTED");

        // a key that is not one: 400, nothing taken
        for (String bad : List.of("has space", "x".repeat(256), "\"\"")) {
            actUnder(second, bad, null, Map.of("action", "REJECT", "note", "not ours")).expectStatus().isBadRequest()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.field").isEqualTo("Idempotency-Key");
        }
        assertThat(rows("keyed_action", UUID.fromString(caseId))).isEqualTo(1);
        assertThat(rows("keyed_action", UUID.fromString(other))).isEqualTo(1);
    }

    private String report(String title) {
        return http.post().uri("/api/units/{u}/cases", COMMUNITY).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("categoryCode", "GARBAGE_PILE", "title", title, "gridCode", COMMUNITY + "-01"))
                .exchange().expectStatus().isCreated().expectBody(JsonNode.class).returnResult().getResponseBody()
                .path("caseId").asString();
    }

    private WebTestClient.ResponseSpec actUnder(String caseId, String key, String ifMatch, Map<String, Object> body) {
        return actUnder(caseId, key, ifMatch, body, null);
    }

    private WebTestClient.ResponseSpec actUnder(String caseId, String key, String ifMatch, Map<String, Object> body,
                                                String token) {
        return http.post().uri("/api/units/{u}/cases/{id}/actions", COMMUNITY, caseId)
                .contentType(MediaType.APPLICATION_JSON).header("Idempotency-Key", key)
                .headers(h -> {
                    if (ifMatch != null) {
                        h.setIfMatch(ifMatch);
                    }
                    if (token != null) {
                        h.setBearerAuth(token);
                    }
                })
                .bodyValue(body).exchange();
    }

    private int entries(String caseId, String action) {
        int n = 0;
        for (JsonNode entry : casePage(caseId).path("timeline")) {
            n += action.equals(entry.path("action").asString()) ? 1 : 0;
        }
        return n;
    }

    private static double answeredAgain() {
        io.micrometer.core.instrument.Counter counter = node.getBean(MeterRegistry.class)
                .find("gridlink.cases.actions.answered.again").tag("action", "ACCEPT").counter();
        return counter == null ? 0 : counter.count();
    }

    private WebTestClient.ResponseSpec actOn(String caseId, String ifMatch, Map<String, Object> body) {
        return http.post().uri("/api/units/{u}/cases/{id}/actions", COMMUNITY, caseId)
                .contentType(MediaType.APPLICATION_JSON).header("If-Match", ifMatch).bodyValue(body).exchange();
    }

    private String version(String caseId) {
        return http.get().uri("/api/units/{u}/cases/{id}", COMMUNITY, caseId).exchange().expectStatus().isOk()
                .expectBody().returnResult().getResponseHeaders().getETag();
    }

    private static long countRecords() throws SQLException {
        try (Connection c = jdbc(); PreparedStatement s = c.prepareStatement("select count(*) from case_record");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void clocksRunOnTheWorkingCalendarAndAnOverdueRecordIsListed() {
        // Friday 27 November 2026, 17:00 in Zhengzhou: half an hour of office time left this week
        clock.set(java.time.OffsetDateTime.parse("2026-11-27T17:00:00+08:00").toInstant());
        JsonNode created = http.post().uri("/api/units/{u}/cases", COMMUNITY).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("categoryCode", "GARBAGE_PILE", "title", "Rubbish left on Friday evening",
                        "gridCode", COMMUNITY + "-01"))
                .exchange().expectStatus().isCreated().expectBody(JsonNode.class).returnResult().getResponseBody();
        String caseId = created.path("caseId").asString();
        // accept within 2 working hours: 30 minutes on Friday, 90 on Monday → Monday 10:30
        assertThat(created.path("acceptDueAt").asString()).isEqualTo("2026-11-30T02:30:00Z");
        // handle within 2 working days: the close of office on the second working day after Friday → Tuesday 17:30
        assertThat(created.path("dueAt").asString()).isEqualTo("2026-12-01T09:30:00Z");
        assertThat(created.path("deadline").path("clock").asString()).isEqualTo("ACCEPTANCE");
        assertThat(created.path("deadline").path("warning").asString()).isEqualTo("NONE");
        assertThat(created.path("deadline").path("workingTime").asBoolean()).isTrue();

        // the weekend does not count: Monday 09:45 is 75 minutes into the 2 working hours
        clock.set(java.time.OffsetDateTime.parse("2026-11-30T09:45:00+08:00").toInstant());
        http.get().uri("/api/units/{u}/cases/{id}", COMMUNITY, caseId).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.deadline.warning").isEqualTo("HALF")
                .jsonPath("$.deadline.timeLeft").isEqualTo("PT45M")
                .jsonPath("$.overdue").isEqualTo(false);
        assertThat(overdueIds()).doesNotContain(caseId);

        // Monday 11:00: not signed for in time
        clock.set(java.time.OffsetDateTime.parse("2026-11-30T11:00:00+08:00").toInstant());
        http.get().uri("/api/units/{u}/cases/{id}", COMMUNITY, caseId).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.overdue").isEqualTo(true)
                .jsonPath("$.deadline.warning").isEqualTo("OVERDUE");
        assertThat(overdueIds()).contains(caseId);

        // the overdue scan tells every unit above, once per clock, through the outbox
        org.gridlink.kernel.cases.application.OverdueScan scan =
                node.getBean(org.gridlink.kernel.cases.application.OverdueScan.class);
        assertThat(scan.scan(clock.instant()).block()).isGreaterThanOrEqualTo(1);
        assertThat(scan.scan(clock.instant()).block()).as("a second scan tells nobody again").isZero();
        List<ConsumerRecord<String, byte[]>> notices = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            consumer.subscribe(List.of("gridlink.township.inbox", "gridlink.district.inbox", "gridlink.city.inbox"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (caseId.equals(header(r, "ce_subject")) && "gridlink.case.overdue.v1".equals(header(r, "ce_type"))) {
                        notices.add(r);
                    }
                });
                assertThat(notices).extracting(ConsumerRecord::key)
                        .containsExactlyInAnyOrder(TOWNSHIP, "410105000000", "410100000000");
            });
        }
        JsonNode notice = JsonMapper.builder().build().readTree(notices.get(0).value());
        assertThat(notice.path("unit").asString()).isEqualTo(COMMUNITY);
        assertThat(notice.path("clock").asString()).isEqualTo("ACCEPTANCE");
        assertThat(notice.path("dueAt").asString()).isEqualTo("2026-11-30T02:30:00Z");

        // accepted late: the handling clock has run since the report (it does not restart on acceptance)
        act(caseId, "ACCEPT", null);
        clock.set(java.time.OffsetDateTime.parse("2026-12-01T14:00:00+08:00").toInstant());
        http.get().uri("/api/units/{u}/cases/{id}", COMMUNITY, caseId).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.deadline.clock").isEqualTo("HANDLING")
                .jsonPath("$.deadline.warning").isEqualTo("THREE_QUARTERS")
                .jsonPath("$.overdue").isEqualTo(false);
        assertThat(overdueIds()).doesNotContain(caseId);
        http.get().uri("/api/units/{u}/cases?overdue=maybe", COMMUNITY).exchange().expectStatus().isBadRequest();
        clock.set(java.time.Instant.now());
    }

    private List<String> overdueIds() {
        JsonNode page = http.get().uri("/api/units/{u}/cases?overdue=true&limit=200", COMMUNITY).exchange()
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        List<String> ids = new ArrayList<>();
        page.path("items").forEach(i -> ids.add(i.path("caseId").asString()));
        return ids;
    }

    private JsonNode act(String caseId, String action, String note) {
        return http.post().uri("/api/units/{u}/cases/{id}/actions", COMMUNITY, caseId)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(note == null ? Map.of("action", action) : Map.of("action", action, "note", note))
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private JsonNode casePage(String caseId) {
        return http.get().uri("/api/units/{u}/cases/{id}", COMMUNITY, caseId).exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private static KafkaConsumer<String, byte[]> consumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafka().getBrokersAsString());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "community-node-it-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
