package org.gridlink.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.gridlink.kernel.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The rest of issue 5 through the gateway with real tokens: the reporter's verdict (回访) — NOT_FIXED reopens a case
 * that crossed tiers at the unit that resolved it, and the next round closes it again — and merging a duplicate,
 * whose reporter then follows the surviving case.
 */
class VerdictIT {

    static final String JINGBALU = "410105001000";
    static final String JINGBALU_COMMUNITY = "410105001001";
    static final String SHENGWEI_COMMUNITY = "410105001002";
    static final String CITIZEN = "citizen.1";

    static TestPlatform platform;
    static Api api;
    static MutableClock clock;

    @BeforeAll
    static void platform() {
        platform = TestPlatform.get();
        api = new Api(platform);
        clock = platform.clock();
    }

    @AfterEach
    void systemTime() {
        clock.release();
    }

    static Map<String, Object> report(String category, String title, double lat, double lon, String reporter) {
        Map<String, Object> body = new HashMap<>();
        body.put("categoryCode", category);
        body.put("title", title);
        body.put("location", Map.of("lat", lat, "lon", lon));
        if (reporter != null) {
            body.put("reporter", reporter);
        }
        return body;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> reportAs(String person, Map<String, Object> body) {
        return platform.gatewayAs(person).post().uri("/api/units/{u}/cases", JINGBALU_COMMUNITY)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
    }

    static WebTestClient.ResponseSpec actAs(String person, String unit, String caseId, Map<String, Object> body) {
        return platform.gatewayAs(person).post().uri("/api/units/{u}/cases/{id}/actions", unit, caseId)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> readAs(String person, String unit, String caseId) {
        return platform.gatewayAs(person).get().uri("/api/units/{u}/cases/{id}", unit, caseId).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }

    static long count(Map<String, Object> view, String action) {
        return Api.timeline(view).stream().filter(e -> action.equals(e.get("action"))).count();
    }

    /** Resolved at 省委社区, which the township forwarded it to; verified and closed by the township. */
    static void resolveVerifyClose(String id, String resolution) {
        api.act(SHENGWEI_COMMUNITY, id, "START");
        api.act(SHENGWEI_COMMUNITY, id, "RESOLVE", resolution, null);
        api.awaitStatus(JINGBALU, id, "RESOLVED");
        api.act(JINGBALU, id, "VERIFY");
        api.act(JINGBALU, id, "CLOSE");
        api.awaitStatus(SHENGWEI_COMMUNITY, id, "CLOSED");
        api.awaitStatus(JINGBALU_COMMUNITY, id, "CLOSED");
    }

    @Test
    @SuppressWarnings("unchecked")
    void notFixedReopensAtTheResolvingUnitAndTheOriginShowsBothRoundsThenSatisfiedIsRecorded() {
        String id = (String) reportAs(CITIZEN, report("GARBAGE_PILE", "rubbish behind block 3", 34.7712, 113.6612, null))
                .get("caseId");
        api.act(JINGBALU_COMMUNITY, id, "ACCEPT");

        // not closed yet: 409 naming why, nothing changes
        actAs(CITIZEN, JINGBALU_COMMUNITY, id, Map.of("action", "VERDICT", "verdict", "SATISFIED"))
                .expectStatus().isEqualTo(409)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d)
                        .contains("cannot VERDICT a case that is ACCEPTED", "after the case is CLOSED"));
        api.act(JINGBALU_COMMUNITY, id, "ESCALATE", "the heap lies across the boundary", null);
        api.awaitStatus(JINGBALU, id, "REPORTED");
        api.act(JINGBALU, id, "ACCEPT");
        api.act(JINGBALU, id, "DISPATCH", "省委社区 owns the yard", SHENGWEI_COMMUNITY);
        api.awaitStatus(SHENGWEI_COMMUNITY, id, "REPORTED");
        api.act(SHENGWEI_COMMUNITY, id, "ACCEPT");
        // a note among the staff (留言) reaches the reporter's community: the staff read it there, the reporter not,
        // nor as the Open311 request's status notes (the staff's Open311 view leaves it out too)
        String internal = "街道：周三前务必清理，费用由物业承担";
        api.act(JINGBALU, id, "COMMENT", internal, null);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Api.timeline(api.find(JINGBALU_COMMUNITY, id)))
                .anySatisfy(e -> assertThat(e.get("note")).isEqualTo(internal)));
        Map<String, Object> asReporter = readAs(CITIZEN, JINGBALU_COMMUNITY, id);
        assertThat(Api.timeline(asReporter)).noneMatch(e -> "COMMENT".equals(e.get("action")))
                .allSatisfy(e -> assertThat(e.get("actor")).isIn(CITIZEN, null));
        assertThat(Api.timeline(asReporter)).filteredOn(e -> "ESCALATE".equals(e.get("action"))).singleElement()
                .satisfies(e -> assertThat(e.get("note")).isNull());
        assertThat(Api.timeline(asReporter)).filteredOn(e -> "REPORT".equals(e.get("action"))).singleElement()
                .satisfies(e -> assertThat(e.get("actor")).isEqualTo(CITIZEN));
        for (String person : List.of(CITIZEN, "supervisor." + JINGBALU_COMMUNITY)) {
            Object notes = ((List<Map<String, Object>>) platform.gatewayAs(person).get()
                    .uri("/api/units/{u}/open311/v2/requests/{id}.json", JINGBALU_COMMUNITY, id).exchange()
                    .expectStatus().isOk().expectBody(List.class).returnResult().getResponseBody()).get(0)
                    .get("status_notes");
            assertThat(notes).as("%s's status notes", person).isNotEqualTo(internal);
        }
        resolveVerifyClose(id, "cleared the heap");

        Map<String, Object> closed = readAs(CITIZEN, JINGBALU_COMMUNITY, id);
        assertThat(closed.get("allowedActions")).asList().containsExactly("VERDICT");
        // what came of it, from the unit that resolved it; nobody of the staff named
        assertThat(Api.timeline(closed)).filteredOn(e -> "CHILD_RESOLVED".equals(e.get("action")))
                .anySatisfy(e -> assertThat((String) e.get("note")).contains("cleared the heap"));
        assertThat(Api.timeline(closed)).allSatisfy(e -> assertThat(e.get("actor")).isIn(CITIZEN, null));

        // someone else's citizen does not learn the case exists; a grid worker may not judge; NOT_FIXED needs a note
        actAs("citizen.2", JINGBALU_COMMUNITY, id, Map.of("action", "VERDICT", "verdict", "NOT_FIXED", "note", "x"))
                .expectStatus().isNotFound();
        actAs("gridworker.410105001001-01", JINGBALU_COMMUNITY, id, Map.of("action", "VERDICT", "verdict", "SATISFIED"))
                .expectStatus().isForbidden();
        actAs(CITIZEN, JINGBALU_COMMUNITY, id, Map.of("action", "VERDICT", "verdict", "NOT_FIXED"))
                .expectStatus().isEqualTo(422)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.field").isEqualTo("note");
        actAs(CITIZEN, JINGBALU_COMMUNITY, id, Map.of("action", "VERDICT", "verdict", "MAYBE"))
                .expectStatus().isEqualTo(422).expectBody().jsonPath("$.field").isEqualTo("verdict");
        actAs(CITIZEN, JINGBALU_COMMUNITY, id, Map.of("action", "VERDICT", "verdict", "SATISFIED", "actor", "x"))
                .expectStatus().isBadRequest();
        Map<String, Object> unchanged = readAs(CITIZEN, JINGBALU_COMMUNITY, id);
        assertThat(unchanged.get("status")).isEqualTo("CLOSED");
        assertThat(Api.timeline(unchanged)).noneMatch(e -> ((String) e.get("action")).startsWith("VERDICT"));

        // the reporter: not fixed. The origin waits on the township again, the township on 省委社区, which reopens
        Map<String, Object> judged = actAs(CITIZEN, JINGBALU_COMMUNITY, id,
                Map.of("action", "VERDICT", "verdict", "NOT_FIXED", "note", "the heap is back by the bike shed"))
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(judged.get("status")).isEqualTo("ESCALATED");
        assertThat(Api.timeline(judged)).filteredOn(e -> "VERDICT_NOT_FIXED".equals(e.get("action"))).singleElement()
                .satisfies(e -> {
                    assertThat(e.get("actor")).isEqualTo(CITIZEN);
                    assertThat((String) e.get("note")).contains("bike shed", SHENGWEI_COMMUNITY);
                });
        Map<String, Object> atResolver = api.awaitStatus(SHENGWEI_COMMUNITY, id, "REOPENED");
        assertThat(Api.timeline(atResolver)).anySatisfy(e -> {
            assertThat(e.get("action")).isEqualTo("REOPEN");
            assertThat(e.get("unitCode")).isEqualTo(SHENGWEI_COMMUNITY);
        });
        assertThat(((Map<String, Object>) atResolver.get("deadline")).get("clock")).isEqualTo("HANDLING");
        assertThat(atResolver.get("overdue")).isEqualTo(false);
        api.awaitStatus(JINGBALU, id, "DISPATCHED");
        api.awaitStatus(JINGBALU_COMMUNITY, id, "ESCALATED");
        assertThat(atResolver.get("allowedActions")).asList().contains("START");
        resolveVerifyClose(id, "cleared it and the drain");

        Map<String, Object> origin = readAs(CITIZEN, JINGBALU_COMMUNITY, id);
        assertThat(count(origin, "RESOLVE")).isEqualTo(2);
        assertThat(count(origin, "CLOSE")).isEqualTo(2);
        assertThat(count(origin, "VERDICT_NOT_FIXED")).isEqualTo(1);
        assertThat(count(origin, "REOPEN")).isEqualTo(1);
        assertThat(Api.timeline(origin)).filteredOn(e -> "REOPEN".equals(e.get("action")))
                .extracting(e -> e.get("unitCode")).containsExactly(SHENGWEI_COMMUNITY);

        // second round: satisfied, recorded along the chain; one verdict per close
        Map<String, Object> satisfied = actAs(CITIZEN, JINGBALU_COMMUNITY, id,
                Map.of("action", "VERDICT", "verdict", "SATISFIED")).expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(satisfied.get("status")).isEqualTo("CLOSED");
        assertThat(count(satisfied, "VERDICT_SATISFIED")).isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(count(api.find(JINGBALU, id), "VERDICT_SATISFIED")).isEqualTo(1));
        actAs(CITIZEN, JINGBALU_COMMUNITY, id, Map.of("action", "VERDICT", "verdict", "NOT_FIXED", "note", "again"))
                .expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("given already"));
        assertThat(api.find(SHENGWEI_COMMUNITY, id).get("status")).isEqualTo("CLOSED");
    }

    @Test
    void aHotlineHandlerRecordsTheVerdictForTheReporterWithinTheWindowOnly() {
        String handler = "handler." + JINGBALU_COMMUNITY;
        String id = (String) reportAs(handler, report("GARBAGE_PILE", "bins not emptied (12345 call)", 34.7713, 113.6613,
                "citizen.1")).get("caseId");
        for (String action : List.of("ACCEPT", "START")) {
            api.act(JINGBALU_COMMUNITY, id, action);
        }
        api.act(JINGBALU_COMMUNITY, id, "RESOLVE", "emptied", null);
        api.act(JINGBALU_COMMUNITY, id, "VERIFY");
        api.act(JINGBALU_COMMUNITY, id, "CLOSE");

        // eight days later: the 7-day window (gridlink.verdict.window) has ended
        clock.set(Instant.now().plus(Duration.ofDays(8)));
        actAs(handler, JINGBALU_COMMUNITY, id, Map.of("action", "VERDICT", "verdict", "NOT_FIXED", "note", "late call"))
                .expectStatus().isEqualTo(409)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d)
                        .contains("time for a verdict", "ended at"));
        assertThat(readAs(handler, JINGBALU_COMMUNITY, id).get("allowedActions")).asList().doesNotContain("VERDICT");
        clock.release();

        // within the window the hotline operator records the reporter's verdict
        Map<String, Object> view = actAs(handler, JINGBALU_COMMUNITY, id,
                Map.of("action", "VERDICT", "verdict", "SATISFIED", "note", "caller is satisfied"))
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(Api.timeline(view)).filteredOn(e -> "VERDICT_SATISFIED".equals(e.get("action"))).singleElement()
                .satisfies(e -> assertThat(e.get("actor")).isEqualTo(handler));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aDuplicateTwentyMetresAwayIsOfferedAndMergedItsReporterFollowsTheSurvivorOneAtEightyMetresIsNotOffered() {
        String handler = "handler." + JINGBALU_COMMUNITY;
        String first = (String) reportAs(handler, report("MANHOLE_COVER", "manhole cover missing", 34.7710, 113.6720, null))
                .get("caseId");
        // a hotline call 20 m north, for citizen.1: offered at once in the 201
        Map<String, Object> second = reportAs(handler,
                report("MANHOLE_COVER", "open manhole near the school", 34.77118, 113.6720, CITIZEN));
        String near = (String) second.get("caseId");
        List<Map<String, Object>> offered = (List<Map<String, Object>>) second.get("duplicateCandidates");
        assertThat(offered).extracting(c -> c.get("caseId")).containsExactly(first);
        assertThat(((Number) offered.get(0).get("distanceMetres")).doubleValue()).isBetween(19.0, 21.0);
        // 80 m east: not offered
        Map<String, Object> third = reportAs(handler,
                report("MANHOLE_COVER", "cracked cover", 34.7710, 113.67288, null));
        assertThat((List<Object>) third.get("duplicateCandidates")).isEmpty();
        List<Map<String, Object>> listed = platform.gatewayAs(handler).get()
                .uri("/api/units/{u}/cases/{id}/duplicates", JINGBALU_COMMUNITY, near).exchange().expectStatus().isOk()
                .expectBody(List.class).returnResult().getResponseBody();
        assertThat(listed).extracting(c -> c.get("caseId")).contains(first).doesNotContain(third.get("caseId"));
        // a citizen's own report lists none (they do not see others' reports)
        assertThat((List<Object>) reportAs(CITIZEN, report("MANHOLE_COVER", "manhole!", 34.77119, 113.6720, null))
                .get("duplicateCandidates")).isEmpty();

        // before the merge the citizen does not see the surviving case
        platform.gatewayAs(CITIZEN).get().uri("/api/units/{u}/cases/{id}", JINGBALU_COMMUNITY, first).exchange()
                .expectStatus().isNotFound();

        // bad merges: 4xx problem+json, nothing changes
        String elsewhere = (String) api.report(SHENGWEI_COMMUNITY, report("MANHOLE_COVER", "theirs", 34.775, 113.661,
                null)).get("caseId");
        actAs(handler, JINGBALU_COMMUNITY, near, Map.of("action", "MERGE", "into", elsewhere))
                .expectStatus().isEqualTo(422)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.field").isEqualTo("into")
                .jsonPath("$.detail").value(d -> assertThat((String) d).contains("holds no record", "same unit"));
        actAs(handler, JINGBALU_COMMUNITY, near, Map.of("action", "MERGE", "into", near))
                .expectStatus().isEqualTo(422).expectBody().jsonPath("$.detail")
                .value(d -> assertThat((String) d).contains("itself"));
        String otherCategory = (String) reportAs(handler, report("STREETLIGHT_BROKEN", "lamp out", 34.7710, 113.6721,
                null)).get("caseId");
        actAs(handler, JINGBALU_COMMUNITY, near, Map.of("action", "MERGE", "into", otherCategory))
                .expectStatus().isEqualTo(422).expectBody().jsonPath("$.detail")
                .value(d -> assertThat((String) d).contains("category STREETLIGHT_BROKEN"));
        actAs(handler, JINGBALU_COMMUNITY, near, Map.of("action", "MERGE")).expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.field").isEqualTo("into");
        actAs("gridworker.410105001001-03", JINGBALU_COMMUNITY, near, Map.of("action", "MERGE", "into", first))
                .expectStatus().isForbidden();
        Map<String, Object> stillOpen = api.find(JINGBALU_COMMUNITY, near);
        assertThat(stillOpen.get("status")).isEqualTo("REPORTED");
        assertThat(stillOpen.get("allowedActions")).asList().contains("MERGE");
        assertThat(Api.timeline(api.find(JINGBALU_COMMUNITY, first))).noneMatch(e -> "MERGED_IN".equals(e.get("action")));

        Map<String, Object> merged = actAs(handler, JINGBALU_COMMUNITY, near,
                Map.of("action", "MERGE", "into", first, "note", "the same open manhole"))
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(merged.get("status")).isEqualTo("CLOSED");
        assertThat(merged.get("resolution")).isEqualTo("merged into case " + first);
        assertThat(Api.timeline(merged)).filteredOn(e -> "MERGE".equals(e.get("action"))).singleElement()
                .satisfies(e -> assertThat((String) e.get("note")).contains(first, "the same open manhole"));

        // the survivor says so, and citizen.1 reads it as their own: which case was merged in (theirs), not who
        // reported what nor the staff's words (the staff read both)
        assertThat(Api.timeline(api.find(JINGBALU_COMMUNITY, first))).filteredOn(e -> "MERGED_IN".equals(e.get("action")))
                .singleElement().satisfies(e -> assertThat((String) e.get("note"))
                        .contains(near, CITIZEN + " follows", "the same open manhole"));
        Map<String, Object> survivor = readAs(CITIZEN, JINGBALU_COMMUNITY, first);
        assertThat(survivor.get("status")).isEqualTo("REPORTED");
        assertThat(Api.timeline(survivor)).filteredOn(e -> "MERGED_IN".equals(e.get("action"))).singleElement()
                .satisfies(e -> assertThat(e.get("note")).isEqualTo("case " + near + " merged into this one"));
        // merging into a closed case is refused
        actAs(handler, JINGBALU_COMMUNITY, (String) third.get("caseId"), Map.of("action", "MERGE", "into", near))
                .expectStatus().isEqualTo(422).expectBody().jsonPath("$.detail")
                .value(d -> assertThat((String) d).contains("is CLOSED"));
        // another citizen still sees nothing
        platform.gatewayAs("citizen.2").get().uri("/api/units/{u}/cases/{id}", JINGBALU_COMMUNITY, first).exchange()
                .expectStatus().isNotFound();
    }

    /**
     * A duplicate's photos stay with its record, and the surviving case lists them (mergedFrom) to the staff: what the
     * second reporter saw is not lost by merging. A resident who follows the survivor is not shown another's photos.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aMergedReportsPhotosAreListedOnTheSurvivorForTheStaff() {
        String handler = "handler." + JINGBALU_COMMUNITY;
        String survivor = (String) reportAs(handler, report("MANHOLE_COVER", "cover gone at the bus stop", 34.7706,
                113.6702, null)).get("caseId");
        String duplicate = (String) reportAs(CITIZEN, report("MANHOLE_COVER", "open manhole by the bus stop", 34.77062,
                113.6702, null)).get("caseId");
        Map<String, Object> photo = WhereAndWhatIT.upload(platform.gatewayAs(handler), duplicate, "BEFORE",
                        "manhole.jpg", MediaType.IMAGE_JPEG, WhereAndWhatIT.JPEG)
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(((List<Object>) readAs(handler, JINGBALU_COMMUNITY, survivor).get("evidence"))).isEmpty();

        // the answer to the MERGE is the merged record; the survivor's page, read next, lists the photo
        actAs(handler, JINGBALU_COMMUNITY, duplicate, Map.of("action", "MERGE", "into", survivor)).expectStatus().isOk();
        for (String staff : List.of(handler, "supervisor." + JINGBALU)) {
            List<Map<String, Object>> evidence = (List<Map<String, Object>>) readAs(staff, JINGBALU_COMMUNITY, survivor)
                    .get("evidence");
            assertThat(evidence).as("the survivor's evidence read by %s", staff).singleElement().satisfies(e -> {
                assertThat(e.get("evidenceId")).isEqualTo(photo.get("evidenceId"));
                assertThat(e.get("mergedFrom")).isEqualTo(duplicate);
                assertThat((String) e.get("href")).contains("/cases/" + duplicate + "/evidence/");
            });
        }
        List<Map<String, Object>> listed = platform.gatewayAs(handler).get()
                .uri("/api/units/{u}/cases/{id}/evidence", JINGBALU_COMMUNITY, survivor).exchange().expectStatus().isOk()
                .expectBody(List.class).returnResult().getResponseBody();
        assertThat(listed).extracting(e -> e.get("evidenceId")).containsExactly(photo.get("evidenceId"));
        byte[] bytes = platform.gatewayAs(handler).get().uri((String) listed.get(0).get("href")).exchange()
                .expectStatus().isOk().expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(bytes).isEqualTo(WhereAndWhatIT.JPEG);

        // citizen.1 follows the survivor now (their report was merged into it), and reads it without the photos
        Map<String, Object> asFollower = readAs(CITIZEN, JINGBALU_COMMUNITY, survivor);
        assertThat((List<Object>) asFollower.get("evidence")).isEmpty();
        // their own record keeps its photo
        assertThat((List<Map<String, Object>>) readAs(CITIZEN, JINGBALU_COMMUNITY, duplicate).get("evidence"))
                .extracting(e -> e.get("mergedFrom")).containsExactly((Object) null);
    }

    /**
     * Two handlers merge the same two duplicates into each other at the same moment: one merge wins and the other is
     * refused with a problem (the case it names is closed now), never a server error, and each pair ends with one
     * record closed as merged and the other open with it merged in. Each merge locks both records; without one order
     * for the two locks, the two transactions would each hold one and wait for the other.
     */
    @Test
    @SuppressWarnings("unchecked")
    void twoOppositeMergesAtTheSameMomentOneWinsTheOtherIsRefused() throws Exception {
        String handler = "handler." + JINGBALU_COMMUNITY;
        java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int pair = 0; pair < 8; pair++) {
                double lat = 34.7703 + pair * 0.00005;
                String a = (String) reportAs(handler, report("MANHOLE_COVER", "cover gone " + pair, lat, 113.6716,
                        null)).get("caseId");
                String b = (String) reportAs(handler, report("MANHOLE_COVER", "cover gone again " + pair, lat + 0.00003,
                        113.6716, null)).get("caseId");
                java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
                java.util.concurrent.Callable<Integer> aIntoB = () -> {
                    together.await();
                    return actAs(handler, JINGBALU_COMMUNITY, a, Map.of("action", "MERGE", "into", b))
                            .returnResult(String.class).getStatus().value();
                };
                java.util.concurrent.Callable<Integer> bIntoA = () -> {
                    together.await();
                    return actAs(handler, JINGBALU_COMMUNITY, b, Map.of("action", "MERGE", "into", a))
                            .returnResult(String.class).getStatus().value();
                };
                java.util.concurrent.Future<Integer> first = two.submit(aIntoB);
                java.util.concurrent.Future<Integer> second = two.submit(bIntoA);
                List<Integer> statuses = List.of(first.get(30, java.util.concurrent.TimeUnit.SECONDS),
                        second.get(30, java.util.concurrent.TimeUnit.SECONDS));

                assertThat(statuses).as("pair %d: one merge wins, the other is refused as a client's request", pair)
                        .containsOnlyOnce(200).anyMatch(s -> s == 409 || s == 422);
                Map<String, Object> recordA = api.find(JINGBALU_COMMUNITY, a);
                Map<String, Object> recordB = api.find(JINGBALU_COMMUNITY, b);
                Map<String, Object> merged = statuses.get(0) == 200 ? recordA : recordB;
                Map<String, Object> survivor = statuses.get(0) == 200 ? recordB : recordA;
                assertThat(merged.get("status")).isEqualTo("CLOSED");
                assertThat((String) merged.get("resolution")).startsWith("merged into case ");
                assertThat(survivor.get("status")).isEqualTo("REPORTED");
                assertThat(count(survivor, "MERGED_IN")).isEqualTo(1);
                assertThat(count(merged, "MERGED_IN")).isZero();
            }
        } finally {
            two.shutdownNow();
        }
    }

    @Test
    void aManholeCaseIsResolvedOnlyWithAnAfterPhoto() {
        String handler = "handler." + JINGBALU_COMMUNITY;
        String id = (String) reportAs(handler, report("MANHOLE_COVER", "cover cracked at the gate", 34.7708, 113.6712,
                null)).get("caseId");
        api.act(JINGBALU_COMMUNITY, id, "ACCEPT");
        api.act(JINGBALU_COMMUNITY, id, "START");
        WebTestClient worker = platform.gatewayAs(handler);
        upload(worker, id, "BEFORE", WhereAndWhatIT.JPEG).expectStatus().isCreated();

        actAs(handler, JINGBALU_COMMUNITY, id, Map.of("action", "RESOLVE", "note", "replaced the cover"))
                .expectStatus().isEqualTo(422)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.field").isEqualTo("evidence")
                .jsonPath("$.detail").value(d -> assertThat((String) d).contains("MANHOLE_COVER", "AFTER photo"));
        assertThat(api.find(JINGBALU_COMMUNITY, id).get("status")).isEqualTo("IN_PROGRESS");

        upload(worker, id, "AFTER", WhereAndWhatIT.JPEG).expectStatus().isCreated();
        Map<String, Object> resolved = actAs(handler, JINGBALU_COMMUNITY, id,
                Map.of("action", "RESOLVE", "note", "replaced the cover")).expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(resolved.get("status")).isEqualTo("RESOLVED");
    }

    static WebTestClient.ResponseSpec upload(WebTestClient client, String caseId, String stage, byte[] bytes) {
        MultipartBodyBuilder form = new MultipartBodyBuilder();
        form.part("file", new ByteArrayResource(bytes)).filename(stage.toLowerCase() + ".jpg")
                .contentType(MediaType.IMAGE_JPEG);
        form.part("stage", stage);
        return client.post().uri("/api/units/{u}/cases/{id}/evidence", JINGBALU_COMMUNITY, caseId)
                .contentType(MediaType.MULTIPART_FORM_DATA).body(BodyInserters.fromMultipartData(form.build()))
                .exchange();
    }
}
