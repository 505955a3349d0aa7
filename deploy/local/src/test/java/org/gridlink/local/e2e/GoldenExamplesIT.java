package org.gridlink.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.gridlink.local.e2e.CrossTierFlowIT.JINGBALU;
import static org.gridlink.local.e2e.CrossTierFlowIT.JINGBALU_COMMUNITY;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.gridlink.contracts.Tier;
import org.gridlink.contracts.UnitCode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Consumer side of the contracts: every golden example in contracts/examples goes through the real listener
 * path of the tier it is addressed to (deserialisation, inbox, state change) and is accepted; an example with
 * an unknown field and an unknown enum value is accepted too (tolerant reader); one missing a required field
 * goes to the dead-letter topic. The calendar's examples go to its topic, which every node reads.
 */
class GoldenExamplesIT {

    static final ObjectMapper JSON = new ObjectMapper();
    /** A header on the examples this test sends, so that the producer-side check knows they are not the nodes'. */
    static final String MARK = "gridlink-test-origin";
    static TestPlatform platform;
    static Api api;

    @BeforeAll
    static void platform() {
        platform = TestPlatform.get();
        api = new Api(platform);
    }

    @Test
    void escalationAndDispatchExamplesCreateRecordsAtTheirTargets() throws Exception {
        JsonNode full = example("case-escalated/v1/full.json");
        send(full);
        String caseId = full.path("body").path("caseId").asText();
        var record = api.awaitStatus(JINGBALU, caseId, "REPORTED");
        assertThat(record.get("title")).isEqualTo(full.path("body").path("case").path("title").asText());
        assertThat(record.get("gridCode")).isEqualTo("410105001001-01");
        // the history that came with it, the escalation itself and the receipt
        assertThat(Api.timeline(record)).extracting(e -> e.get("action")).containsExactly("REPORT", "ACCEPT", "ESCALATE", "RECEIVE");
        accepted(example("case-escalated/v1/minimal.json"));

        // its due time moved to a day to come: the example's (2026-11-27) has long passed, and a record overdue past its
        // category's grace period is escalated by the node's next overdue scan, which could come before the check
        JsonNode dispatched = example("case-dispatched/v1/full.json").deepCopy();
        String due = Instant.now().plus(Duration.ofDays(3)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        ((ObjectNode) dispatched.path("body")).put("dueAt", due);
        send(dispatched);
        var atChild = api.awaitStatus(dispatched.path("key").asText(), dispatched.path("body").path("caseId").asText(), "REPORTED");
        assertThat(atChild.get("origin")).isEqualTo("DISPATCH");
        assertThat(atChild.get("dueAt")).isEqualTo(due);
        accepted(example("case-dispatched/v1/minimal.json"));
    }

    @Test
    void returnAndProgressExamplesApplyToAnExistingRecord() throws Exception {
        String id = api.reportCase(JINGBALU_COMMUNITY, "golden: returned");
        api.act(JINGBALU_COMMUNITY, id, "ACCEPT");
        api.act(JINGBALU_COMMUNITY, id, "ESCALATE", "up", null);
        api.awaitStatus(JINGBALU, id, "REPORTED");

        accepted(withCase(example("case-progressed/v1/minimal.json"), id));
        accepted(withCase(example("case-progressed/v1/full.json"), id));
        // a note (COMMENT, 留言): kept in the timeline, the record as it was
        JsonNode comment = withCase(example("case-progressed/v1/comment.json"), id);
        accepted(comment);
        var commented = api.find(JINGBALU_COMMUNITY, id);
        assertThat(commented.get("status")).isEqualTo("ESCALATED");
        assertThat(Api.timeline(commented)).anySatisfy(e -> {
            assertThat(e.get("action")).isEqualTo("COMMENT");
            assertThat(e.get("id")).isEqualTo(comment.path("body").path("entry").path("id").asText());
        });
        // tolerant reader: an unknown field and an unknown status value are accepted
        accepted(withCase(example("case-progressed/v1/tolerated/unknown-field-and-enum.json"), id));
        accepted(withCase(example("case-returned/v1/full.json"), id));
        assertThat(api.awaitStatus(JINGBALU_COMMUNITY, id, "RETURNED").get("allowedActions")).asList().contains("START");
        accepted(withCase(example("case-returned/v1/minimal.json"), id));
        // the township's own record did not return it (the golden messages spoke for it): it does now, for real
        api.act(JINGBALU, id, "RETURN", "returned (golden message test)", null);
    }

    @Test
    void overdueExamplesAreKeptByTheUnitTheyAreSentTo() throws Exception {
        // a township's verification clock (核查) told to the city, as the acceptance and handling clocks are
        for (String name : List.of("full", "minimal", "verification")) {
            JsonNode example = withCase(example("case-overdue/v1/" + name + ".json"), UUID.randomUUID().toString());
            accepted(example);
            String to = example.path("key").asText();
            String caseId = example.path("body").path("caseId").asText();
            // the whole list: its example's detectedAt is older than what the other tests' moved clock has found
            // overdue since in the same subtree, which the default page of 20 (newest first) lists before it
            List<?> listed = platform.gatewayAs("supervisor." + to).get().uri("/api/units/{u}/cases/overdue?limit=200", to)
                    .exchange().expectStatus().isOk().expectBody(List.class).returnResult().getResponseBody();
            assertThat(listed).as("%s's overdue list", to)
                    .anySatisfy(n -> assertThat(((java.util.Map<?, ?>) n).get("caseId")).isEqualTo(caseId));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void noticeExamplesAreKeptByTheUnitsTheyAreSentTo() throws Exception {
        // a notice issued: kept by the unit it is sent to, to sign for
        for (String name : List.of("full", "minimal")) {
            JsonNode example = withNotice(example("notice-issued/v1/" + name + ".json"), UUID.randomUUID().toString());
            accepted(example);
            String to = example.path("key").asText();
            java.util.Map<String, Object> received = platform.gatewayAs("supervisor." + to).get()
                    .uri("/api/units/{u}/notices/{id}", to, example.path("body").path("noticeId").asText()).exchange()
                    .expectStatus().isOk().expectBody(java.util.Map.class).returnResult().getResponseBody();
            assertThat(received).containsEntry("title", example.path("body").path("title").asText())
                    .containsEntry("fromUnit", example.path("body").path("fromUnit").asText())
                    .containsEntry("signedAt", null);
        }
        // a reminder from a unit between (逐级催签), come before the district's notice itself: the notice is kept from it,
        // the reminder counted apart from the issuer's; the notice coming after changes neither
        String pressed = UUID.randomUUID().toString();
        JsonNode reminder = withNotice(example("notice-issued/v1/reminded-by-a-unit-between.json"), pressed);
        accepted(reminder);
        String toUnit = reminder.path("key").asText();
        java.util.Map<String, Object> counted = platform.gatewayAs("supervisor." + toUnit).get()
                .uri("/api/units/{u}/notices/{id}", toUnit, pressed).exchange().expectStatus().isOk()
                .expectBody(java.util.Map.class).returnResult().getResponseBody();
        assertThat(counted).containsEntry("title", reminder.path("body").path("title").asText())
                .containsEntry("fromUnit", reminder.path("body").path("fromUnit").asText())
                .containsEntry("remindersBetween", 1).containsEntry("reminders", 0);
        accepted(withNotice(example("notice-issued/v1/full.json"), pressed));
        assertThat(platform.gatewayAs("supervisor." + toUnit).get().uri("/api/units/{u}/notices/{id}", toUnit, pressed)
                .exchange().expectStatus().isOk().expectBody(java.util.Map.class).returnResult().getResponseBody())
                .containsEntry("remindersBetween", 1).containsEntry("signedAt", null);
        // the issuer's node's reminder when the time to sign by passed (逾期自动催签): counted as the issuer's, and
        // told apart from a person's by when the node sent it
        String late = UUID.randomUUID().toString();
        accepted(withNotice(example("notice-issued/v1/full.json"), late));
        JsonNode lateReminder = withNotice(example("notice-issued/v1/reminded-when-late.json"), late);
        accepted(lateReminder);
        String lateTo = lateReminder.path("key").asText();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(platform.gatewayAs("supervisor." + lateTo)
                .get().uri("/api/units/{u}/notices/{id}", lateTo, late).exchange().expectStatus().isOk()
                .expectBody(java.util.Map.class).returnResult().getResponseBody())
                .containsEntry("reminders", 1).containsEntry("signedAt", null)
                .containsEntry("lateRemindedAt", lateReminder.path("body").path("lateRemindedAt").asText()));
        // a withdrawal: kept on the notice the unit received (the issued example sent to the same unit first)
        for (String name : List.of("full", "minimal")) {
            String id = UUID.randomUUID().toString();
            JsonNode withdrawal = withNotice(example("notice-withdrawn/v1/" + name + ".json"), id);
            String to = withdrawal.path("key").asText();
            ObjectNode issued = (ObjectNode) withNotice(example("notice-issued/v1/full.json"), id);
            issued.put("key", to);
            ((ObjectNode) issued.path("body")).put("toUnit", to);
            accepted(issued);
            accepted(withdrawal);
            java.util.Map<String, Object> kept = platform.gatewayAs("supervisor." + to).get()
                    .uri("/api/units/{u}/notices/{id}", to, id).exchange().expectStatus().isOk()
                    .expectBody(java.util.Map.class).returnResult().getResponseBody();
            assertThat(kept).containsEntry("withdrawReason", withdrawal.path("body").path("reason").asText())
                    .containsEntry("late", false);
        }
        // a signature: kept on the issuer's receipt of a notice it issued (made here through the API)
        for (String name : List.of("full", "minimal")) {
            JsonNode template = example("notice-signed/v1/" + name + ".json");
            String issuer = template.path("key").asText();
            String signer = template.path("body").path("fromUnit").asText();
            String id = (String) platform.gatewayAs("supervisor." + issuer).post().uri("/api/units/{u}/notices", issuer)
                    .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                    .bodyValue(java.util.Map.of("title", "golden: " + name, "body", "a notice to sign")).exchange()
                    .expectStatus().isCreated().expectBody(java.util.Map.class).returnResult().getResponseBody().get("id");
            accepted(withNotice(template, id));
            java.util.Map<String, Object> sent = platform.gatewayAs("supervisor." + issuer).get()
                    .uri("/api/units/{u}/notices/sent/{id}", issuer, id).exchange().expectStatus().isOk()
                    .expectBody(java.util.Map.class).returnResult().getResponseBody();
            assertThat((List<java.util.Map<String, Object>>) sent.get("receipts"))
                    .filteredOn(r -> signer.equals(r.get("unitCode"))).singleElement()
                    .satisfies(r -> assertThat(r.get("signedBy"))
                            .isEqualTo(template.path("body").path("signedBy").asText()));
        }
        // a signature to a unit between the issuer and the signer: the township follows its community's signature of
        // the district's notice (it received the notice too)
        JsonNode between = example("notice-signed/v1/to-a-unit-between.json");
        String township = between.path("key").asText();
        String issuer = between.path("body").path("issuer").asText();
        String signer = between.path("body").path("fromUnit").asText();
        String id = (String) platform.gatewayAs("supervisor." + issuer).post().uri("/api/units/{u}/notices", issuer)
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .bodyValue(java.util.Map.of("title", "golden: between", "body", "a notice to every community")).exchange()
                .expectStatus().isCreated().expectBody(java.util.Map.class).returnResult().getResponseBody().get("id");
        accepted(withNotice(between, id));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            java.util.Map<String, Object> atTownship = platform.gatewayAs("supervisor." + township).get()
                    .uri("/api/units/{u}/notices/{id}", township, id).exchange().expectStatus().isOk()
                    .expectBody(java.util.Map.class).returnResult().getResponseBody();
            assertThat((List<java.util.Map<String, Object>>) atTownship.get("below"))
                    .filteredOn(r -> signer.equals(r.get("unitCode"))).singleElement()
                    .satisfies(r -> assertThat(r.get("signedBy")).isEqualTo(between.path("body").path("signedBy").asText()));
        });
    }

