package org.gridlink.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.gridlink.local.e2e.CrossTierFlowIT.JINGBALU;
import static org.gridlink.local.e2e.CrossTierFlowIT.JINGBALU_COMMUNITY;
import static org.gridlink.local.e2e.TestPlatform.handMadeEvent;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.gridlink.contracts.Tier;
import org.gridlink.kernel.support.inbox.DeadLetterCount;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Nothing lost, nothing applied twice: a broker killed mid-stream, a node crashed on either side of
 * publishing, the same event delivered twice, a malformed message among good ones.
 */
class DeliveryGuaranteesIT {

    static TestPlatform platform;
    static Api api;

    @BeforeAll
    static void platform() {
        platform = TestPlatform.get();
        api = new Api(platform);
    }

    @Test
    void everyEscalationArrivesExactlyOnceAcrossABrokerKill() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String id = api.reportCase(JINGBALU_COMMUNITY, "broker-kill case " + i);
            api.act(JINGBALU_COMMUNITY, id, "ACCEPT");
            ids.add(id);
        }
        for (int i = 0; i < 4; i++) {
            api.act(JINGBALU_COMMUNITY, ids.get(i), "ESCALATE", "before the kill", null);
        }
        platform.kafka().kill();
        for (int i = 4; i < ids.size(); i++) {
            // the node commits the escalation and its outbox row while the broker is gone
            api.act(JINGBALU_COMMUNITY, ids.get(i), "ESCALATE", "while the broker is down", null);
        }
        platform.kafka().restart();
        platform.kafka().awaitReady(Duration.ofSeconds(60));

        for (String id : ids) {
            api.awaitStatus(JINGBALU, id, "REPORTED");
        }
        for (String id : ids) {
            assertThat(countEntries(Tier.TOWNSHIP, JINGBALU, id, "RECEIVE")).as("receipts of %s", id).isEqualTo(1);
            assertThat(countEntries(Tier.TOWNSHIP, JINGBALU, id, "ESCALATE")).isEqualTo(1);
        }
    }

    @Test
    void aNodeCrashedBetweenCommitAndPublishLosesNothing() throws Exception {
        HoldingRelayHook hook = new HoldingRelayHook(HoldingRelayHook.Point.BEFORE_PUBLISH, "gridlink.case.escalated.v1");
        restartCommunity(hook);
        String id = api.reportCase(JINGBALU_COMMUNITY, "crash before publish");
        api.act(JINGBALU_COMMUNITY, id, "ACCEPT");
        api.act(JINGBALU_COMMUNITY, id, "ESCALATE", "held before publishing", null);
        assertThat(hook.awaitReached()).as("relay reached the hold point").isTrue();

        platform.crashNode(Tier.COMMUNITY);
        hook.release();
        assertThat(api.find(JINGBALU, id)).as("nothing was published before the crash").isNull();

        platform.startNode(Tier.COMMUNITY, null);
        api.awaitStatus(JINGBALU, id, "REPORTED");
        assertThat(countEntries(Tier.TOWNSHIP, JINGBALU, id, "RECEIVE")).isEqualTo(1);
    }

    @Test
    void aNodeCrashedBetweenPublishAndMarkingSentAppliesNothingTwice() throws Exception {
        HoldingRelayHook hook = new HoldingRelayHook(HoldingRelayHook.Point.AFTER_PUBLISH, "gridlink.case.escalated.v1");
        restartCommunity(hook);
        String id = api.reportCase(JINGBALU_COMMUNITY, "crash after publish");
        api.act(JINGBALU_COMMUNITY, id, "ACCEPT");
        api.act(JINGBALU_COMMUNITY, id, "ESCALATE", "held after publishing", null);
        assertThat(hook.awaitReached()).isTrue();
        // the broker has the event; the township applies it while the community has not marked it sent
        api.awaitStatus(JINGBALU, id, "REPORTED");

        platform.crashNode(Tier.COMMUNITY);
        hook.release();
        platform.startNode(Tier.COMMUNITY, null);

        // the restarted relay publishes the same event again (same id); the township's inbox drops the copy
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() ->
                assertThat(deliveriesOnTopic(Tier.TOWNSHIP.inboxTopic(), id, "gridlink.case.escalated.v1")).isEqualTo(2));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(unpublished(Tier.COMMUNITY)).isZero());
        assertThat(countEntries(Tier.TOWNSHIP, JINGBALU, id, "RECEIVE")).isEqualTo(1);
        assertThat(countEntries(Tier.TOWNSHIP, JINGBALU, id, "ESCALATE")).isEqualTo(1);
    }

    @Test
    void theSameEventDeliveredTwiceIsAppliedOnce() throws Exception {
        String id = api.reportCase(JINGBALU_COMMUNITY, "duplicate delivery");
        api.act(JINGBALU_COMMUNITY, id, "ACCEPT");
        UUID entryId = UUID.randomUUID();
        UUID eventId = UUID.randomUUID();
        String body = """
                {"caseId":"%s","fromUnit":"%s","toUnit":"%s","status":"REPORTED",
                 "entry":{"id":"%s","at":"%s","unitCode":"%s","actor":"officer","action":"NOTE","note":"seen twice"}}
                """.formatted(id, JINGBALU, JINGBALU_COMMUNITY, entryId, Instant.now(), JINGBALU);
        try (KafkaProducer<String, byte[]> producer = platform.producer()) {
            for (int i = 0; i < 2; i++) {
                producer.send(handMadeEvent(Tier.COMMUNITY.inboxTopic(), JINGBALU_COMMUNITY, eventId,
                        "gridlink.case.progressed.v1", body)).get();
            }
            // a second copy of the same entry under another event id (it came along another path)
            producer.send(handMadeEvent(Tier.COMMUNITY.inboxTopic(), JINGBALU_COMMUNITY, UUID.randomUUID(),
                    "gridlink.case.progressed.v1", body)).get();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(countEntries(Tier.COMMUNITY, JINGBALU_COMMUNITY, id, "NOTE")).isEqualTo(1));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(inboxed(Tier.COMMUNITY, eventId)).isEqualTo(1));
        assertThat(api.find(JINGBALU_COMMUNITY, id).get("status")).isEqualTo("ACCEPTED");
    }

    @Test
    void aMalformedMessageGoesToTheDeadLetterTopicAndLaterMessagesStillFlow() throws Exception {
        UUID badId = UUID.randomUUID();
        try (KafkaProducer<String, byte[]> producer = platform.producer()) {
            producer.send(handMadeEvent(Tier.TOWNSHIP.inboxTopic(), JINGBALU, badId, "gridlink.case.escalated.v1",
                    "{ this is not json")).get();
            producer.send(handMadeEvent(Tier.TOWNSHIP.inboxTopic(), JINGBALU, UUID.randomUUID(), "gridlink.case.escalated.v1",
                    "{\"caseId\":\"" + UUID.randomUUID() + "\"}")).get();
        }
        String id = api.reportCase(JINGBALU_COMMUNITY, "after the poison message");
        api.act(JINGBALU_COMMUNITY, id, "ACCEPT");
        api.act(JINGBALU_COMMUNITY, id, "ESCALATE", "must still flow", null);
        api.awaitStatus(JINGBALU, id, "REPORTED");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(headersOnTopic(Tier.TOWNSHIP.deadLetterTopic())).contains(badId.toString()));
        // counted where an operator's alert sees it (deploy/k8s/alerts.yaml)
        assertThat(platform.node(Tier.TOWNSHIP).getBean(MeterRegistry.class).get("gridlink.inbox.dead-lettered")
                .tag("topic", Tier.TOWNSHIP.inboxTopic()).tag("reason", "unreadable").counter().count())
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void anAdministratorListsTheDeadLettersOfTheirUnitsAndSendsThemAgainOnceTheCauseIsMended() throws Exception {
        String id = api.reportCase(JINGBALU_COMMUNITY, "a case whose note was set aside");
        api.act(JINGBALU_COMMUNITY, id, "ACCEPT");
        // as a note would lie on the dead-letter topic after failing for a cause since mended, and an unreadable one
        UUID mended = UUID.randomUUID();
        UUID unreadable = UUID.randomUUID();
        UUID elsewhere = UUID.randomUUID();
        String deadLetters = Tier.COMMUNITY.deadLetterTopic();
        try (KafkaProducer<String, byte[]> producer = platform.producer()) {
            ProducerRecord<String, byte[]> note = handMadeEvent(deadLetters, JINGBALU_COMMUNITY, mended,
                    "gridlink.case.progressed.v1", note(id, "set aside, then sent again"));
            note.headers().add("kafka_dlt-exception-fqcn", "java.lang.IllegalStateException".getBytes(StandardCharsets.UTF_8));
            producer.send(note).get();
            producer.send(handMadeEvent(deadLetters, JINGBALU_COMMUNITY, unreadable, "gridlink.case.progressed.v1",
                    "{ this is not json")).get();
            // another community's: not the business of an administrator of this one
            producer.send(handMadeEvent(deadLetters, "410105001002", elsewhere, "gridlink.case.progressed.v1",
                    "{ this is not json")).get();
        }
        WebTestClient admin = platform.gatewayAs("admin.410100000000");
        List<String> listed = deadLetterIds(admin, JINGBALU_COMMUNITY);
        assertThat(listed).contains(mended.toString(), unreadable.toString()).doesNotContain(elsewhere.toString());
        // nobody else sees them, nor sends them
        platform.gatewayAs("supervisor.410105001001").get().uri("/api/units/{u}/dead-letters", JINGBALU_COMMUNITY)
                .exchange().expectStatus().isForbidden();
        assertThat(countEntries(Tier.COMMUNITY, JINGBALU_COMMUNITY, id, "NOTE")).isZero();

        admin.post().uri("/api/units/{u}/dead-letters/replay", JINGBALU_COMMUNITY).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.count").value(n -> assertThat(((Number) n).intValue()).isGreaterThanOrEqualTo(2));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(countEntries(Tier.COMMUNITY, JINGBALU_COMMUNITY, id, "NOTE")).isEqualTo(1));
        assertThat(inboxed(Tier.COMMUNITY, mended)).isEqualTo(1);
        // the applied one is no longer listed; the unreadable one is set aside again, and listed once
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<String> after = deadLetterIds(admin, JINGBALU_COMMUNITY);
            assertThat(after).doesNotContain(mended.toString());
            assertThat(after.stream().filter(unreadable.toString()::equals)).hasSize(1);
            assertThat(headersOnTopic(deadLetters).stream().filter(unreadable.toString()::equals)).hasSize(2);
        });
        // set aside again by the node itself, it says why by the innermost cause (the JSON parser's, here), not by
        // the listener's exceptions around it
        Map<String, Object> again = deadLetters(admin, JINGBALU_COMMUNITY).stream()
                .filter(m -> unreadable.toString().equals(m.get("eventId"))).findFirst().orElseThrow();
        assertThat((String) again.get("reason")).startsWith("tools.jackson").doesNotStartWith("org.springframework.kafka");
        assertThat((String) again.get("message")).isNotBlank();
        // sent again once more: only what is still pending goes, not the note applied meanwhile
        Map<?, ?> secondTime = admin.post().uri("/api/units/{u}/dead-letters/replay", JINGBALU_COMMUNITY).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(((List<?>) secondTime.get("deadLetters")).stream().map(d -> String.valueOf(((Map<?, ?>) d).get("eventId"))))
                .contains(unreadable.toString()).doesNotContain(mended.toString());
        assertThat(countEntries(Tier.COMMUNITY, JINGBALU_COMMUNITY, id, "NOTE")).isEqualTo(1);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> deadLetters(WebTestClient as, String unit) {
        return as.get().uri("/api/units/{u}/dead-letters", unit).exchange()
                .expectStatus().isOk().expectBodyList(Map.class).returnResult().getResponseBody().stream()
                .map(m -> (Map<String, Object>) m).toList();
    }

    private static List<String> deadLetterIds(WebTestClient as, String unit) {
        return deadLetters(as, unit).stream().map(m -> String.valueOf(m.get("eventId"))).toList();
    }

    @Test
    void aBadEventBetweenGoodOnesGoesToTheDeadLetterTopicAndTheGoodOnesAreApplied() throws Exception {
        // a node applies a poll's records in one transaction: a bad one among them must neither take the good ones
        // down with it nor let them be applied twice
        String id = api.reportCase(JINGBALU_COMMUNITY, "a poll with a bad event in it");
        api.act(JINGBALU_COMMUNITY, id, "ACCEPT");
        UUID badId = UUID.randomUUID();
        List<UUID> good = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        try (KafkaProducer<String, byte[]> producer = platform.producer()) {
            // back to back under one key (one partition), so that the consumer most likely polls them together
            producer.send(handMadeEvent(Tier.COMMUNITY.inboxTopic(), JINGBALU_COMMUNITY, good.get(0),
                    "gridlink.case.progressed.v1", note(id, "first")));
            producer.send(handMadeEvent(Tier.COMMUNITY.inboxTopic(), JINGBALU_COMMUNITY, good.get(1),
                    "gridlink.case.progressed.v1", note(id, "second")));
            producer.send(handMadeEvent(Tier.COMMUNITY.inboxTopic(), JINGBALU_COMMUNITY, badId,
                    "gridlink.case.progressed.v1", "{ this is not json"));
            producer.send(handMadeEvent(Tier.COMMUNITY.inboxTopic(), JINGBALU_COMMUNITY, good.get(2),
                    "gridlink.case.progressed.v1", note(id, "third")));
            producer.flush();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(headersOnTopic(Tier.COMMUNITY.deadLetterTopic())).contains(badId.toString()));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(countEntries(Tier.COMMUNITY, JINGBALU_COMMUNITY, id, "NOTE")).isEqualTo(3));
        for (UUID g : good) {
            assertThat(inboxed(Tier.COMMUNITY, g)).isEqualTo(1);
        }
        assertThat(inboxed(Tier.COMMUNITY, badId)).isZero();
        assertThat(headersOnTopic(Tier.COMMUNITY.deadLetterTopic())).doesNotContainAnyElementsOf(
                good.stream().map(UUID::toString).toList());
        assertThat(api.find(JINGBALU_COMMUNITY, id).get("status")).isEqualTo("ACCEPTED");
    }

    @Test
    void aMalformedUnitReportGoesToTheDeadLetterTopicAndTheUnitsLaterReportsAreStillKept() throws Exception {
        // the unit reports' listener takes a poll's reports together (issue 8): a bad one must not hold up its
        // partition, where the same unit's next reports follow it
        UUID badId = UUID.randomUUID();
        try (KafkaProducer<String, byte[]> producer = platform.producer()) {
            producer.send(handMadeEvent("gridlink.unit-reports", JINGBALU_COMMUNITY, badId, "gridlink.unit.reported.v1",
                    "{ this is not a report")).get();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(headersOnTopic("gridlink.unit-reports.dlt")).contains(badId.toString()));
        long afterTheBadOne = keptSequence(Tier.TOWNSHIP, JINGBALU_COMMUNITY);
        api.reportCase(JINGBALU_COMMUNITY, "a case after a malformed report");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(keptSequence(Tier.TOWNSHIP, JINGBALU_COMMUNITY)).isGreaterThan(afterTheBadOne));
    }

    @Test
    void theUnitReportsSetAsideAreListedWhereTheyWereForUntilANewerReportOvertakesThem() throws Exception {
        // a report the township's node could not read (its real listener sets it aside), one overtaken since (a report
        // of the community at a sequence the township already passed, as if set aside before the newer came), and a
        // report to the district, which the township's node never keeps
        UUID unreadable = UUID.randomUUID();
        UUID overtaken = UUID.randomUUID();
        UUID notHere = UUID.randomUUID();
        api.reportCase(JINGBALU_COMMUNITY, "a case, so that the community reports");
        await().atMost(Duration.ofSeconds(30)).until(() -> keptSequence(Tier.TOWNSHIP, JINGBALU_COMMUNITY) > 0);
        try (KafkaProducer<String, byte[]> producer = platform.producer()) {
            producer.send(handMadeEvent("gridlink.unit-reports", JINGBALU_COMMUNITY, unreadable,
                    "gridlink.unit.reported.v1", "{ not a report either")).get();
            producer.send(handMadeEvent("gridlink.unit-reports.dlt", JINGBALU_COMMUNITY, overtaken,
                    "gridlink.unit.reported.v1", "{\"unit\":\"" + JINGBALU_COMMUNITY + "\",\"sequence\":0}")).get();
            producer.send(handMadeEvent("gridlink.unit-reports.dlt", JINGBALU, notHere,
                    "gridlink.unit.reported.v1", "{ set aside by the district's node }")).get();
        }
        WebTestClient admin = platform.gatewayAs("admin.410100000000");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(deadLetterIds(admin, JINGBALU)).contains(unreadable.toString()));
        Map<String, Object> listed = deadLetters(admin, JINGBALU).stream()
                .filter(m -> unreadable.toString().equals(m.get("eventId"))).findFirst().orElseThrow();
        assertThat(listed).containsEntry("topic", "gridlink.unit-reports").containsEntry("unit", JINGBALU_COMMUNITY)
                .containsEntry("type", "gridlink.unit.reported.v1");
        assertThat((String) listed.get("reason")).startsWith("tools.jackson");
        assertThat(deadLetterIds(admin, JINGBALU)).doesNotContain(overtaken.toString(), notHere.toString());
        // set aside by the township's node, it is not listed by the community's, which reads the community's records
        assertThat(deadLetterIds(admin, JINGBALU_COMMUNITY)).doesNotContain(unreadable.toString());

        // sent again, it goes to the township node's own listener (not to the compacted topic, where it would stand as
        // the community's latest report), fails again at once, says why, and stays set aside
        Map<?, ?> again = admin.post().uri("/api/units/{u}/dead-letters/replay", JINGBALU).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        List<?> failed = (List<?>) again.get("failed");
        assertThat(failed.stream().map(d -> String.valueOf(((Map<?, ?>) d).get("eventId")))).contains(unreadable.toString());
        assertThat(((List<?>) again.get("deadLetters")).stream().map(d -> String.valueOf(((Map<?, ?>) d).get("eventId"))))
                .doesNotContain(unreadable.toString());
        assertThat(deadLetterIds(admin, JINGBALU)).contains(unreadable.toString());
        assertThat(TopicReader.readAll(platform.kafka().bootstrapServers(), "gridlink.unit-reports").stream()
                .filter(r -> unreadable.toString().equals(TopicReader.header(r, "ce_id")))).hasSize(1);
        // counted as waiting on the township's node, in the gauge an operator's alert reads (the overtaken one not)
        Map<String, Integer> waiting = waitingOn(Tier.TOWNSHIP);
        assertThat(waiting.get("gridlink.unit-reports")).isGreaterThanOrEqualTo(1);
        assertThat(platform.node(Tier.TOWNSHIP).getBean(MeterRegistry.class).get("gridlink.dead-letters.pending")
                .tag("topic", "gridlink.unit-reports").gauge().value()).isEqualTo(waiting.get("gridlink.unit-reports").doubleValue());
        assertThat(waiting).containsKeys(Tier.TOWNSHIP.inboxTopic(), "gridlink.calendar");
    }

    /** The dead letters waiting on a tier's node, by topic, counted now. */
    private static Map<String, Integer> waitingOn(Tier tier) {
        return platform.node(tier).getBean(DeadLetterCount.class).count().block(Duration.ofSeconds(60));
    }

    @Test
    void aYearOfTheCalendarSetAsideIsListedOnEveryNodeThatHasNotKeptItAndKeptThereWhenSentAgain() throws Exception {
        // the city's publication of a year (made up for the test, far from every other test's clock), as a node whose
        // database was down would have set it aside after its retries; no node has kept the year
        UUID id = UUID.randomUUID();
        String body = """
                {"city":"410100000000","year":2036,"revision":1,"source":"测试通知 (made up for DeliveryGuaranteesIT)",
                 "holidays":[{"name":"测试假日","nameEn":"Test holiday","from":"2036-03-03","to":"2036-03-04"}],
                 "workingDays":[],"publishedBy":"admin.410100000000","publishedAt":"2036-01-02T03:04:05Z"}""";
        try (KafkaProducer<String, byte[]> producer = platform.producer()) {
            ProducerRecord<String, byte[]> letter = handMadeEvent("gridlink.calendar.dlt", "2036", id,
                    "gridlink.calendar.published.v1", body);
            letter.headers().remove("ce_source").add("ce_source", "/units/410100000000".getBytes(StandardCharsets.UTF_8));
            letter.headers().add("gridlink_dlt-cause-class",
                    "org.springframework.dao.DataAccessResourceFailureException".getBytes(StandardCharsets.UTF_8));
            producer.send(letter).get();
        }
        WebTestClient admin = platform.gatewayAs("admin.410100000000");
        Map<String, Object> listed = deadLetters(admin, JINGBALU_COMMUNITY).stream()
                .filter(m -> id.toString().equals(m.get("eventId"))).findFirst().orElseThrow();
        assertThat(listed).containsEntry("topic", "gridlink.calendar").containsEntry("unit", "410100000000")
                .containsEntry("reason", "org.springframework.dao.DataAccessResourceFailureException");
        assertThat(keptRevision(Tier.COMMUNITY, 2036)).isZero();
        int waitingBefore = waitingOn(Tier.COMMUNITY).get("gridlink.calendar");
        assertThat(waitingBefore).isGreaterThanOrEqualTo(1);

        // sent again at the community, its node keeps the year (and no other node reads it again from the topic)
        Map<?, ?> again = admin.post().uri("/api/units/{u}/dead-letters/replay", JINGBALU_COMMUNITY).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(((List<?>) again.get("deadLetters")).stream().map(d -> String.valueOf(((Map<?, ?>) d).get("eventId"))))
                .contains(id.toString());
        assertThat(keptRevision(Tier.COMMUNITY, 2036)).isEqualTo(1);
        assertThat(deadLetterIds(admin, JINGBALU_COMMUNITY)).doesNotContain(id.toString());
        assertThat(waitingOn(Tier.COMMUNITY).get("gridlink.calendar")).isEqualTo(waitingBefore - 1);
        assertThat(TopicReader.readAll(platform.kafka().bootstrapServers(), "gridlink.calendar").stream()
                .filter(r -> "2036".equals(r.key()))).isEmpty();
        // the township's node has not kept it: listed there until sent again there
        assertThat(keptRevision(Tier.TOWNSHIP, 2036)).isZero();
        assertThat(deadLetterIds(admin, JINGBALU)).contains(id.toString());
        // sent again by itself there (eventId): only it goes
        Map<?, ?> one = admin.post().uri("/api/units/{u}/dead-letters/replay?eventId={e}", JINGBALU, id).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(one.get("count")).isEqualTo(1);
        assertThat(((List<?>) one.get("deadLetters")).stream().map(d -> String.valueOf(((Map<?, ?>) d).get("eventId"))))
                .containsExactly(id.toString());
        assertThat(keptRevision(Tier.TOWNSHIP, 2036)).isEqualTo(1);
        // once kept, it waits there no more: by itself it is not found; an id that is none is refused
        admin.post().uri("/api/units/{u}/dead-letters/replay?eventId={e}", JINGBALU, id).exchange()
                .expectStatus().isNotFound().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d)
                        .startsWith("no dead letter of event " + id + " waits for " + JINGBALU));
        admin.post().uri("/api/units/{u}/dead-letters/replay?eventId=not-an-id", JINGBALU).exchange()
                .expectStatus().isBadRequest().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        for (String unit : List.of("410105000000", "410100000000")) {
            admin.post().uri("/api/units/{u}/dead-letters/replay", unit).exchange().expectStatus().isOk();
        }
        for (Tier tier : Tier.values()) {
            assertThat(keptRevision(tier, 2036)).as(tier.id()).isEqualTo(1);
        }
        assertThat(deadLetterIds(admin, JINGBALU)).doesNotContain(id.toString());
    }

    /** The revision of the year the tier's node keeps; 0 without one. */
    private static int keptRevision(Tier tier, int year) throws Exception {
        try (Connection c = platform.jdbc(TestPlatform.database(tier));
             PreparedStatement s = c.prepareStatement("select revision from calendar_year where year = ?")) {
            s.setInt(1, year);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }

    /** The sequence of the unit's report the tier's node keeps; -1 without one. */
    private static long keptSequence(Tier tier, String unit) throws Exception {
        try (Connection c = platform.jdbc(TestPlatform.database(tier));
             PreparedStatement s = c.prepareStatement("select sequence from unit_report where unit_code = ?")) {
            s.setString(1, unit);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    private static String note(String caseId, String text) {
        return """
                {"caseId":"%s","fromUnit":"%s","toUnit":"%s","status":"REPORTED",
                 "entry":{"id":"%s","at":"%s","unitCode":"%s","actor":"officer","action":"NOTE","note":"%s"}}
                """.formatted(caseId, JINGBALU, JINGBALU_COMMUNITY, UUID.randomUUID(), Instant.now(), JINGBALU, text);
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private static void restartCommunity(HoldingRelayHook hook) {
        platform.crashNode(Tier.COMMUNITY);
        platform.startNode(Tier.COMMUNITY, hook);
    }

    private static long deliveriesOnTopic(String topic, String caseId, String type) {
        return TopicReader.readAll(platform.kafka().bootstrapServers(), topic).stream()
                .filter(r -> type.equals(TopicReader.header(r, "ce_type")) && caseId.equals(TopicReader.header(r, "ce_subject")))
                .map(r -> TopicReader.header(r, "ce_id")).count();
    }

    private static List<String> headersOnTopic(String topic) {
        return TopicReader.readAll(platform.kafka().bootstrapServers(), topic).stream().map(r -> TopicReader.header(r, "ce_id")).toList();
    }


    private static int countEntries(Tier tier, String unit, String caseId, String action) throws Exception {
        try (Connection c = platform.jdbc(TestPlatform.database(tier));
             PreparedStatement s = c.prepareStatement(
                     "select count(*) from timeline_entry where unit_code = ? and case_id = ? and action = ?")) {
            s.setString(1, unit);
            s.setObject(2, UUID.fromString(caseId));
            s.setString(3, action);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static int inboxed(Tier tier, UUID eventId) throws Exception {
        try (Connection c = platform.jdbc(TestPlatform.database(tier));
             PreparedStatement s = c.prepareStatement("select count(*) from inbox where event_id = ?")) {
            s.setObject(1, eventId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static long unpublished(Tier tier) throws Exception {
        try (Connection c = platform.jdbc(TestPlatform.database(tier));
             ResultSet rs = c.createStatement().executeQuery("select count(*) from outbox where published_at is null")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
