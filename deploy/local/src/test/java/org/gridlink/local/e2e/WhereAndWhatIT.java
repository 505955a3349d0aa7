package org.gridlink.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.gridlink.contracts.Tier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

/**
 * Issue 5 through the gateway with real tokens: grid cells from coordinates, routing a located report down to its
 * community, and before/after evidence held by the community and read from the district.
 */
class WhereAndWhatIT {

    static final String JINSHUI = "410105000000";
    static final String JINGBALU = "410105001000";
    static final String HUAYUANLU = "410105002000";
    static final String JINGBALU_COMMUNITY = "410105001001";
    static final String SHENGWEI_COMMUNITY = "410105001002";
    static final String WORKER = "gridworker.410105001001-01";

    static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1,
            0, 0, 1, 0, 1, 0, 0, (byte) 0xFF, (byte) 0xD9};
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 'I', 'H', 'D', 'R'};

    static TestPlatform platform;
    static Api api;

    @BeforeAll
    static void platform() {
        platform = TestPlatform.get();
        api = new Api(platform);
    }

    static Map<String, Object> located(String title, double lat, double lon) {
        Map<String, Object> body = new HashMap<>();
        body.put("categoryCode", "GARBAGE_PILE");
        body.put("title", title);
        body.put("location", Map.of("lat", lat, "lon", lon));
        return body;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> reportAs(String person, String unit, Map<String, Object> body) {
        return platform.gatewayAs(person).post().uri("/api/units/{u}/cases", unit).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
    }

    @Test
    void aGridWorkersReportWithCoordinatesOnlyLandsInTheRightGridCell() {
        Map<String, Object> view = reportAs(WORKER, JINGBALU_COMMUNITY, located("rubbish by the gate", 34.772, 113.662));
        assertThat(view.get("gridCode")).isEqualTo("410105001001-01");
        assertThat(view.get("status")).isEqualTo("REPORTED");

        Map<String, Object> second = reportAs("handler." + JINGBALU_COMMUNITY, JINGBALU_COMMUNITY,
                located("rubbish on the corner", 34.7725, 113.6675));
        assertThat(second.get("gridCode")).isEqualTo("410105001001-02");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyTierDrawsTheGridCellsWithinItsUnitFromTheSeedsOutlines() {
        // 经八路社区's three cells; 经八路街道's three communities' nine; the city's 54; each a closed GeoJSON ring
        Map<String, Integer> expected = Map.of(JINGBALU_COMMUNITY, 3, "410105001000", 9, "410105000000", 18,
                "410100000000", 54);
        expected.forEach((unit, cells) -> {
            Map<String, Object> map = platform.gatewayAs("admin.410100000000").get()
                    .uri("/api/units/{u}/grid-map", unit).exchange().expectStatus().isOk()
                    .expectHeader().contentTypeCompatibleWith(MediaType.valueOf("application/geo+json"))
                    .expectBody(Map.class).returnResult().getResponseBody();
            assertThat(map.get("type")).isEqualTo("FeatureCollection");
            List<Map<String, Object>> features = (List<Map<String, Object>>) map.get("features");
            assertThat(features).as("the cells within %s", unit).hasSize(cells).allSatisfy(f -> {
                Map<String, Object> props = (Map<String, Object>) f.get("properties");
                assertThat((String) props.get("community")).startsWith(unit.replaceAll("0+$", ""));
                assertThat((String) props.get("code")).startsWith((String) props.get("community") + "-");
                Map<String, Object> geometry = (Map<String, Object>) f.get("geometry");
                assertThat(geometry.get("type")).isEqualTo("Polygon");
                List<List<Number>> ring = ((List<List<List<Number>>>) geometry.get("coordinates")).get(0);
                assertThat(ring.get(0)).isEqualTo(ring.get(ring.size() - 1));
                // [longitude, latitude]: Zhengzhou lies near 113.6 E, 34.7 N
                assertThat(ring.get(0).get(0).doubleValue()).isBetween(112.0, 115.0);
                assertThat(ring.get(0).get(1).doubleValue()).isBetween(34.0, 35.5);
            });
        });
        // the point a grid worker's report lands by lies in the outline of the cell it lands in
        Map<String, Object> community = platform.gatewayAs(WORKER).get().uri("/api/units/{u}/grid-map", JINGBALU_COMMUNITY)
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        Map<String, Object> first = ((List<Map<String, Object>>) community.get("features")).stream()
                .filter(f -> "410105001001-01".equals(((Map<String, Object>) f.get("properties")).get("code")))
                .findFirst().orElseThrow();
        List<List<Number>> ring = ((List<List<List<Number>>>) ((Map<String, Object>) first.get("geometry"))
                .get("coordinates")).get(0);
        assertThat(ring).anySatisfy(p -> assertThat(p.get(0).doubleValue()).isLessThanOrEqualTo(113.662))
                .anySatisfy(p -> assertThat(p.get(0).doubleValue()).isGreaterThanOrEqualTo(113.662))
                .anySatisfy(p -> assertThat(p.get(1).doubleValue()).isLessThanOrEqualTo(34.772))
                .anySatisfy(p -> assertThat(p.get(1).doubleValue()).isGreaterThanOrEqualTo(34.772));
    }

    @Test
    void aPointOutsideTheCommunityIsRefusedNamingTheCommunityThatHoldsIt() {
        platform.gatewayAs("handler." + JINGBALU_COMMUNITY).post().uri("/api/units/{u}/cases", JINGBALU_COMMUNITY)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(located("not ours", 34.776, 113.662))
                .exchange().expectStatus().isEqualTo(422)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.field").isEqualTo("location")
                .jsonPath("$.detail").value(d -> assertThat((String) d).contains("省委社区 (410105001002)"));
        platform.gatewayAs("handler." + JINGBALU_COMMUNITY).post().uri("/api/units/{u}/cases", JINGBALU_COMMUNITY)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(located("nowhere", 34.70, 113.60))
                .exchange().expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("no community of 郑州市"));
    }

    @Test
    void theSameReportMadeAtTheDistrictLandsAtTheRightCommunity() {
        Map<String, Object> atDistrict = reportAs("handler." + JINSHUI, JINSHUI,
                located("rubbish in 省委社区", 34.776, 113.667));
        String id = (String) atDistrict.get("caseId");
        assertThat(atDistrict.get("status")).isEqualTo("DISPATCHED");
        assertThat(atDistrict.get("dispatchedTo")).isEqualTo(JINGBALU);
        assertThat(atDistrict.get("gridCode")).isEqualTo("410105001002-02");

        Map<String, Object> atCommunity = api.awaitStatus(SHENGWEI_COMMUNITY, id, "REPORTED");
        assertThat(atCommunity.get("origin")).isEqualTo("DISPATCH");
        assertThat(atCommunity.get("dispatchedBy")).isEqualTo(JINGBALU);
        assertThat(atCommunity.get("gridCode")).isEqualTo("410105001002-02");
        assertThat(atCommunity.get("chain")).isEqualTo(List.of(JINSHUI, JINGBALU, SHENGWEI_COMMUNITY));
        assertThat(Api.timeline(atCommunity)).filteredOn(e -> "DISPATCH".equals(e.get("action")))
                .extracting(e -> e.get("actor")).containsExactly("system", "system");

        Map<String, Object> atTownship = api.awaitStatus(JINGBALU, id, "DISPATCHED");
        assertThat(atTownship.get("dispatchedTo")).isEqualTo(SHENGWEI_COMMUNITY);
        // the community's grid worker of that cell can now work on it
        api.act(SHENGWEI_COMMUNITY, id, "ACCEPT");
    }

    @Test
    @SuppressWarnings("unchecked")
    void beforeAndAfterPhotosAtTheCommunityAreReadThroughTheGatewayWhileTheDistrictHoldsTheCase() throws Exception {
        String id = (String) reportAs(WORKER, JINGBALU_COMMUNITY, located("overflowing bin", 34.7722, 113.6622)).get("caseId");
        WebTestClient worker = platform.gatewayAs(WORKER);
        worker.post().uri("/api/units/{u}/cases/{id}/actions", JINGBALU_COMMUNITY, id).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("action", "ACCEPT")).exchange().expectStatus().isOk();
        worker.post().uri("/api/units/{u}/cases/{id}/actions", JINGBALU_COMMUNITY, id).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("action", "START")).exchange().expectStatus().isOk();

        Map<String, Object> before = upload(worker, id, "BEFORE", "before.jpg", MediaType.IMAGE_JPEG, JPEG)
                .expectStatus().isCreated().expectHeader().exists(HttpHeaders.LOCATION)
                .expectBody(Map.class).returnResult().getResponseBody();
        Map<String, Object> after = upload(worker, id, "AFTER", "after.png", MediaType.IMAGE_PNG, PNG)
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(before.get("holdingUnit")).isEqualTo(JINGBALU_COMMUNITY);
        assertThat(before.get("stage")).isEqualTo("BEFORE");
        assertThat(after.get("contentType")).isEqualTo("image/png");

        // a fake JPEG and an oversized file: clear 4xx, nothing stored
        upload(worker, id, "BEFORE", "fake.jpg", MediaType.IMAGE_JPEG, "<html>not a photo</html>".getBytes(StandardCharsets.UTF_8))
                .expectStatus().isEqualTo(415)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.field").isEqualTo("file");
        byte[] huge = new byte[10 * 1024 * 1024 + 1024];
        System.arraycopy(JPEG, 0, huge, 0, JPEG.length);
        upload(worker, id, "AFTER", "huge.jpg", MediaType.IMAGE_JPEG, huge)
                .expectStatus().isEqualTo(413)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        upload(worker, id, "DURING", "x.jpg", MediaType.IMAGE_JPEG, JPEG).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("stage");
        assertThat(storedEvidence(id)).isEqualTo(2);
        // sent twice under one Idempotency-Key (a client that lost the first answer): kept once, answered the same
        Map<String, Object> once = upload(worker, id, "AFTER", "after-2.jpg", MediaType.IMAGE_JPEG, JPEG, "after-photo-2")
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        Map<String, Object> again = upload(worker, id, "AFTER", "after-2.jpg", MediaType.IMAGE_JPEG, JPEG,
                "\"after-photo-2\"").expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(again).isEqualTo(once);
        assertThat(UUID.fromString((String) once.get("evidenceId")).version()).isEqualTo(3);
        // the key with another file, or another stage: refused, nothing kept; a key that is not one: 400
        upload(worker, id, "AFTER", "after-2.png", MediaType.IMAGE_PNG, PNG, "after-photo-2")
                .expectStatus().isEqualTo(422)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.field").isEqualTo("Idempotency-Key");
        upload(worker, id, "BEFORE", "after-2.jpg", MediaType.IMAGE_JPEG, JPEG, "after-photo-2")
                .expectStatus().isEqualTo(422);
        upload(worker, id, "AFTER", "after-3.jpg", MediaType.IMAGE_JPEG, JPEG, "has space")
                .expectStatus().isBadRequest().expectBody().jsonPath("$.field").isEqualTo("Idempotency-Key");
        assertThat(storedEvidence(id)).isEqualTo(3);
        // someone of another township may not add evidence
        upload(platform.gatewayAs("handler." + HUAYUANLU), id, "AFTER", "x.jpg", MediaType.IMAGE_JPEG, JPEG)
                .expectStatus().isForbidden();

        worker.post().uri("/api/units/{u}/cases/{id}/actions", JINGBALU_COMMUNITY, id).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("action", "ESCALATE", "note", "needs the street office")).exchange().expectStatus().isOk();
        api.awaitStatus(JINGBALU, id, "REPORTED");
        api.act(JINGBALU, id, "ACCEPT");
        api.act(JINGBALU, id, "ESCALATE", "needs the district", null);
        Map<String, Object> atDistrict = api.awaitStatus(JINSHUI, id, "REPORTED");
        api.awaitStatus(JINGBALU_COMMUNITY, id, "ESCALATED");

        List<Map<String, Object>> listed = (List<Map<String, Object>>) atDistrict.get("evidence");
        assertThat(listed).extracting(e -> e.get("stage")).containsExactly("BEFORE", "AFTER", "AFTER");
        assertThat(listed).extracting(e -> e.get("holdingUnit")).containsOnly(JINGBALU_COMMUNITY);

        WebTestClient district = platform.gatewayAs("handler." + JINSHUI);
        String href = (String) listed.get(0).get("href");
        byte[] fetched = district.get().uri(href).exchange().expectStatus().isOk()
                .expectHeader().contentType(MediaType.IMAGE_JPEG)
                .expectHeader().value(HttpHeaders.CONTENT_DISPOSITION, v -> assertThat(v).contains("attachment", "before.jpg"))
                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(fetched).isEqualTo(JPEG);
        district.get().uri((String) listed.get(1).get("href")).exchange().expectStatus().isOk()
                .expectHeader().contentType(MediaType.IMAGE_PNG)
                .expectBody(byte[].class).isEqualTo(PNG);
        List<Map<String, Object>> listedAtDistrict = district.get()
                .uri("/api/units/{u}/cases/{id}/evidence", JINSHUI, id).exchange().expectStatus().isOk()
                .expectBody(List.class).returnResult().getResponseBody();
        assertThat(listedAtDistrict).hasSize(3);

        // read rules: another township's people are refused, a citizen who did not report it sees nothing there
        platform.gatewayAs("handler." + HUAYUANLU).get().uri(href).exchange().expectStatus().isForbidden()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        platform.gatewayAs("citizen.1").get().uri(href).exchange().expectStatus().isNotFound();
        platform.gatewayAs(WORKER).get().uri("/api/units/{u}/cases/{id}/evidence/{e}", JINGBALU_COMMUNITY, id,
                UUID.randomUUID()).exchange().expectStatus().isNotFound();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aReportTwentyMetresFromAnOpenCaseIsOfferedAsADuplicateButOneAtEightyMetresIsNot() {
        String handler = "handler." + JINGBALU_COMMUNITY;
        String first = (String) reportAs(handler, JINGBALU_COMMUNITY, located("dumped sofa", 34.7730, 113.6700 - 0.0040)).get("caseId");
        // 0.00018 degrees north is about 20 m; 0.00088 degrees east at this latitude about 80 m
        String near = (String) reportAs(handler, JINGBALU_COMMUNITY, located("sofa again", 34.77318, 113.6660)).get("caseId");
        String far = (String) reportAs(handler, JINGBALU_COMMUNITY, located("another sofa", 34.7730, 113.66688)).get("caseId");

        List<Map<String, Object>> nearCandidates = platform.gatewayAs(handler).get()
                .uri("/api/units/{u}/cases/{id}/duplicates", JINGBALU_COMMUNITY, near).exchange().expectStatus().isOk()
                .expectBody(List.class).returnResult().getResponseBody();
        assertThat(nearCandidates).extracting(c -> c.get("caseId")).contains(first).doesNotContain(far);
        Map<String, Object> offered = nearCandidates.stream().filter(c -> first.equals(c.get("caseId"))).findFirst().orElseThrow();
        assertThat(((Number) offered.get("distanceMetres")).doubleValue()).isBetween(19.0, 21.0);
        assertThat(((Number) offered.get("ageSeconds")).longValue()).isGreaterThanOrEqualTo(0);

        List<Map<String, Object>> farCandidates = platform.gatewayAs(handler).get()
                .uri("/api/units/{u}/cases/{id}/duplicates", JINGBALU_COMMUNITY, far).exchange().expectStatus().isOk()
                .expectBody(List.class).returnResult().getResponseBody();
        assertThat(farCandidates).extracting(c -> c.get("caseId")).doesNotContain(first);

        platform.gatewayAs("handler." + HUAYUANLU).get()
                .uri("/api/units/{u}/cases/{id}/duplicates", JINGBALU_COMMUNITY, near).exchange().expectStatus().isForbidden();
        platform.gatewayAs("citizen.1").get()
                .uri("/api/units/{u}/cases/{id}/duplicates", JINGBALU_COMMUNITY, near).exchange().expectStatus().isNotFound();
    }

    static WebTestClient.ResponseSpec upload(WebTestClient client, String caseId, String stage, String name,
                                             MediaType type, byte[] bytes) {
        return upload(client, caseId, stage, name, type, bytes, null);
    }

    static WebTestClient.ResponseSpec upload(WebTestClient client, String caseId, String stage, String name,
                                             MediaType type, byte[] bytes, String idempotencyKey) {
        MultipartBodyBuilder form = new MultipartBodyBuilder();
        form.part("file", new ByteArrayResource(bytes)).filename(name).contentType(type);
        form.part("stage", stage);
        return client.post().uri("/api/units/{u}/cases/{id}/evidence", JINGBALU_COMMUNITY, caseId)
                .headers(h -> {
                    if (idempotencyKey != null) {
                        h.set("Idempotency-Key", idempotencyKey);
                    }
                })
                .contentType(MediaType.MULTIPART_FORM_DATA).body(BodyInserters.fromMultipartData(form.build()))
                .exchange();
    }

    static long storedEvidence(String caseId) throws Exception {
        try (Connection c = platform.jdbc(TestPlatform.database(Tier.COMMUNITY));
             PreparedStatement s = c.prepareStatement("select count(*) from evidence where case_id = ?")) {
            s.setObject(1, UUID.fromString(caseId));
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
