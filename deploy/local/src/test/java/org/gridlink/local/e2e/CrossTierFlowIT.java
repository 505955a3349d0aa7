package org.gridlink.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.gridlink.contracts.Tier;
import org.gridlink.contracts.UnitCode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The foundation's flows end to end: through the gateway, four nodes with their own databases, a real broker; and a
 * change's trace following its events across the tiers (docs/tracing.md).
 */
class CrossTierFlowIT {

    // 经八路街道办事处 and two of its communities; 花园路街道办事处 (a sibling township) and one of its communities
    static final String CITY = "410100000000";
    static final String JINSHUI = "410105000000";
    static final String JINGBALU = "410105001000";
    static final String JINGBALU_COMMUNITY = "410105001001";
    static final String SHENGWEI_COMMUNITY = "410105001002";
    static final String HUAYUANLU = "410105002000";
    static final String HUAYUANLU_COMMUNITY = "410105002001";

    /** A W3C traceparent: version 00, trace id, parent span id, flags. */
    static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
    static final JsonMapper JSON = JsonMapper.builder().build();

    static TestPlatform platform;
    static Api api;

    @BeforeAll
    static void platform() {
        platform = TestPlatform.get();
        api = new Api(platform);
    }

    @Test
    void aCaseClimbsToTheCityIsDispatchedDownAnotherBranchAndClosesEverywhere() throws Exception {
        String id = api.reportCase(JINGBALU_COMMUNITY, "违建 on the roof of block 3");
        api.act(JINGBALU_COMMUNITY, id, "ACCEPT");
        api.act(JINGBALU_COMMUNITY, id, "ESCALATE", "beyond the community's powers", null);

        api.awaitStatus(JINGBALU, id, "REPORTED");
        api.act(JINGBALU, id, "ACCEPT");
        api.act(JINGBALU, id, "ESCALATE", "needs the district", null);

        api.awaitStatus(JINSHUI, id, "REPORTED");
        api.act(JINSHUI, id, "ACCEPT");
        api.act(JINSHUI, id, "ESCALATE", "city-wide campaign case", null);

        Map<String, Object> atCity = api.awaitStatus(CITY, id, "REPORTED");
        assertThat(atCity.get("origin")).isEqualTo("ESCALATION");
        assertThat(atCity.get("chain")).isEqualTo(List.of(JINGBALU_COMMUNITY, JINGBALU, JINSHUI, CITY));
        api.act(CITY, id, "ACCEPT");
        api.act(CITY, id, "DISPATCH", "金水区 to handle within 48 hours", JINSHUI);

        Map<String, Object> backAtDistrict = api.awaitStatus(JINSHUI, id, "REPORTED");
        assertThat(backAtDistrict.get("origin")).isEqualTo("DISPATCH");
        assertThat(backAtDistrict.get("dispatchedBy")).isEqualTo(CITY);
        api.act(JINSHUI, id, "ACCEPT");
        api.act(JINSHUI, id, "DISPATCH", "花园路 office is responsible", HUAYUANLU);

        api.awaitStatus(HUAYUANLU, id, "REPORTED");
        api.act(HUAYUANLU, id, "ACCEPT");
        api.act(HUAYUANLU, id, "DISPATCH", "community to clear it", HUAYUANLU_COMMUNITY);

        api.awaitStatus(HUAYUANLU_COMMUNITY, id, "REPORTED");
        api.act(HUAYUANLU_COMMUNITY, id, "ACCEPT");
        api.act(HUAYUANLU_COMMUNITY, id, "START");
        api.act(HUAYUANLU_COMMUNITY, id, "RESOLVE", "structure removed, photos taken", null);

        api.awaitStatus(HUAYUANLU, id, "RESOLVED");
        api.act(HUAYUANLU, id, "VERIFY");
        api.awaitStatus(JINSHUI, id, "RESOLVED");
        api.act(JINSHUI, id, "VERIFY");
        Map<String, Object> resolvedAtCity = api.awaitStatus(CITY, id, "RESOLVED");
        assertThat(resolvedAtCity.get("resolution")).asString().contains("structure removed");
        api.act(CITY, id, "VERIFY");
        api.act(CITY, id, "CLOSE");

        for (String unit : List.of(CITY, JINSHUI, JINGBALU, JINGBALU_COMMUNITY, HUAYUANLU, HUAYUANLU_COMMUNITY)) {
            api.awaitStatus(unit, id, "CLOSED");
        }

        // each unit's record is in its own tier's database
        assertThat(statusesIn(Tier.COMMUNITY, id)).containsOnlyKeys(JINGBALU_COMMUNITY, HUAYUANLU_COMMUNITY)
                .containsValues("CLOSED");
        assertThat(statusesIn(Tier.TOWNSHIP, id)).containsOnlyKeys(JINGBALU, HUAYUANLU).containsValues("CLOSED");
        assertThat(statusesIn(Tier.DISTRICT, id)).containsOnlyKeys(JINSHUI).containsValues("CLOSED");
        assertThat(statusesIn(Tier.CITY, id)).containsOnlyKeys(CITY).containsValues("CLOSED");

        // the originating community sees the whole history, from every tier, once each
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Object> origin = api.find(JINGBALU_COMMUNITY, id);
            List<Map<String, Object>> timeline = Api.timeline(origin);
            assertThat(timeline).extracting(e -> e.get("unitCode")).contains(CITY, JINSHUI, JINGBALU, HUAYUANLU,
                    HUAYUANLU_COMMUNITY, JINGBALU_COMMUNITY);
            assertThat(timeline).filteredOn(e -> e.get("action").equals("RESOLVE"))
                    .singleElement().satisfies(e -> assertThat(e.get("unitCode")).isEqualTo(HUAYUANLU_COMMUNITY));
            assertThat(timeline).filteredOn(e -> e.get("action").equals("CLOSE"))
                    .singleElement().satisfies(e -> assertThat(e.get("unitCode")).isEqualTo(CITY));
            assertThat(timeline).filteredOn(e -> e.get("action").equals("DISPATCH")).hasSize(3);
            assertThat(timeline).filteredOn(e -> e.get("action").equals("ESCALATE")).hasSize(3);
            assertThat(timeline).extracting(e -> e.get("id")).doesNotHaveDuplicates();
            assertThat(origin.get("chain")).isEqualTo(List.of(JINGBALU_COMMUNITY, JINGBALU, JINSHUI, CITY, JINSHUI,
                    HUAYUANLU, HUAYUANLU_COMMUNITY));
        });
    }

    @Test
    void aTownshipForwardsAnEscalationSidewaysToASiblingCommunityAndBothSeeTheOutcome() {
        String id = api.reportCase(JINGBALU_COMMUNITY, "Blocked fire lane at the border of two communities");
        api.act(JINGBALU_COMMUNITY, id, "ACCEPT");
        api.act(JINGBALU_COMMUNITY, id, "ESCALATE", "the lane belongs to 省委社区", null);

        api.awaitStatus(JINGBALU, id, "REPORTED");
        api.act(JINGBALU, id, "ACCEPT");
        api.act(JINGBALU, id, "DISPATCH", "省委社区 is responsible for this lane", SHENGWEI_COMMUNITY);

        api.awaitStatus(SHENGWEI_COMMUNITY, id, "REPORTED");
        api.act(SHENGWEI_COMMUNITY, id, "ACCEPT");
        api.act(SHENGWEI_COMMUNITY, id, "START");
        api.act(SHENGWEI_COMMUNITY, id, "RESOLVE", "cars moved, lane marked", null);

        api.awaitStatus(JINGBALU, id, "RESOLVED");
        api.act(JINGBALU, id, "VERIFY");
        api.act(JINGBALU, id, "CLOSE");

        Map<String, Object> origin = api.awaitStatus(JINGBALU_COMMUNITY, id, "CLOSED");
        Map<String, Object> sibling = api.awaitStatus(SHENGWEI_COMMUNITY, id, "CLOSED");
        assertThat(origin.get("resolution")).asString().contains("lane marked");
        assertThat(sibling.get("resolution")).asString().contains("lane marked");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(Api.timeline(api.find(JINGBALU_COMMUNITY, id)))
                        .anySatisfy(e -> {
                            assertThat(e.get("action")).isEqualTo("RESOLVE");
                            assertThat(e.get("unitCode")).isEqualTo(SHENGWEI_COMMUNITY);
                        }));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aNoteOnAnyRecordReachesEveryUnitOnTheChainAndMovesNothing() {
        String id = api.reportCase(JINGBALU_COMMUNITY, "Broken street lamp on 经八路, three nights dark");
        api.act(JINGBALU_COMMUNITY, id, "ACCEPT");
        api.act(JINGBALU_COMMUNITY, id, "ESCALATE", "the lamp is the district's", null);
        api.awaitStatus(JINGBALU, id, "REPORTED");
        api.act(JINGBALU, id, "ACCEPT");
        api.act(JINGBALU, id, "ESCALATE", "street lighting is the district's", null);
        Map<String, Object> atDistrict = api.awaitStatus(JINSHUI, id, "REPORTED");
        assertThat((List<String>) atDistrict.get("allowedActions")).contains("COMMENT");

        // 领导批示: the city's leader, who answers for 金水区 (分包), instructs on the district's record; 阶段反馈: the
        // district's supervisor says where it stands; 催办: the community, waiting, asks after it
        String instruction = "请区城管局今日内修复，市里关注";
        Map<String, Object> instructed = platform.gatewayAs("leader." + CITY).post()
                .uri("/api/units/{u}/cases/{id}/actions", JINSHUI, id).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("action", "COMMENT", "note", instruction)).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(instructed.get("status")).isEqualTo("REPORTED");
        api.act(JINSHUI, id, "COMMENT", "路灯所已派人，预计下午修好", null);
        Map<String, Object> asked = platform.gatewayAs("handler." + JINGBALU_COMMUNITY).post()
                .uri("/api/units/{u}/cases/{id}/actions", JINGBALU_COMMUNITY, id).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("action", "COMMENT", "note", "居民再次来电询问")).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(asked.get("status")).isEqualTo("ESCALATED");

        // every record of the chain holds the three notes, once each, and is as it was
        Map<String, String> statuses = Map.of(JINGBALU_COMMUNITY, "ESCALATED", JINGBALU, "ESCALATED", JINSHUI, "REPORTED");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> statuses.forEach((unit, status) -> {
            Map<String, Object> record = api.find(unit, id);
            assertThat(record.get("status")).as("at %s", unit).isEqualTo(status);
            List<Map<String, Object>> notes = Api.timeline(record).stream()
                    .filter(e -> "COMMENT".equals(e.get("action"))).toList();
            assertThat(notes).as("the notes at %s", unit).extracting(e -> e.get("note"))
                    .containsExactlyInAnyOrder(instruction, "路灯所已派人，预计下午修好", "居民再次来电询问");
            assertThat(notes).filteredOn(e -> instruction.equals(e.get("note"))).singleElement().satisfies(e -> {
                assertThat(e.get("actor")).isEqualTo("leader." + CITY);
                assertThat(e.get("unitCode")).isEqualTo(JINSHUI);
                assertThat(e.get("fromStatus")).isEqualTo("REPORTED");
                assertThat(e.get("toStatus")).isEqualTo("REPORTED");
            });
        }));
        assertThat(api.find(CITY, id)).as("the city holds no record of it").isNull();

        // refused: a note without text (422 naming it), by the city's leader on a district it does not answer for
        // (403), by a leader of a sibling township (403), on a closed record (409 saying why); nothing is added
        Api.problem(platform.gatewayAs("supervisor." + JINSHUI).post()
                .uri("/api/units/{u}/cases/{id}/actions", JINSHUI, id).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("action", "COMMENT", "note", "  ")).exchange(), 422, "note", "COMMENT needs a note");
        Api.problem(platform.gatewayAs("leader." + HUAYUANLU).post()
                .uri("/api/units/{u}/cases/{id}/actions", JINGBALU_COMMUNITY, id).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("action", "COMMENT", "note", "not mine")).exchange(), 403, null, null);
        api.act(JINSHUI, id, "ACCEPT");
        api.act(JINSHUI, id, "START");
        api.act(JINSHUI, id, "RESOLVE", "lamp replaced", null);
        api.act(JINSHUI, id, "VERIFY");
        api.act(JINSHUI, id, "CLOSE");
        Api.problem(platform.gatewayAs("supervisor." + JINSHUI).post()
                .uri("/api/units/{u}/cases/{id}/actions", JINSHUI, id).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("action", "COMMENT", "note", "after the close")).exchange(), 409, null,
                "cannot COMMENT a case that is CLOSED");
        assertThat(Api.timeline(api.find(JINSHUI, id))).filteredOn(e -> "COMMENT".equals(e.get("action"))).hasSize(3);
    }

    @Test
    void aParentReturnsAnEscalationAndTheChildHandlesItItself() {
        String id = api.reportCase(JINGBALU_COMMUNITY, "Loud music at night");
        api.act(JINGBALU_COMMUNITY, id, "ACCEPT");
        api.act(JINGBALU_COMMUNITY, id, "ESCALATE", "cannot reach the owner", null);
        api.awaitStatus(JINGBALU, id, "REPORTED");
        Map<String, Object> returned = api.act(JINGBALU, id, "RETURN", "a neighbourhood matter: mediate first", null);
        assertThat(returned.get("status")).isEqualTo("CLOSED");

        Map<String, Object> back = api.awaitStatus(JINGBALU_COMMUNITY, id, "RETURNED");
        assertThat(back.get("allowedActions")).asList().contains("START", "ESCALATE");
        api.act(JINGBALU_COMMUNITY, id, "START");
        api.act(JINGBALU_COMMUNITY, id, "RESOLVE", "mediated", null);
        api.act(JINGBALU_COMMUNITY, id, "VERIFY");
        assertThat(api.act(JINGBALU_COMMUNITY, id, "CLOSE").get("status")).isEqualTo("CLOSED");
    }

    static Map<String, String> statusesIn(Tier tier, String caseId) throws Exception {
        try (Connection c = platform.jdbc(TestPlatform.database(tier));
             PreparedStatement s = c.prepareStatement("select unit_code, status from case_record where case_id = ?")) {
            s.setObject(1, UUID.fromString(caseId));
            Map<String, String> result = new java.util.TreeMap<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    assertThat(UnitCode.of(rs.getString(1)).tier()).isEqualTo(tier);
                    result.put(rs.getString(1), rs.getString(2));
                }
            }
            return result;
        }
    }

    @Test
    void aChangesTraceFollowsItsEventsThroughEveryTierItReaches() {
        String id = api.reportCase(JINGBALU_COMMUNITY, "tracing: a broken street lamp");
        api.act(JINGBALU_COMMUNITY, id, "ACCEPT");
        api.act(JINGBALU_COMMUNITY, id, "ESCALATE", "the lamp is the sub-district's", null);
        api.awaitStatus(JINGBALU, id, "REPORTED");
        api.act(JINGBALU, id, "ACCEPT");
        api.act(JINGBALU, id, "ESCALATE", "the district's lighting office", null);
        api.awaitStatus(JINSHUI, id, "REPORTED");

        // the district's ACCEPT, sent through the gateway in a trace of the caller's
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String callerSpan = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        platform.gatewayAs("supervisor." + JINSHUI).post().uri("/api/units/{u}/cases/{id}/actions", JINSHUI, id)
                .header("traceparent", "00-" + traceId + "-" + callerSpan + "-01")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("action", "ACCEPT"))
                .exchange().expectStatus().isOk();

        // the district tells the township, from the span of the request that made the change (the caller's child)
        Matcher toTownship = traceOf(Tier.TOWNSHIP, id, "/units/" + JINSHUI, "ACCEPT");
        assertThat(toTownship.group(1)).isEqualTo(traceId);
        assertThat(toTownship.group(2)).isNotEqualTo(callerSpan);
        assertThat(toTownship.group(3)).isEqualTo("01");
        // the township applies it and sends the entry on to the community that escalated the case: the same trace, from
        // the span it applied the event in
        Matcher toCommunity = traceOf(Tier.COMMUNITY, id, "/units/" + JINGBALU, "ACCEPT");
        assertThat(toCommunity.group(1)).isEqualTo(traceId);
        assertThat(toCommunity.group(2)).isNotIn(callerSpan, toTownship.group(2));
        assertThat(toCommunity.group(3)).isEqualTo("01");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Api.timeline(
                api.find(JINGBALU_COMMUNITY, id))).anySatisfy(e -> {
                    assertThat(e.get("action")).isEqualTo("ACCEPT");
                    assertThat(e.get("unitCode")).isEqualTo(JINSHUI);
                }));

        // a change made without a trace of the caller's starts one of its own, which its events carry
        api.act(JINSHUI, id, "START");
        Matcher own = traceOf(Tier.TOWNSHIP, id, "/units/" + JINSHUI, "START");
        assertThat(own.group(1)).isNotEqualTo(traceId);
    }

    /**
     * The trace context of the one progress event about the district's {@code action} on the case that {@code source}
     * sent the tier.
     */
    private static Matcher traceOf(Tier tier, String caseId, String source, String action) {
        String[] seen = new String[1];
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<String> traces = traces(tier, caseId, source, action);
            assertThat(traces).hasSize(1);
            seen[0] = traces.get(0);
        });
        Matcher m = TRACEPARENT.matcher(seen[0]);
        assertThat(m.matches()).as("a W3C traceparent: %s", seen[0]).isTrue();
        return m;
    }

    /** The trace contexts of the progress events about the district's {@code action} on the case that {@code source} sent. */
    private static List<String> traces(Tier tier, String caseId, String source, String action) {
        return TopicReader.readAll(platform.kafka().bootstrapServers(), tier.inboxTopic()).stream()
                .filter(r -> caseId.equals(TopicReader.header(r, "ce_subject")))
                .filter(r -> source.equals(TopicReader.header(r, "ce_source")))
                .filter(r -> "gridlink.case.progressed.v1".equals(TopicReader.header(r, "ce_type")))
                .filter(r -> {
                    JsonNode entry = JSON.readTree(r.value()).path("entry");
                    return action.equals(entry.path("action").asString())
                            && JINSHUI.equals(entry.path("unitCode").asString());
                })
                .map((ConsumerRecord<String, byte[]> r) -> String.valueOf(TopicReader.header(r, "ce_traceparent")))
                .toList();
    }
}
