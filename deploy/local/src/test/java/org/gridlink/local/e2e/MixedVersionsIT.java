package org.gridlink.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.gridlink.local.e2e.CrossTierFlowIT.JINGBALU;
import static org.gridlink.local.e2e.CrossTierFlowIT.JINGBALU_COMMUNITY;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gridlink.contracts.Tier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * Mixed versions (contracts/README.md): a tier receives the previous version of an event and the current one at
 * once — a parent still on a release that sends {@code gridlink.case.returned.v1} next to one that sends
 * {@code .v2} — and applies both; and what the nodes send themselves is the current version.
 */
class MixedVersionsIT {

    static TestPlatform platform;
    static Api api;

    @BeforeAll
    static void platform() {
        platform = TestPlatform.get();
        api = new Api(platform);
    }

    /** A community record escalated to 经八路街道, which the test then returns with golden messages. */
    private static String escalated(String title) {
        String id = api.reportCase(JINGBALU_COMMUNITY, title);
        api.act(JINGBALU_COMMUNITY, id, "ACCEPT");
        api.act(JINGBALU_COMMUNITY, id, "ESCALATE", "up", null);
        api.awaitStatus(JINGBALU, id, "REPORTED");
        return id;
    }

    @Test
    void theCommunityTierAppliesReturnsOfBothVersionsSentSideBySide() throws Exception {
        Map<String, String> examples = new LinkedHashMap<>();
        examples.put("case-returned/v1/full.json", "a neighbourhood matter: mediate first");
        examples.put("case-returned/v2/full.json", "[WITHIN_LOWER_LEVEL_POWERS] a neighbourhood matter: mediate first");
        examples.put("case-returned/v1/minimal.json", null);
        examples.put("case-returned/v2/minimal.json", "yours to handle");
        List<String> ids = new ArrayList<>();
        List<JsonNode> messages = new ArrayList<>();
        for (String example : examples.keySet()) {
            String id = escalated("mixed versions: " + example);
            ids.add(id);
            messages.add(GoldenExamplesIT.withCase(GoldenExamplesIT.example(example), id));
        }
        // all four on the wire together, v1 and v2 interleaved on the same key (the same community, one partition)
        for (JsonNode m : messages) {
            GoldenExamplesIT.send(m);
        }
        int i = 0;
        for (Map.Entry<String, String> example : examples.entrySet()) {
            String id = ids.get(i);
            JsonNode message = messages.get(i++);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(GoldenExamplesIT.inboxed(Tier.COMMUNITY,
                    message.path("headers").path("ce_id").asText())).as(example.getKey()).isEqualTo(1));
            Map<String, Object> record = api.awaitStatus(JINGBALU_COMMUNITY, id, "RETURNED");
            assertThat(record.get("allowedActions")).asList().contains("START");
            String expected = example.getValue();
            assertThat(Api.timeline(record)).last().satisfies(e -> {
                assertThat(e.get("action")).isEqualTo("RETURNED");
                if (expected != null) {
                    assertThat((String) e.get("note")).as(example.getKey()).endsWith(expected);
                }
            });
        }
        // the golden messages speak for the township without its record knowing: let it return them for real, so
        // that its record is closed as a sender's is (the stats count each case once, at the unit holding it)
        for (String id : ids) {
            api.act(JINGBALU, id, "RETURN", "returned (golden message test)", null);
        }
    }

    @Test
    void aNodeSendsTheCurrentVersionWithTheReasonCodeItWasGiven() {
        String id = escalated("mixed versions: sent by the township");
        Map<String, Object> body = Map.of("action", "RETURN", "reason", "WITHIN_LOWER_LEVEL_POWERS",
                "note", "the community can clear it itself");
        platform.gatewayAs("supervisor." + JINGBALU).post().uri("/api/units/{u}/cases/{id}/actions", JINGBALU, id)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange().expectStatus().isOk();
        Map<String, Object> record = api.awaitStatus(JINGBALU_COMMUNITY, id, "RETURNED");
        assertThat(Api.timeline(record)).last().satisfies(e -> assertThat((String) e.get("note"))
                .isEqualTo("returned by " + JINGBALU + ": [WITHIN_LOWER_LEVEL_POWERS] the community can clear it itself"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(TopicReader.readAll(platform.kafka().bootstrapServers(), Tier.COMMUNITY.inboxTopic()))
                        .filteredOn(r -> id.equals(TopicReader.header(r, "ce_subject")))
                        .extracting(r -> TopicReader.header(r, "ce_type"))
                        .contains("gridlink.case.returned.v2")
                        .doesNotContain("gridlink.case.returned.v1"));
        // an unknown reason code is refused and changes nothing
        String other = escalated("mixed versions: unknown reason");
        platform.gatewayAs("supervisor." + JINGBALU).post().uri("/api/units/{u}/cases/{id}/actions", JINGBALU, other)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("action", "RETURN", "reason", "BECAUSE", "note", "no"))
                .exchange().expectStatus().isEqualTo(422);
        assertThat(api.find(JINGBALU, other).get("status")).isEqualTo("REPORTED");
    }
}
