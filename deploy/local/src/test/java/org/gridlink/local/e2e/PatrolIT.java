package org.gridlink.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.gridlink.local.e2e.CrossTierFlowIT.JINGBALU_COMMUNITY;
import static org.gridlink.local.e2e.CrossTierFlowIT.JINGBALU;
import static org.gridlink.local.e2e.CrossTierFlowIT.SHENGWEI_COMMUNITY;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.gridlink.community.patrol.IdlePatrols;
import org.gridlink.contracts.Tier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Patrols (巡查) through the gateway: a grid worker walks their cell, checks in, reports what they find and ends the
 * walk; the staff read the day's coverage of the cells; what may not be done is refused and changes nothing.
 */
class PatrolIT {

    static final String CELL_01 = JINGBALU_COMMUNITY + "-01";
    static final String CELL_02 = JINGBALU_COMMUNITY + "-02";
    static final String WORKER = "gridworker." + CELL_01;
    static final String BASE = "/api/units/{u}/patrols";
    /** This run's keys: a key is the same request only within a run. */
    static final String RUN = UUID.randomUUID().toString();

    static TestPlatform platform;

    @BeforeAll
    static void platform() {
        platform = TestPlatform.get();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aGridWorkerPatrolsTheirCellChecksInAndWhatTheyReportMeanwhileIsFound() {
        WebTestClient worker = platform.gatewayAs(WORKER);
        Map<String, Object> started = body(start(worker, CELL_01, "walk-1").expectStatus().isCreated()
                .expectHeader().value("Location", l -> assertThat(l).startsWith("/api/units/" + JINGBALU_COMMUNITY
                        + "/patrols/")));
        String id = (String) started.get("id");
        try {
            assertThat(started).containsEntry("status", "UNDER_WAY").containsEntry("gridCode", CELL_01)
                    .containsEntry("patroller", WORKER).containsEntry("checkIns", 0);
            // the same start again under its key is the same patrol; another start while it is under way is refused
            assertThat(body(start(worker, CELL_01, "walk-1").expectStatus().isOk())).containsEntry("id", id);
            problem(start(worker, CELL_01, "walk-2"), 409).jsonPath("$.detail").value(d ->
                    assertThat((String) d).contains(id, "under way"));

            double[] in01 = inside(CELL_01);
            double[] in02 = inside(CELL_02);
            Map<String, Object> once = body(checkIn(worker, id, in01, "check-1").expectStatus().isCreated());
            assertThat(once).containsEntry("checkIns", 1).containsEntry("outsideCell", 0);
            assertThat(points(once).get(0)).containsEntry("gridCode", CELL_01).containsEntry("seq", 1);
            // sent again under its key: still one check-in
            assertThat(body(checkIn(worker, id, in01, "check-1").expectStatus().isCreated())).containsEntry("checkIns", 1);
            Map<String, Object> twice = body(checkIn(worker, id, in02, "check-2").expectStatus().isCreated());
            assertThat(twice).containsEntry("checkIns", 2).containsEntry("outsideCell", 1);
            assertThat(points(twice).get(1)).containsEntry("gridCode", CELL_02).containsEntry("seq", 2);
            assertThat(((Number) twice.get("distanceMetres")).longValue()).isPositive();

            assertThat(patrolIds(worker, "?underWay=true")).contains(id);
            problem(worker.get().uri(BASE + "?underWay=true&day=2026-12-01", JINGBALU_COMMUNITY).exchange(), 400)
                    .jsonPath("$.field").isEqualTo("underWay");

            String found = report(worker, "patrol finding " + id);
            Map<String, Object> read = body(worker.get().uri(BASE + "/{id}", JINGBALU_COMMUNITY, id).exchange()
                    .expectStatus().isOk());
            assertThat(findings(read)).extracting(f -> f.get("caseId")).containsExactly(found);

            // the township's supervisor reads the community's coverage of the day
            Map<String, Object> coverage = body(platform.gatewayAs("supervisor." + JINGBALU).get()
                    .uri(BASE + "/coverage", JINGBALU_COMMUNITY).exchange().expectStatus().isOk());
            Map<String, Object> cell = cells(coverage).stream().filter(c -> CELL_01.equals(c.get("gridCode")))
                    .findFirst().orElseThrow();
            assertThat((List<Object>) cell.get("gridWorkers")).contains(WORKER);
            assertThat(((Number) cell.get("underWay")).intValue()).isEqualTo(1);
            assertThat(((Number) cell.get("checkIns")).intValue()).isGreaterThanOrEqualTo(2);
            assertThat(((Number) cell.get("findings")).intValue()).isGreaterThanOrEqualTo(1);
            assertThat(((Number) coverage.get("patrolledCells")).intValue()).isGreaterThanOrEqualTo(1);
            assertThat(coverage.get("cellCount")).isEqualTo(cells(coverage).size());

            Map<String, Object> ended = body(end(worker, id, "all clear", "end-1").expectStatus().isOk());
            assertThat(ended).containsEntry("status", "ENDED").containsEntry("endedBy", WORKER)
                    .containsEntry("endNote", "all clear");
            // sent again under its key: answered as before; ended again otherwise, or a check-in now: refused
            assertThat(body(end(worker, id, "all clear", "end-1").expectStatus().isOk())).containsEntry("endedAt",
                    ended.get("endedAt"));
            problem(end(worker, id, "again", "end-2"), 409).jsonPath("$.detail").value(d ->
                    assertThat((String) d).contains("ended already"));
            problem(checkIn(worker, id, in01, "check-3"), 409);

            // a case reported after the end is not the patrol's
            report(worker, "after the patrol " + id);
            assertThat(findings(body(worker.get().uri(BASE + "/{id}", JINGBALU_COMMUNITY, id).exchange()
                    .expectStatus().isOk()))).extracting(f -> f.get("caseId")).containsExactly(found);

            // reported up: the township's figures of the community count its patrols and the cells patrolled, and
            // the coverage of its cells over the figures' days
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                Map<String, Object> stats = body(platform.gatewayAs("supervisor." + JINGBALU).get()
                        .uri("/api/units/{u}/stats", JINGBALU).exchange().expectStatus().isOk());
                Map<String, Object> child = ((List<Map<String, Object>>) stats.get("children")).stream()
                        .filter(c -> JINGBALU_COMMUNITY.equals(c.get("code"))).findFirst().orElseThrow();
                Map<String, Object> figures = (Map<String, Object>) child.get("figures");
                Map<String, Object> counts = (Map<String, Object>) figures.get("counts");
                assertThat(((Number) counts.getOrDefault("patrols", 0)).intValue()).isGreaterThanOrEqualTo(1);
                assertThat(((Number) counts.getOrDefault("patrolledCells", 0)).intValue()).isBetween(1, 3);
                assertThat((Map<String, Object>) child.get("current")).containsEntry("gridCells", 3);
                assertThat(((Number) ((Map<String, Object>) figures.get("rates")).get("patrolCoverage")).doubleValue())
                        .isPositive();
            });

            // the ledger (巡查台账): a row for the patrol, its finding, its notes; as CSV and XLSX
            String ledger = platform.gatewayAs("supervisor." + JINGBALU).get()
                    .uri(BASE + "/export?gridCode=" + CELL_01, JINGBALU_COMMUNITY).exchange().expectStatus().isOk()
                    .expectHeader().contentTypeCompatibleWith("text/csv").expectBody(String.class).returnResult()
                    .getResponseBody();
            assertThat(ledger.lines().findFirst().orElseThrow()).contains("巡查编号", "网格员", "发现问题");
            assertThat(ledger.lines().filter(l -> l.startsWith(id)).findFirst().orElseThrow())
                    .contains(CELL_01, WORKER, "patrol finding " + id, "all clear");
            worker.get().uri(BASE + "/export?format=xlsx", JINGBALU_COMMUNITY).exchange().expectStatus().isOk()
                    .expectHeader().contentTypeCompatibleWith(
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
            problem(worker.get().uri(BASE + "/export?format=pdf", JINGBALU_COMMUNITY).exchange(), 400)
                    .jsonPath("$.field").isEqualTo("format");
            problem(worker.get().uri(BASE + "/export?from=2026-12-02&to=2026-12-01", JINGBALU_COMMUNITY).exchange(), 400)
                    .jsonPath("$.field").isEqualTo("from");
            problem(platform.gatewayAs("citizen.1").get().uri(BASE + "/export", JINGBALU_COMMUNITY).exchange(), 403);

            assertThat(patrolIds(worker, "?underWay=true")).doesNotContain(id);
            assertThat(patrolIds(worker, "?gridCode=" + CELL_01)).contains(id);
            assertThat(patrolIds(worker, "?gridCode=" + CELL_02)).doesNotContain(id);
            assertThat(patrolIds(worker, "?patroller=" + WORKER)).contains(id);
            assertThat(patrolIds(worker, "?day=2001-01-01")).isEmpty();
        } finally {
            endIfUnderWay(id);
        }
    }