    static JsonNode withNotice(JsonNode example, String noticeId) {
        return withSubject(example, "noticeId", noticeId);
    }

    @Test
    void anExampleMissingARequiredFieldGoesToTheDeadLetterTopic() throws Exception {
        String id = api.reportCase(JINGBALU_COMMUNITY, "golden: invalid");
        JsonNode invalid = withCase(example("case-progressed/v1/invalid/missing-entry.json"), id);
        send(invalid);
        String eventId = invalid.path("headers").path("ce_id").asText();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(TopicReader.readAll(platform.kafka().bootstrapServers(), Tier.COMMUNITY.deadLetterTopic()))
                        .anyMatch(r -> eventId.equals(TopicReader.header(r, "ce_id"))));
        assertThat(inboxed(Tier.COMMUNITY, eventId)).isZero();
    }

    /** Sends the example and waits until the target tier's inbox recorded it as applied. */
    @Test
    void calendarExamplesAreKeptByEveryNodeByTheirRevision() throws Exception {
        // the full example is 2026 as its notice sets it (the seeds' days), revision 2: every node keeps it, and the
        // days its time limits run on stay as they were for every other test
        send(example("calendar-published/v1/full.json"), "gridlink.calendar");
        for (Tier tier : Tier.values()) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(calendarYear(tier, 2026)).containsExactly(2, 7, 6));
        }
        // the minimal one is an older revision of the year (only its 元旦): read, and nothing changes
        java.util.Map<Tier, Double> before = new java.util.EnumMap<>(Tier.class);
        for (Tier tier : Tier.values()) {
            before.put(tier, olderIgnored(tier));
        }
        send(example("calendar-published/v1/minimal.json"), "gridlink.calendar");
        for (Tier tier : Tier.values()) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(olderIgnored(tier)).isGreaterThan(before.get(tier)));
            assertThat(calendarYear(tier, 2026)).containsExactly(2, 7, 6);
        }
    }

    /** A year of the calendar as the tier's node keeps it: its revision, its holidays and make-up days counted. */
    static List<Integer> calendarYear(Tier tier, int year) throws Exception {
        try (Connection c = TestPlatform.get().jdbc(TestPlatform.database(tier));
             PreparedStatement s = c.prepareStatement("select revision, jsonb_array_length(holidays),"
                     + " jsonb_array_length(working_days) from calendar_year where year = ?")) {
            s.setInt(1, year);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? List.of(rs.getInt(1), rs.getInt(2), rs.getInt(3)) : List.of();
            }
        }
    }

    /** The publications of a year the tier's node read and did not keep (not newer than the one it has). */
    static double olderIgnored(Tier tier) {
        return platform.node(tier).getBean(io.micrometer.core.instrument.MeterRegistry.class)
                .counter("gridlink.calendar.received", "kept", "false").count();
    }

    static void accepted(JsonNode example) throws Exception {
        send(example);
        String eventId = example.path("headers").path("ce_id").asText();
        Tier tier = UnitCode.of(example.path("key").asText()).tier();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(inboxed(tier, eventId)).isEqualTo(1));
    }

    static JsonNode withCase(JsonNode example, String caseId) {
        return withSubject(example, "caseId", caseId);
    }

    /** The example about another subject (its body's {@code field} and {@code ce_subject}), under a fresh event id. */
    static JsonNode withSubject(JsonNode example, String field, String id) {
        ObjectNode copy = example.deepCopy();
        ((ObjectNode) copy.path("body")).put(field, id);
        ((ObjectNode) copy.path("headers")).put("ce_subject", id);
        // a fresh event id each time, so that the same example can be fed in more than one test run of a JVM
        ((ObjectNode) copy.path("headers")).put("ce_id", UUID.randomUUID().toString());
        return copy;
    }

    static JsonNode example(String path) throws IOException {
        try (InputStream in = GoldenExamplesIT.class.getClassLoader().getResourceAsStream("contracts/examples/" + path)) {
            assertThat(in).as("golden example %s", path).isNotNull();
            return JSON.readTree(in);
        }
    }

    static void send(JsonNode example) throws Exception {
        send(example, UnitCode.of(example.path("key").asText()).tier().inboxTopic());
    }

    static void send(JsonNode example, String topic) throws Exception {
        String key = example.path("key").asText();
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key,
                JSON.writeValueAsBytes(example.path("body")));
        example.path("headers").fields().forEachRemaining(h ->
                record.headers().add(h.getKey(), h.getValue().asText().getBytes(StandardCharsets.UTF_8)));
        record.headers().add(MARK, "golden-example".getBytes(StandardCharsets.UTF_8));
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestPlatform.get().kafka().bootstrapServers());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(record).get();
        }
    }

    static int inboxed(Tier tier, String eventId) throws Exception {
        try (Connection c = TestPlatform.get().jdbc(TestPlatform.database(tier));
             PreparedStatement s = c.prepareStatement("select count(*) from inbox where event_id = ?")) {
            s.setObject(1, UUID.fromString(eventId));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
