package org.gridlink.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gridlink.local.e2e.CrossTierFlowIT.JINGBALU_COMMUNITY;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.gridlink.contracts.Tier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Every client mistake gets the right 4xx as application/problem+json, and nothing changes. */
class BadInputIT {

    static TestPlatform platform;
    static Api api;
    static WebTestClient http;

    @BeforeAll
    static void platform() {
        platform = TestPlatform.get();
        api = new Api(platform);
        http = platform.gateway();
    }

    @Test
    void malformedJsonIs400() throws Exception {
        long before = rows();
        problem(http.post().uri("/api/units/{u}/cases", JINGBALU_COMMUNITY).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"categoryCode\": \"GARBAGE_PILE\", \"title\": "), 400)
                .jsonPath("$.detail").value(d -> assertThat((String) d).contains("not valid JSON"));
        assertThat(rows()).isEqualTo(before);
    }

    @Test
    void aMissingTitleIs400NamingTheField() throws Exception {
        long before = rows();
        problem(http.post().uri("/api/units/{u}/cases", JINGBALU_COMMUNITY).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("categoryCode", "GARBAGE_PILE")), 400)
                .jsonPath("$.errors[0].field").isEqualTo("title");
        assertThat(rows()).isEqualTo(before);
    }

    @Test
    void anUnknownUnitIs404AndAMalformedCodeIs400() throws Exception {
        long before = rows();
        problem(http.post().uri("/api/units/{u}/cases", "410105001009").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Api.aReport("GARBAGE_PILE", "x")), 404)
                .jsonPath("$.detail").value(d -> assertThat((String) d).contains("410105001009"));
        problem(http.get().uri("/api/units/{u}/cases", "41010500100"), 400);
        assertThat(rows()).isEqualTo(before);
    }

    @Test
    void anUnknownCategoryIs422() throws Exception {
        long before = rows();
        problem(http.post().uri("/api/units/{u}/cases", JINGBALU_COMMUNITY).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Api.aReport("NO_SUCH_CATEGORY", "x")), 422)
                .jsonPath("$.detail").value(d -> assertThat((String) d).contains("NO_SUCH_CATEGORY"));
        assertThat(rows()).isEqualTo(before);
    }

    @Test
    void aSourceNoFigureCountsIs422AndTheSourcesAreListed() throws Exception {
        long before = rows();
        Map<String, Object> body = new HashMap<>(Api.aReport("GARBAGE_PILE", "a hotline call"));
        body.put("source", "CITIZEN_HOTLINE"); // what the console sent for 市民热线 until the node listed its sources
        problem(http.post().uri("/api/units/{u}/cases", JINGBALU_COMMUNITY).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body), 422).jsonPath("$.field").isEqualTo("source")
                .jsonPath("$.detail").value(d -> assertThat((String) d).contains("CITIZEN_HOTLINE", "HOTLINE_12345",
                        "/sources"));
        assertThat(rows()).isEqualTo(before);
        http.get().uri("/api/units/{u}/sources", JINGBALU_COMMUNITY).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$[?(@.code == 'HOTLINE_12345')].hotline").isEqualTo(List.of(true))
                .jsonPath("$[?(@.code == 'HOTLINE_12345')].name").isEqualTo(List.of("12345热线"))
                .jsonPath("$[?(@.code == 'GRID_PATROL')].proactive").isEqualTo(List.of(true))
                .jsonPath("$[?(@.code == 'CITIZEN_HOTLINE')]").isEmpty();
        body.put("source", "HOTLINE_12345");
        http.post().uri("/api/units/{u}/cases", JINGBALU_COMMUNITY).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange().expectStatus().isCreated().expectBody()
                .jsonPath("$.source").isEqualTo("HOTLINE_12345");
    }

    @Test
    void aGridCellOfAnotherCommunityIs422() throws Exception {
        long before = rows();
        Map<String, Object> body = new java.util.HashMap<>(Api.aReport("GARBAGE_PILE", "x"));
        body.put("gridCode", "410105001002-01");
        problem(http.post().uri("/api/units/{u}/cases", JINGBALU_COMMUNITY).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body), 422).jsonPath("$.field").isEqualTo("gridCode");
        assertThat(rows()).isEqualTo(before);
    }

    @Test
    void anIllegalTransitionIs409NamingTheCurrentStatus() {
        String id = api.reportCase(JINGBALU_COMMUNITY, "Broken streetlight");
        problem(http.post().uri("/api/units/{u}/cases/{id}/actions", JINGBALU_COMMUNITY, id)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("action", "CLOSE")), 409)
                .jsonPath("$.currentStatus").isEqualTo("REPORTED")
                .jsonPath("$.detail").value(d -> assertThat((String) d).contains("cannot CLOSE a case that is REPORTED"));
        problem(http.post().uri("/api/units/{u}/cases/{id}/actions", JINGBALU_COMMUNITY, id)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("action", "FLY")), 400);
        problem(http.post().uri("/api/units/{u}/cases/{id}/actions", JINGBALU_COMMUNITY, id)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("action", "REJECT")), 422)
                .jsonPath("$.field").isEqualTo("note");
        Map<String, Object> unchanged = api.find(JINGBALU_COMMUNITY, id);
        assertThat(unchanged.get("status")).isEqualTo("REPORTED");
        assertThat(Api.timeline(unchanged)).hasSize(1);
    }

    @Test
    void anUnknownCaseIs404() {
        problem(http.get().uri("/api/units/{u}/cases/{id}", JINGBALU_COMMUNITY, java.util.UUID.randomUUID()), 404);
        problem(http.get().uri("/api/units/{u}/cases/{id}", JINGBALU_COMMUNITY, "not-a-uuid"), 400);
    }

    @Test
    void anOversizedBodyIs413() throws Exception {
        long before = rows();
        String big = "x".repeat(300_000);
        problem(http.post().uri("/api/units/{u}/cases", JINGBALU_COMMUNITY).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("categoryCode", "GARBAGE_PILE", "title", "big", "description", big)), 413);
        String huge = "x".repeat(2_000_000);
        problem(http.post().uri("/api/units/{u}/cases", JINGBALU_COMMUNITY).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("categoryCode", "GARBAGE_PILE", "title", "huge", "description", huge)), 413);
        assertThat(rows()).isEqualTo(before);
    }

    private static WebTestClient.BodyContentSpec problem(WebTestClient.RequestHeadersSpec<?> request, int status) {
        return request.exchange().expectStatus().isEqualTo(status)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(status).jsonPath("$.title").exists();
    }

    private static long rows() throws Exception {
        try (Connection c = platform.jdbc(TestPlatform.database(Tier.COMMUNITY));
             ResultSet rs = c.createStatement().executeQuery(
                     // intake records and their first entries: late events of other tests cannot add these
                     "select (select count(*) from case_record where origin = 'INTAKE')"
                             + " + (select count(*) from timeline_entry where action = 'REPORT')")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