    @Test
    void whatMayNotBeDoneIsRefusedAndChangesNothing() throws Exception {
        WebTestClient worker = platform.gatewayAs(WORKER);
        long before = rows();
        problem(start(worker, CELL_02, null), 403).jsonPath("$.detail").value(d -> assertThat((String) d)
                .contains("their own grid cells"));
        problem(start(platform.gatewayAs("citizen.1"), CELL_01, null), 403);
        problem(start(platform.gatewayAs("supervisor." + JINGBALU_COMMUNITY), CELL_01, null), 403);
        problem(start(worker, "nope", null), 422).jsonPath("$.field").isEqualTo("gridCode");
        problem(worker.post().uri(BASE, JINGBALU_COMMUNITY).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("note", "no cell")).exchange(), 400);
        problem(worker.post().uri(BASE, SHENGWEI_COMMUNITY).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("gridCode", SHENGWEI_COMMUNITY + "-01")).exchange(), 403);
        problem(worker.get().uri(BASE + "?day=2026-13-01", JINGBALU_COMMUNITY).exchange(), 400)
                .jsonPath("$.field").isEqualTo("day");
        problem(worker.get().uri(BASE + "?underWay=maybe", JINGBALU_COMMUNITY).exchange(), 400)
                .jsonPath("$.field").isEqualTo("underWay");
        problem(worker.get().uri(BASE + "/not-an-id", JINGBALU_COMMUNITY).exchange(), 400)
                .jsonPath("$.field").isEqualTo("patrolId");
        problem(worker.get().uri(BASE + "/{id}", JINGBALU_COMMUNITY, "00000000-0000-4000-8000-000000000000")
                .exchange(), 404);
        assertThat(rows()).isEqualTo(before);

        String id = (String) body(start(worker, CELL_01, null).expectStatus().isCreated()).get("id");
        try {
            long points = pointRows();
            problem(checkIn(worker, id, new double[] {200, 113.66}, null), 400);
            problem(checkIn(platform.gatewayAs("gridworker." + CELL_02), id, inside(CELL_01), null), 403);
            problem(checkIn(platform.gatewayAs("supervisor." + JINGBALU_COMMUNITY), id, inside(CELL_01), null), 403);
            assertThat(pointRows()).isEqualTo(points);
            // read: the unit's staff and those above it, not a resident, not a sibling community
            platform.gatewayAs("citizen.1").get().uri(BASE + "/{id}", JINGBALU_COMMUNITY, id).exchange()
                    .expectStatus().isForbidden();
            platform.gatewayAs("supervisor." + SHENGWEI_COMMUNITY).get().uri(BASE + "/coverage", JINGBALU_COMMUNITY).exchange()
                    .expectStatus().isForbidden();
            // ended by another grid worker: no; by the community's supervisor (a patrol left under way): yes
            problem(end(platform.gatewayAs("gridworker." + CELL_02), id, null, null), 403);
            assertThat(body(end(platform.gatewayAs("supervisor." + JINGBALU_COMMUNITY), id, "left open", null)
                    .expectStatus().isOk())).containsEntry("endedBy", "supervisor." + JINGBALU_COMMUNITY);
        } finally {
            endIfUnderWay(id);
        }
    }

    @Test
    void aPatrolLeftUnderWayIsEndedByTheSystemAtItsLastSignOfLife() throws Exception {
        String cell = JINGBALU_COMMUNITY + "-03";
        WebTestClient forgetful = platform.gatewayAs("gridworker." + cell);
        String left = (String) body(start(forgetful, cell, null).expectStatus().isCreated()).get("id");
        checkIn(forgetful, left, inside(cell), null).expectStatus().isCreated();
        WebTestClient busy = platform.gatewayAs(WORKER);
        String walking = (String) body(start(busy, CELL_01, null).expectStatus().isCreated()).get("id");
        try {
            // as if it had started six hours ago and its one check-in were five hours old
            try (Connection c = platform.jdbc(TestPlatform.database(Tier.COMMUNITY));
                 PreparedStatement back = c.prepareStatement("update patrol set started_at = now() - interval '6 hours'"
                         + " where id = ?::uuid");
                 PreparedStatement point = c.prepareStatement("update patrol_point set at = now() - interval '5 hours'"
                         + " where patrol_id = ?::uuid")) {
                back.setString(1, left);
                point.setString(1, left);
                assertThat(back.executeUpdate()).isEqualTo(1);
                assertThat(point.executeUpdate()).isEqualTo(1);
            }
            Long ended = platform.node(Tier.COMMUNITY).getBean(IdlePatrols.class).endIdle().block(Duration.ofSeconds(30));
            assertThat(ended).isGreaterThanOrEqualTo(1L);

            Map<String, Object> patrol = body(forgetful.get().uri(BASE + "/{id}", JINGBALU_COMMUNITY, left).exchange()
                    .expectStatus().isOk());
            assertThat(patrol).containsEntry("status", "ENDED").containsEntry("endedBy", "system")
                    .containsEntry("endedAt", points(patrol).get(0).get("at"));
            assertThat(((Number) patrol.get("minutes")).intValue()).isEqualTo(60);
            // a walk with a recent sign of life goes on; its grid worker may start the next one after this
            assertThat(body(busy.get().uri(BASE + "/{id}", JINGBALU_COMMUNITY, walking).exchange()
                    .expectStatus().isOk())).containsEntry("status", "UNDER_WAY");
            start(forgetful, cell, null).expectStatus().isCreated();
        } finally {
            endIfUnderWay(walking);
            List<String> open = patrolIds(forgetful, "?underWay=true&patroller=gridworker." + cell);
            open.forEach(PatrolIT::endIfUnderWay);
        }
    }

    @Test
    void aLedgerCutAtItsMostRowsSaysSo() throws Exception {
        // a day long past with one patrol more than a ledger lists (written straight into the community's tables)
        String sql = "insert into patrol (id, unit_code, grid_code, patroller, patroller_name, started_at, ended_at,"
                + " ended_by) select gen_random_uuid(), '" + JINGBALU_COMMUNITY + "', '" + CELL_02 + "', 'bulk', 'bulk',"
                + " timestamptz '2001-01-01 08:00:00+08' + n * interval '1 second',"
                + " timestamptz '2001-01-01 08:00:00+08' + n * interval '1 second' + interval '30 minutes', 'bulk'"
                + " from generate_series(1, 10001) n";
        try (Connection c = platform.jdbc(TestPlatform.database(Tier.COMMUNITY))) {
            assertThat(c.createStatement().executeUpdate(sql)).isEqualTo(10_001);
            try {
                WebTestClient reader = platform.gatewayAs("supervisor." + JINGBALU_COMMUNITY).mutate()
                        .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(16 * 1024 * 1024)).build();
                String ledger = reader.get()
                        .uri(BASE + "/export?from=2001-01-01&to=2001-01-01", JINGBALU_COMMUNITY).exchange()
                        .expectStatus().isOk().expectHeader().valueEquals("Gridlink-Export-Truncated", "10000")
                        .expectBody(String.class).returnResult().getResponseBody();
                assertThat(ledger.lines().count()).isEqualTo(10_001); // the header and 10 000 patrols, newest first
                assertThat(ledger.lines().skip(1).findFirst().orElseThrow()).contains("2001-01-01 10:46:41");
                // narrowed to what fits: no cut, no header
                platform.gatewayAs("supervisor." + JINGBALU_COMMUNITY).get()
                        .uri(BASE + "/export?from=2001-01-01&to=2001-01-01&patroller=nobody", JINGBALU_COMMUNITY)
                        .exchange().expectStatus().isOk().expectHeader().doesNotExist("Gridlink-Export-Truncated");
            } finally {
                c.createStatement().executeUpdate("delete from patrol where patroller = 'bulk'");
            }
        }
    }

    private static WebTestClient.ResponseSpec start(WebTestClient as, String cell, String key) {
        var request = as.post().uri(BASE, JINGBALU_COMMUNITY).contentType(MediaType.APPLICATION_JSON);
        if (key != null) {
            request = request.header("Idempotency-Key", key + "-" + RUN);
        }
        return request.bodyValue(Map.of("gridCode", cell, "note", "daily round")).exchange();
    }

    private static WebTestClient.ResponseSpec checkIn(WebTestClient as, String id, double[] at, String key) {
        var request = as.post().uri(BASE + "/{id}/check-ins", JINGBALU_COMMUNITY, id)
                .contentType(MediaType.APPLICATION_JSON);
        if (key != null) {
            request = request.header("Idempotency-Key", key + "-" + id);
        }
        return request.bodyValue(Map.of("lat", at[0], "lon", at[1])).exchange();
    }

    private static WebTestClient.ResponseSpec end(WebTestClient as, String id, String note, String key) {
        var request = as.post().uri(BASE + "/{id}/end", JINGBALU_COMMUNITY, id).contentType(MediaType.APPLICATION_JSON);
        if (key != null) {
            request = request.header("Idempotency-Key", key + "-" + id);
        }
        Map<String, Object> body = new HashMap<>();
        if (note != null) {
            body.put("note", note);
        }
        return request.bodyValue(body).exchange();
    }

    /** Ends the worker's patrol if a failed assertion left it under way, so the next test may start one. */
    private static void endIfUnderWay(String id) {
        platform.gatewayAs("supervisor." + JINGBALU_COMMUNITY).post().uri(BASE + "/{id}/end", JINGBALU_COMMUNITY, id)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of()).exchange().expectBody().returnResult();
    }

    private static String report(WebTestClient as, String title) {
        Map<String, Object> body = new HashMap<>(Api.aReport("GARBAGE_PILE", title));
        body.remove("reporter");
        body.put("gridCode", CELL_01);
        return (String) body(as.post().uri("/api/units/{u}/cases", JINGBALU_COMMUNITY)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange().expectStatus().isCreated())
                .get("caseId");
    }

    /** A point inside the cell: the mean of its outline's corners (the sample city's cells are convex). */
    @SuppressWarnings("unchecked")
    static double[] inside(String cell) {
        Map<String, Object> map = body(platform.gatewayAs(WORKER).get().uri("/api/units/{u}/grid-map", JINGBALU_COMMUNITY)
                .exchange().expectStatus().isOk());
        Map<String, Object> feature = ((List<Map<String, Object>>) map.get("features")).stream()
                .filter(f -> cell.equals(((Map<String, Object>) f.get("properties")).get("code"))).findFirst()
                .orElseThrow();
        Map<String, Object> geometry = (Map<String, Object>) feature.get("geometry");
        List<List<Number>> ring = geometry.get("type").equals("Polygon")
                ? ((List<List<List<Number>>>) geometry.get("coordinates")).get(0)
                : ((List<List<List<List<Number>>>>) geometry.get("coordinates")).get(0).get(0);
        double lat = 0;
        double lon = 0;
        int corners = ring.size() - 1; // the ring is closed: its last point is its first
        for (int i = 0; i < corners; i++) {
            lon += ring.get(i).get(0).doubleValue();
            lat += ring.get(i).get(1).doubleValue();
        }
        return new double[] {lat / corners, lon / corners};
    }

    @SuppressWarnings("unchecked")
    private static List<String> patrolIds(WebTestClient as, String query) {
        Map<String, Object> day = body(as.get().uri("/api/units/" + JINGBALU_COMMUNITY + "/patrols" + query).exchange()
                .expectStatus().isOk());
        return ((List<Map<String, Object>>) day.get("patrols")).stream().map(p -> (String) p.get("id")).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> points(Map<String, Object> patrol) {
        return (List<Map<String, Object>>) patrol.get("points");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> findings(Map<String, Object> patrol) {
        return (List<Map<String, Object>>) patrol.get("findings");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> cells(Map<String, Object> coverage) {
        return (List<Map<String, Object>>) coverage.get("cells");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(WebTestClient.ResponseSpec response) {
        return response.expectBody(Map.class).returnResult().getResponseBody();
    }

    private static WebTestClient.BodyContentSpec problem(
            WebTestClient.ResponseSpec response, int status) {
        return response.expectStatus().isEqualTo(status)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON).expectBody();
    }

    private static long rows() throws Exception {
        return count("select count(*) from patrol");
    }

    private static long pointRows() throws Exception {
        return count("select count(*) from patrol_point");
    }

    private static long count(String sql) throws Exception {
        try (Connection c = platform.jdbc(TestPlatform.database(Tier.COMMUNITY));
             ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
