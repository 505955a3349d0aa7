package org.gridlink.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gridlink.local.e2e.CrossTierFlowIT.JINGBALU_COMMUNITY;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import org.gridlink.contracts.Tier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;

/**
 * A resident's Open311 app (GeoReport v2) against a community, through the gateway: the services, a request made,
 * followed until the community closes it, their list, and what the standard's clients get wrong.
 */
class Open311IT {

    static final String BASE = "/api/units/{u}/open311/v2";

    static TestPlatform platform;
    static Api api;

    @BeforeAll
    static void platform() {
        platform = TestPlatform.get();
        api = new Api(platform);
    }

    @Test
    @SuppressWarnings("unchecked")
    void anAppFindsAUnitsEndpointByItsServiceDiscoveryWithoutAToken() {
        // read without a token, as the standard means it to be read before an app has a key
        Map<String, Object> discovery = platform.gatewayAnonymous().get()
                .uri("/api/units/{u}/open311/discovery.json", JINGBALU_COMMUNITY).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat((String) discovery.get("changeset")).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}");
        assertThat((String) discovery.get("key_service")).contains("Authorization: Bearer", platform.identityIssuer());
        assertThat((String) discovery.get("contact")).isNotBlank();
        Map<String, Object> endpoint = ((List<Map<String, Object>>) discovery.get("endpoints")).get(0);
        // the URL the app reached: the gateway's, as its X-Forwarded headers told the node
        String url = (String) endpoint.get("url");
        assertThat(url).isEqualTo(platform.gatewayUrl() + "/api/units/" + JINGBALU_COMMUNITY + "/open311/v2");
        assertThat(endpoint).containsEntry("specification", "http://wiki.open311.org/GeoReport_v2")
                .containsEntry("type", "production").containsEntry("formats", List.of("application/json"))
                .containsEntry("changeset", discovery.get("changeset"));
        // the app goes on there, signed in
        platform.gatewayAs("citizen.1").get().uri(url + "/services.json").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$[?(@.service_code == 'GARBAGE_PILE')]").isNotEmpty();
        // a service it does not offer is said to be one
        platform.gatewayAs("citizen.1").get().uri(url + "/services/NOPE.json").exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).startsWith("no service 'NOPE'"));
        // only the discovery is open: the endpoint itself is not, nor is anything but a GET of the discovery
        platform.gatewayAnonymous().get().uri(url + "/services.json").exchange().expectStatus().isUnauthorized();
        platform.gatewayAnonymous().post().uri("/api/units/{u}/open311/discovery.json", JINGBALU_COMMUNITY).exchange()
                .expectStatus().isUnauthorized();
        // a unit there is not, or not a unit's code
        platform.gatewayAnonymous().get().uri("/api/units/{u}/open311/discovery.json", "410105001099").exchange()
                .expectStatus().isNotFound().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        platform.gatewayAnonymous().get().uri("/api/units/{u}/open311/discovery.json", "41010500100x").exchange()
                .expectStatus().isBadRequest().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void aResidentsAppReportsAndFollowsTheRequestUntilItIsClosed() {
        WebTestClient app = platform.gatewayAs("citizen.1");
        app.get().uri(BASE + "/services.json", JINGBALU_COMMUNITY).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$[?(@.service_code == 'GARBAGE_PILE')].metadata").isEqualTo(List.of(false))
                .jsonPath("$[?(@.service_code == 'GARBAGE_PILE')].service_name").value(names ->
                        assertThat((List<?>) names).singleElement().asString().isNotBlank());
        app.get().uri(BASE + "/services/GARBAGE_PILE.json", JINGBALU_COMMUNITY).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.service_code").isEqualTo("GARBAGE_PILE").jsonPath("$.attributes").isEmpty();

        MultiValueMap<String, String> form = form("service_code", "GARBAGE_PILE", "lat", "34.7713", "long", "113.6613",
                "address_string", "经八路 12号", "description", "垃圾堆在门口\nbins overflowing since Monday",
                "media_url", "https://photos.example/1.jpg", "email", "not-kept@example.org", "first_name", "Li");
        Map<String, Object> made = created(app.post().uri(BASE + "/requests.json", JINGBALU_COMMUNITY)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).body(BodyInserters.fromFormData(form))
                .exchange().expectStatus().isCreated()
                .expectHeader().value("Location", l -> assertThat(l).startsWith("/api/units/" + JINGBALU_COMMUNITY
                        + "/open311/v2/requests/").endsWith(".json")));
        String id = (String) made.get("service_request_id");
        assertThat(made.get("account_id")).isEqualTo("citizen.1");
        assertThat((String) made.get("service_notice")).contains("前受理", "前处置");

        // the case API's record: the reporter is the caller, placed in its grid cell, the first line its title
        Map<String, Object> record = api.find(JINGBALU_COMMUNITY, id);
        assertThat(record).containsEntry("reporter", "citizen.1").containsEntry("source", "OPEN311")
                .containsEntry("title", "垃圾堆在门口").containsEntry("categoryCode", "GARBAGE_PILE");
        assertThat((String) record.get("gridCode")).startsWith(JINGBALU_COMMUNITY + "-");
        assertThat((String) record.get("description")).contains("bins overflowing", "https://photos.example/1.jpg")
                .doesNotContain("not-kept@example.org");

        Map<String, Object> open = single(app, id);
        assertThat(open).containsEntry("service_request_id", id).containsEntry("status", "open")
                .containsEntry("service_code", "GARBAGE_PILE").containsEntry("address", "经八路 12号")
                .containsEntry("lat", 34.7713).containsEntry("long", 113.6613);
        assertThat((String) open.get("requested_datetime")).endsWith("+08:00");
        assertThat(open.get("expected_datetime")).isNotNull();
        assertThat(open).as("a new request has no status notes: the report's note is its title").doesNotContainKey(
                "status_notes");

        for (String action : List.of("ACCEPT", "START")) {
            api.act(JINGBALU_COMMUNITY, id, action);
        }
        api.act(JINGBALU_COMMUNITY, id, "RESOLVE", "cleared by the sanitation team", null);
        assertThat(single(app, id)).containsEntry("status", "open")
                .containsEntry("status_notes", "cleared by the sanitation team");
        api.act(JINGBALU_COMMUNITY, id, "VERIFY");
        api.act(JINGBALU_COMMUNITY, id, "CLOSE");
        Map<String, Object> closed = single(app, id);
        assertThat(closed).containsEntry("status", "closed").doesNotContainKey("expected_datetime");

        // their list: open, closed, and the service's
        assertThat(ids(app, "status=closed")).contains(id);
        assertThat(ids(app, "status=open")).doesNotContain(id);
        assertThat(ids(app, "service_code=GARBAGE_PILE&status=open,closed")).contains(id);
        assertThat(ids(app, "service_code=ROAD_DAMAGE")).doesNotContain(id);
        assertThat(ids(app, "service_request_id=" + id)).containsExactly(id);
        assertThat(ids(app, "start_date=2001-01-01T00:00:00Z&end_date=2001-12-31T00:00:00Z")).isEmpty();
    }

    @Test
    void aResidentListsOnlyTheirOwnAndTheStaffTheUnitsQueue() {
        WebTestClient one = platform.gatewayAs("citizen.1");
        String mine = requestAs(one, "bins again (citizen.1)");
        String theirs = api.reportCase(JINGBALU_COMMUNITY, "a patrol's case, not citizen.1's");

        assertThat(ids(one, "")).contains(mine).doesNotContain(theirs);
        // another's request is, to a resident, not there
        one.get().uri(BASE + "/requests/{id}.json", JINGBALU_COMMUNITY, theirs).exchange().expectStatus().isNotFound();
        assertThat(ids(one, "service_request_id=" + mine + "," + theirs)).containsExactly(mine);
        // a resident of another community cannot report here
        platform.gatewayAs("citizen.2").post().uri(BASE + "/requests.json", JINGBALU_COMMUNITY)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData(form("service_code", "GARBAGE_PILE", "address_string", "x")))
                .exchange().expectStatus().isForbidden();

        WebTestClient staff = platform.gatewayAs("supervisor." + JINGBALU_COMMUNITY);
        assertThat(ids(staff, "")).contains(mine, theirs);
    }

    @Test
    void whatTheStandardsClientsGetWrongIsAProblemAndChangesNothing() throws Exception {
        WebTestClient app = platform.gatewayAs("citizen.1");
        long before = rows();
        problem(post(app, form("lat", "34.7713", "long", "113.6613")), 400, "service_code");
        problem(post(app, form("service_code", "GARBAGE_PILE")), 400, "lat");
        problem(post(app, form("service_code", "GARBAGE_PILE", "lat", "34.7713")), 400, "long");
        problem(post(app, form("service_code", "GARBAGE_PILE", "lat", "north", "long", "113.6613")), 400, "lat");
        problem(post(app, form("service_code", "GARBAGE_PILE", "address_string", "x", "attribute[WHISPER]", "y")),
                400, "attribute[WHISPER]");
        problem(post(app, form("service_code", "GARBAGE_PILE", "address_string", "x", "status", "closed")), 400,
                "status");
        problem(post(app, form("service_code", "GARBAGE_PILE", "address_string", "x", "jurisdiction_id",
                "410105001002")), 400, "jurisdiction_id");
        problem(post(app, form("service_code", "GARBAGE_PILE", "address_string", "x", "media_url",
                "file:///etc/passwd")), 400, "media_url");
        problem(post(app, form("service_code", "NO_SUCH_SERVICE", "address_string", "x")), 422, "service_code");
        // a point in another community is named as the standard names it
        problem(post(app, form("service_code", "GARBAGE_PILE", "lat", "34.8900", "long", "113.5500")), 422, "lat");
        app.post().uri(BASE + "/requests.json", JINGBALU_COMMUNITY).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("service_code", "GARBAGE_PILE", "address_string", "x")).exchange()
                .expectStatus().isEqualTo(415);
        assertThat(rows()).isEqualTo(before);

        problem(app.get().uri(BASE + "/requests.json?start_date=yesterday", JINGBALU_COMMUNITY), 400, "start_date");
        problem(app.get().uri(BASE + "/requests.json?status=pending", JINGBALU_COMMUNITY), 400, "status");
        problem(app.get().uri(BASE + "/requests.json?start_date=2026-02-01T00:00:00Z&end_date=2026-01-01T00:00:00Z",
                JINGBALU_COMMUNITY), 400, "end_date");
        problem(app.get().uri(BASE + "/requests/{id}.json", JINGBALU_COMMUNITY, "42"), 400, "service_request_id");
        app.get().uri(BASE + "/services/NO_SUCH_SERVICE.json", JINGBALU_COMMUNITY).exchange().expectStatus()
                .isNotFound().expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        app.get().uri(BASE + "/services.xml", JINGBALU_COMMUNITY).exchange().expectStatus().isEqualTo(406)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains(".json"));
        platform.gatewayAnonymous().get().uri(BASE + "/services.json", JINGBALU_COMMUNITY).exchange()
                .expectStatus().isUnauthorized();
    }

    @Test
    void aRequestSentAgainUnderItsKeyIsOneCase() {
        WebTestClient app = platform.gatewayAs("citizen.1");
        MultiValueMap<String, String> form = form("service_code", "GARBAGE_PILE", "address_string", "经八路 14号",
                "description", "sent twice by a flaky app");
        String[] ids = new String[2];
        for (int i = 0; i < 2; i++) {
            ids[i] = (String) created(app.post().uri(BASE + "/requests.json", JINGBALU_COMMUNITY)
                    .contentType(MediaType.APPLICATION_FORM_URLENCODED).header("Idempotency-Key", "open311-twice-1")
                    .body(BodyInserters.fromFormData(form)).exchange().expectStatus().isCreated())
                    .get("service_request_id");
        }
        assertThat(ids[1]).isEqualTo(ids[0]);
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private static String requestAs(WebTestClient app, String description) {
        return (String) created(post(app, form("service_code", "GARBAGE_PILE", "address_string", "经八路 12号",
                "description", description)).exchange().expectStatus().isCreated()).get("service_request_id");
    }

    private static WebTestClient.RequestHeadersSpec<?> post(WebTestClient app, MultiValueMap<String, String> form) {
        return app.post().uri(BASE + "/requests.json", JINGBALU_COMMUNITY)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).body(BodyInserters.fromFormData(form));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> created(WebTestClient.ResponseSpec response) {
        List<Map<String, Object>> answer = response.expectBody(List.class).returnResult().getResponseBody();
        assertThat(answer).hasSize(1);
        return answer.get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> single(WebTestClient app, String id) {
        List<Map<String, Object>> answer = app.get().uri(BASE + "/requests/{id}.json", JINGBALU_COMMUNITY, id)
                .exchange().expectStatus().isOk().expectBody(List.class).returnResult().getResponseBody();
        assertThat(answer).hasSize(1);
        return answer.get(0);
    }

    @SuppressWarnings("unchecked")
    private static List<String> ids(WebTestClient app, String query) {
        List<Map<String, Object>> answer = app.get()
                .uri("/api/units/" + JINGBALU_COMMUNITY + "/open311/v2/requests.json" + (query.isEmpty() ? "" : "?" + query))
                .exchange().expectStatus().isOk().expectBody(List.class).returnResult().getResponseBody();
        return answer.stream().map(r -> (String) r.get("service_request_id")).toList();
    }

    private static void problem(WebTestClient.RequestHeadersSpec<?> request, int status, String field) {
        request.exchange().expectStatus().isEqualTo(status)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.field").isEqualTo(field);
    }

    private static MultiValueMap<String, String> form(String... pairs) {
        MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            form.add(pairs[i], pairs[i + 1]);
        }
        return form;
    }

    private static long rows() throws Exception {
        try (Connection c = platform.jdbc(TestPlatform.database(Tier.COMMUNITY));
             ResultSet rs = c.createStatement().executeQuery("select count(*) from case_record where source = 'OPEN311'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
