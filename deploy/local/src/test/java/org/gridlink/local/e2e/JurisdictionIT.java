package org.gridlink.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.http.MediaType;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.test.web.reactive.server.FluxExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * Who may see and do what, through the gateway with real tokens from the identity server: every endpoint ×
 * every role × {own unit, child unit, sibling unit, parent unit}. An allowed cell works; every other one is
 * refused (403, or 404 where even the existence of a case must not leak) and changes nothing.
 */
class JurisdictionIT {

    static final String COMMUNITY = "410105001001";
    static final String SIBLING_COMMUNITY = "410105001002";
    static final String TOWNSHIP = "410105001000";
    static final String SIBLING_TOWNSHIP = "410105002000";
    static final String DISTRICT = "410105000000";
    static final String CITY = "410100000000";

    /** Who is tried, and the units that are their own, a child, a sibling and the parent (null: none). */
    record Subject(String role, String username, String own, String child, String sibling, String parent) {

        String unit(String relation) {
            return switch (relation) {
                case "own" -> own;
                case "child" -> child;
                case "sibling" -> sibling;
                case "parent" -> parent;
                default -> throw new IllegalArgumentException(relation);
            };
        }
    }

    static final List<Subject> SUBJECTS = List.of(
            new Subject("GRID_WORKER", "gridworker.410105001001-01", COMMUNITY, null, SIBLING_COMMUNITY, TOWNSHIP),
            new Subject("CITIZEN", "citizen.1", COMMUNITY, null, SIBLING_COMMUNITY, TOWNSHIP),
            new Subject("HANDLER", "handler.410105001000", TOWNSHIP, COMMUNITY, SIBLING_TOWNSHIP, DISTRICT),
            new Subject("SUPERVISOR", "supervisor.410105001000", TOWNSHIP, COMMUNITY, SIBLING_TOWNSHIP, DISTRICT),
            new Subject("DEPARTMENT_OFFICER", "officer.URBAN_MANAGEMENT.410105001000", TOWNSHIP, COMMUNITY, SIBLING_TOWNSHIP, DISTRICT),
            new Subject("LEADER", "leader.410105001000", TOWNSHIP, COMMUNITY, SIBLING_TOWNSHIP, DISTRICT),
            new Subject("ADMIN", "admin.410100000000", CITY, DISTRICT, null, null));

    /**
     * The expected answer per endpoint: view the unit, its categories, its queue, read one of its cases, report a
     * case there, ACCEPT one of its cases. (The subtree's overdue list, the roster and the supervision notices sent
     * follow the queue's column.)
     */
    static final String EXPECTED = """
            GRID_WORKER        own     200 200 200 200 201 200
            GRID_WORKER        sibling 403 403 403 403 403 403
            GRID_WORKER        parent  200 200 403 403 403 403
            CITIZEN            own     200 200 403 404 201 404
            CITIZEN            sibling 403 403 403 404 403 404
            CITIZEN            parent  200 200 403 404 403 404
            HANDLER            own     200 200 200 200 201 200
            HANDLER            child   200 200 200 200 403 403
            HANDLER            sibling 403 403 403 403 403 403
            HANDLER            parent  200 200 403 403 403 403
            SUPERVISOR         own     200 200 200 200 201 200
            SUPERVISOR         child   200 200 200 200 403 403
            SUPERVISOR         sibling 403 403 403 403 403 403
            SUPERVISOR         parent  200 200 403 403 403 403
            DEPARTMENT_OFFICER own     200 200 200 200 403 403
            DEPARTMENT_OFFICER child   200 200 200 200 403 403
            DEPARTMENT_OFFICER sibling 403 403 403 403 403 403
            DEPARTMENT_OFFICER parent  200 200 403 403 403 403
            LEADER             own     200 200 200 200 403 403
            LEADER             child   200 200 200 200 403 403
            LEADER             sibling 403 403 403 403 403 403
            LEADER             parent  200 200 403 403 403 403
            ADMIN              own     200 200 200 200 403 403
            ADMIN              child   200 200 200 200 403 403
            """;

    static final String[] ENDPOINTS = {"view unit", "categories", "queue", "read case", "report", "accept", "overdue list",
            "roster", "supervision notices", "stats", "stats trend", "assessment", "case ledger", "dead letters",
            "send dead letters again", "my reports", "sources", "open311 services", "open311 requests",
            "open311 request", "open311 report", "grid map", "patrols", "patrol coverage", "read patrol",
            "start patrol", "check in on patrol", "end patrol", "patrol ledger", "to-do",
            "officers' workloads", "notices received", "notice received", "sign for notice", "notices issued",
            "notice issued", "issue notice", "hand over an officer's work", "remind units of a notice", "comment on a case", "withdraw a notice", "mark an officer away",
            "mark an officer back", "remind the units below of a notice", "read the working calendar",
            "publish a year of the working calendar", "the record of absences",
            "read a year's publications of the calendar", "open311 discovery"};
    static final AtomicInteger titles = new AtomicInteger();

    static TestPlatform platform;

    @BeforeAll
    static void platform() {
        platform = TestPlatform.get();
    }

    @TestFactory
    Stream<DynamicTest> everyEndpointForEveryRoleAtOwnChildSiblingAndParentUnits() {
        List<DynamicTest> tests = new ArrayList<>();
        // every role and relation the table names, and no more: a subject without such a unit is left out
        assertThat(EXPECTED.lines().count()).isEqualTo(SUBJECTS.stream()
                .mapToLong(s -> Stream.of("own", "child", "sibling", "parent").filter(r -> s.unit(r) != null).count()).sum());
        for (String line : EXPECTED.strip().split("\n")) {
            String[] cell = line.trim().split("\\s+");
            Subject subject = SUBJECTS.stream().filter(s -> s.role().equals(cell[0])).findFirst().orElseThrow();
            String relation = cell[1];
            String unit = subject.unit(relation);
            for (int e = 0; e < ENDPOINTS.length; e++) {
                int endpoint = e;
                // the subtree's overdue list, the roster, the supervision notices sent, stats, assessment and the case
                // ledger are read as the queue is: their column is the queue's
                // the dead letters are an administrator's, at their unit and below, and no one else's
                // one's own reports (reporter=me) are read as the queue, and by a citizen at any unit: only theirs
                // the sources a report may name are read as the categories are
                // Open311's services, requests, request and report are read and made as the sources, one's own
                // reports (a citizen's list is their own), a case and a report are
                // the grid map is read as the sources (and the categories) are
                int like = e == 17 || e == 21 ? 16 : e == 18 ? 15 : e == 19 ? 3 : e == 20 ? 4 : e;
                int expected = like == 16 ? Integer.parseInt(cell[3]) : like == 15 ? (subject.role().equals("CITIZEN") ? 200 : Integer.parseInt(cell[4]))
                        : like >= 13 ? (subject.role().equals("ADMIN") ? 200 : 403)
                        : Integer.parseInt(cell[2 + (like >= 6 ? 2 : like)]);
                // patrols are a community's (its node answers them; any other node has no such resource): read (and
                // their ledger) as the queue is; started, checked in on and ended by the grid worker in their own cell (the fixture
                // patrol has ended: a check-in or an end on it is refused as such, 409), and by no one else
                if (e >= 22 && e <= 28) {
                    boolean community = org.gridlink.contracts.UnitCode.of(unit).tier()
                            == org.gridlink.contracts.Tier.COMMUNITY;
                    boolean patroller = subject.role().equals("GRID_WORKER") && relation.equals("own");
                    expected = !community ? 404 : e <= 24 || e == 28 ? Integer.parseInt(cell[4])
                            : patroller ? (e == 25 ? 201 : 409) : 403;
                }
                // the to-do (待办) and the officers' workloads are read as the queue is
                if (e >= 29) {
                    expected = Integer.parseInt(cell[4]);
                }
                // notices (通知) are read as the queue is (a city receives none, a community issues none: whoever may
                // read there is told there is no such notice); signed for by a handler or a supervisor of the unit,
                // issued by a supervisor or a leader of the unit, and by no one else
                boolean ownStaff = relation.equals("own");
                if ((e == 32 && unit.equals(CITY) || e == 35 && isCommunity(unit)) && expected == 200) {
                    expected = 404;
                } else if (e == 33) {
                    expected = ownStaff && (subject.role().equals("HANDLER") || subject.role().equals("SUPERVISOR"))
                            ? 200 : 403;
                } else if (e == 36) {
                    expected = ownStaff && (subject.role().equals("SUPERVISOR") || subject.role().equals("LEADER"))
                            ? 201 : 403;
                } else if (e == 38) {
                    // a reminder (催签) of a notice the unit issued: by whoever may issue one; a community issues none
                    expected = ownStaff && (subject.role().equals("SUPERVISOR") || subject.role().equals("LEADER"))
                            ? 200 : 403;
                } else if (e == 37) {
                    // an officer's work handed over (工作交接): by a supervisor of the unit, and no one else
                    expected = ownStaff && subject.role().equals("SUPERVISOR") ? 200 : 403;
                }
                if (e == 40) {
                    // a notice withdrawn (撤回): by whoever may issue one from the unit; a community issues none
                    expected = ownStaff && (subject.role().equals("SUPERVISOR") || subject.role().equals("LEADER"))
                            ? 200 : 403;
                }
                if (e == 39) {
                    // a note (留言) is written by whoever may act on the record, and by a leader of the unit or one who
                    // answers for it (批示: the township's leader at its communities)
                    expected = subject.role().equals("LEADER") && (relation.equals("own") || relation.equals("child"))
                            ? 200 : Integer.parseInt(cell[7]);
                }
                if (e == 41 || e == 42) {
                    // an officer marked away (离岗) or back (返岗): by a supervisor of the unit, and no one else
                    expected = ownStaff && subject.role().equals("SUPERVISOR") ? (e == 41 ? 200 : 204) : 403;
                }
                if (e == 43) {
                    // the units below reminded of a notice the unit received (逐级催签): by whoever may issue one from
                    // the unit; a community has nobody below (409)
                    expected = ownStaff && (subject.role().equals("SUPERVISOR") || subject.role().equals("LEADER"))
                            ? (isCommunity(unit) ? 409 : 200) : 403;
                }
                if (e == 48) {
                    // Open311's service discovery is open to anyone (without a token too, Open311IT)
                    expected = 200;
                }
                if (e == 44 || e == 47) {
                    // the working calendar is read as the unit is
                    expected = Integer.parseInt(cell[2]);
                }
                if (e == 46) {
                    // the record of absences (请假记录) is read as the officers' workloads are, as the queue
                    expected = Integer.parseInt(cell[4]);
                }
                if (e == 45) {
                    // a year of the calendar is published by an administrator of the city, at the city only (422 at a
                    // unit below), and by no one else
                    expected = subject.role().equals("ADMIN") ? (unit.equals(CITY) ? 200 : 422) : 403;
                }
                int answer = expected;
                tests.add(DynamicTest.dynamicTest(subject.role() + " " + ENDPOINTS[e] + " at " + relation + " unit " + unit
                        + " → " + answer, () -> check(subject, unit, endpoint, answer)));
            }
        }
        return tests.stream();
    }

    private void check(Subject subject, String unit, int endpoint, int expected) {
        WebTestClient as = platform.gatewayAs(subject.username());
        switch (endpoint) {
            case 0 -> status(as.get().uri("/api/units/{u}", unit), expected);
            case 1 -> status(as.get().uri("/api/units/{u}/categories", unit), expected);
            case 2 -> status(as.get().uri("/api/units/{u}/cases", unit), expected);
            case 3 -> status(as.get().uri("/api/units/{u}/cases/{id}", unit, fixture(unit)), expected);
            case 4 -> {
                String title = "jurisdiction report " + titles.incrementAndGet();
                Map<String, Object> body = new HashMap<>(Api.aReport("GARBAGE_PILE", title));
                body.remove("reporter");
                status(as.post().uri("/api/units/{u}/cases", unit).contentType(MediaType.APPLICATION_JSON).bodyValue(body),
                        expected);
                boolean landed = queueTitles(unit).contains(title);
                assertThat(landed).as("a report by %s at %s exists", subject.username(), unit).isEqualTo(expected == 201);
            }
            case 5 -> {
                String id = fixture(unit);
                // on a version the record never had: whoever may not act is refused as without one (the record's
                // version is not theirs to learn); whoever may is told the record changed, and nothing changes
                status(as.post().uri("/api/units/{u}/cases/{id}/actions", unit, id).contentType(MediaType.APPLICATION_JSON)
                        .header("If-Match", "\"2000-01-01T00:00:00Z\"").bodyValue(Map.of("action", "ACCEPT")),
                        expected == 200 ? 412 : expected);
                // under an Idempotency-Key, and again under it (its answer lost): a key lets nobody do more, and
                // whoever may act is answered again without a second ACCEPT
                String key = "jurisdiction-" + titles.incrementAndGet();
                for (int i = 0; i < 2; i++) {
                    status(as.post().uri("/api/units/{u}/cases/{id}/actions", unit, id)
                            .contentType(MediaType.APPLICATION_JSON).header("Idempotency-Key", key)
                            .bodyValue(Map.of("action", "ACCEPT")), expected);
                }
                Map<String, Object> record = new Api(platform).find(unit, id);
                assertThat(record.get("status")).isEqualTo(expected == 200 ? "ACCEPTED" : "REPORTED");
                assertThat(Api.timeline(record)).hasSize(expected == 200 ? 2 : 1);
            }
            case 6 -> status(as.get().uri("/api/units/{u}/cases/overdue", unit), expected);
            case 7 -> status(as.get().uri("/api/units/{u}/roster", unit), expected);
            case 8 -> status(as.get().uri("/api/units/{u}/supervision", unit), expected);
            case 9 -> status(as.get().uri("/api/units/{u}/stats", unit), expected);
            case 10 -> status(as.get().uri("/api/units/{u}/stats/trend", unit), expected);
            case 11 -> status(as.get().uri("/api/units/{u}/assessment", unit), expected);
            case 12 -> status(as.get().uri("/api/units/{u}/cases/export", unit), expected);
            case 13 -> status(as.get().uri("/api/units/{u}/dead-letters", unit), expected);
            case 14 -> status(as.post().uri("/api/units/{u}/dead-letters/replay", unit), expected);
            case 15 -> {
                status(as.get().uri("/api/units/{u}/cases?reporter=me&limit=200", unit), expected);
                if (expected == 200 && subject.role().equals("CITIZEN")) {
                    // every case listed is one the citizen may read, and the one they reported here is listed
                    List<String> listed = caseIds(as.get().uri("/api/units/{u}/cases?reporter=me&limit=200", unit));
                    listed.forEach(id -> status(as.get().uri("/api/units/{u}/cases/{id}", unit, id), 200));
                    if (unit.equals(COMMUNITY)) {
                        assertThat(listed).isNotEmpty();
                    }
                }
            }
            case 16 -> status(as.get().uri("/api/units/{u}/sources", unit), expected);
            case 17 -> status(as.get().uri("/api/units/{u}/open311/v2/services.json", unit), expected);
            case 18 -> status(as.get().uri("/api/units/{u}/open311/v2/requests.json", unit), expected);
            case 19 -> status(as.get().uri("/api/units/{u}/open311/v2/requests/{id}.json", unit, fixture(unit)),
                    expected);
            case 20 -> {
                String title = "jurisdiction open311 " + titles.incrementAndGet();
                MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
                form.add("service_code", "GARBAGE_PILE");
                form.add("address_string", "经八路 12号");
                form.add("description", title);
                status(as.post().uri("/api/units/{u}/open311/v2/requests.json", unit)
                        .contentType(MediaType.APPLICATION_FORM_URLENCODED).body(BodyInserters.fromFormData(form)),
                        expected);
                assertThat(queueTitles(unit).contains(title)).as("an Open311 request by %s at %s exists",
                        subject.username(), unit).isEqualTo(expected == 201);
            }
            case 21 -> status(as.get().uri("/api/units/{u}/grid-map", unit), expected);
            case 22 -> status(as.get().uri("/api/units/{u}/patrols", unit), expected);
            case 23 -> status(as.get().uri("/api/units/{u}/patrols/coverage", unit), expected);
            case 24 -> status(as.get().uri("/api/units/{u}/patrols/{id}", unit, patrolFixture(unit)), expected);
            case 25 -> {
                long before = patrols(unit);
                var result = answered(as.post().uri("/api/units/{u}/patrols", unit)
                        .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("gridCode", unit + "-01")), Map.class);
                Map<?, ?> body = result.getResponseBody().blockFirst(Duration.ofSeconds(30));
                assertThat(result.getStatus().value()).as("answer: %s", body).isEqualTo(expected);
                if (expected == 201) {
                    status(as.post().uri("/api/units/{u}/patrols/{id}/end", unit, body.get("id"))
                            .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of()), 200);
                }
                assertThat(patrols(unit)).isEqualTo(before + (expected == 201 ? 1 : 0));
            }
            case 26 -> status(as.post().uri("/api/units/{u}/patrols/{id}/check-ins", unit, patrolFixture(unit))
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("lat", 34.77, "lon", 113.66)), expected);
            case 27 -> status(as.post().uri("/api/units/{u}/patrols/{id}/end", unit, patrolFixture(unit))
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("note", "again")), expected);
            case 28 -> status(as.get().uri("/api/units/{u}/patrols/export", unit), expected);
            case 29 -> status(as.get().uri("/api/units/{u}/todo", unit), expected);
            case 30 -> status(as.get().uri("/api/units/{u}/todo/officers", unit), expected);
            case 31 -> status(as.get().uri("/api/units/{u}/notices", unit), expected);
            case 32 -> status(as.get().uri("/api/units/{u}/notices/{id}", unit, noticeFromTheCity(unit)), expected);
            case 33 -> {
                // a notice of the unit's own to sign for, fresh for whoever may (it is signed once); refused before
                // any notice is looked up for whoever may not
                String id = expected == 200 ? freshNoticeAt(unit) : UUID.randomUUID().toString();
                status(as.post().uri("/api/units/{u}/notices/{id}/sign", unit, id)
                        .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("reply", "收到")), expected);
            }
            case 37 -> {
                // the district's market officer, assigned to the township, holds nothing there: nothing moves, and
                // nobody else's work is touched by the table
                String from = "officer.MARKET_SUPERVISION.410105000000";
                status(as.post().uri("/api/units/{u}/todo/officers/{o}/handover", unit, from)
                        .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("to",
                                "officer.MARKET_SUPERVISION.410105001000", "note", "jurisdiction")), expected);
            }
            case 39 -> {
                String id = fixture(unit);
                status(as.post().uri("/api/units/{u}/cases/{id}/actions", unit, id).contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("action", "COMMENT", "note", "jurisdiction")), expected);
                Map<String, Object> record = new Api(platform).find(unit, id);
                assertThat(Api.timeline(record)).filteredOn(t -> "COMMENT".equals(t.get("action")))
                        .hasSize(expected == 200 ? 1 : 0);
                assertThat(record.get("status")).isEqualTo("REPORTED");
            }
            case 40 -> {
                // a fresh notice of the unit's for whoever may withdraw it (a withdrawn one is reminded of no more); the
                // fixture for whoever may not, which stays as it was
                String id = expected == 200 ? issue(unit, org.gridlink.contracts.UnitCode.of(unit).tier().child()
                        .orElseThrow().id()) : noticeIssuedBy(unit);
                status(as.post().uri("/api/units/{u}/notices/sent/{id}/withdraw", unit, id)
                        .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("reason", "jurisdiction")), expected);
                if (!isCommunity(unit)) {
                    Map<?, ?> kept = platform.gatewayAs("supervisor." + unit).get()
                            .uri("/api/units/{u}/notices/sent/{id}", unit, id).exchange().expectStatus().isOk()
                            .expectBody(Map.class).returnResult().getResponseBody();
                    assertThat(((Map<?, ?>) kept.get("notice")).get("withdrawnAt") != null).isEqualTo(expected == 200);
                }
            }
            case 41 -> {
                // an absence to come (from tomorrow: it stops no other test's dispatch), taken back at once when kept
                String officer = officerServing(unit);
                status(as.put().uri("/api/units/{u}/todo/officers/{o}/away", unit, officer)
                        .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("from",
                                Instant.now().plus(Duration.ofDays(1)).toString(), "reason", "jurisdiction")), expected);
                if (!officer.equals(NO_OFFICER)) {
                    assertThat(awayOf(unit, officer)).as("an absence of %s at %s", officer, unit)
                            .isEqualTo(expected == 200);
                    markBack(unit, officer);
                }
            }
            case 42 -> {
                // an absence to come, marked by the unit's supervisor: ended by whoever may, kept for anyone else
                String officer = officerServing(unit);
                if (!officer.equals(NO_OFFICER)) {
                    status(platform.gatewayAs("supervisor." + unit).put()
                            .uri("/api/units/{u}/todo/officers/{o}/away", unit, officer)
                            .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("from",
                                    Instant.now().plus(Duration.ofDays(1)).toString(), "reason", "jurisdiction")), 200);
                }
                status(as.delete().uri("/api/units/{u}/todo/officers/{o}/away", unit, officer), expected);
                if (!officer.equals(NO_OFFICER)) {
                    assertThat(awayOf(unit, officer)).as("an absence of %s at %s", officer, unit)
                            .isEqualTo(expected != 204);
                    markBack(unit, officer);
                }
            }
            case 43 -> {
                // the city's notice to the whole subtree, which none of the unit's units below signed
                String id = noticeFromTheCity(unit);
                int before = unit.equals(CITY) ? 0 : remindedBelow(unit, id);
                status(as.post().uri("/api/units/{u}/notices/{id}/remind", unit, id), expected);
                if (!unit.equals(CITY)) {
                    assertThat(remindedBelow(unit, id)).isEqualTo(before + (expected == 200 ? 1 : 0));
                }
            }
            case 38 -> status(as.post().uri("/api/units/{u}/notices/sent/{id}/remind", unit, noticeIssuedBy(unit)),
                    expected);
            case 34 -> status(as.get().uri("/api/units/{u}/notices/sent", unit), expected);
            case 35 -> status(as.get().uri("/api/units/{u}/notices/sent/{id}", unit, noticeIssuedBy(unit)), expected);
            case 36 -> {
                String title = "jurisdiction notice " + titles.incrementAndGet();
                status(as.post().uri("/api/units/{u}/notices", unit).contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("title", title, "body", "a notice to the units below")),
                        expected);
                assertThat(issuedTitles(unit).contains(title)).as("a notice by %s from %s exists",
                        subject.username(), unit).isEqualTo(expected == 201);
            }
            case 44 -> status(as.get().uri("/api/units/{u}/calendar", unit), expected);
            case 46 -> status(as.get().uri("/api/units/{u}/todo/officers/absences", unit), expected);
            case 47 -> status(as.get().uri("/api/units/{u}/calendar/{y}/revisions", unit, 2026), expected);
            case 48 -> status(as.get().uri("/api/units/{u}/open311/discovery.json", unit), expected);
            case 45 -> {
                // the seeds' 2026 published again, in 2026 by the nodes' clock (a year is published during it or the
                // year before): the days the time limits run on stay the same for every other test; a refusal
                // changes nothing
                Map<String, Object> year = calendarYear(2026);
                Object revision = year.get("revision");
                Map<String, Object> body = new HashMap<>();
                body.put("source", year.get("source"));
                body.put("holidays", year.get("holidays"));
                body.put("workingDays", year.get("workingDays"));
                try {
                    platform.clock().set(Instant.parse("2026-06-01T02:00:00Z"));
                    status(as.put().uri("/api/units/{u}/calendar/{y}", unit, 2026)
                            .contentType(MediaType.APPLICATION_JSON).bodyValue(body), expected);
                } finally {
                    platform.clock().release();
                }
                Object after = calendarYear(2026).get("revision");
                if (expected == 200) {
                    assertThat(after).isNotNull();
                } else {
                    assertThat(after).isEqualTo(revision);
                }
            }
            default -> throw new IllegalArgumentException();
        }
    }

    /** A year of the working calendar as the city's node has it, read by the city's administrator. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> calendarYear(int year) {
        Map<?, ?> calendar = platform.gatewayAs("admin." + CITY).get().uri("/api/units/{u}/calendar", CITY)
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        return ((List<Map<String, Object>>) calendar.get("years")).stream()
                .filter(y -> ((Number) y.get("year")).intValue() == year).findFirst().orElseThrow();
    }

    /** How often the unit reminded its units below of a notice it received, as its supervisor reads the notice. */
    static int remindedBelow(String unit, String id) {
        Map<?, ?> notice = platform.gatewayAs("supervisor." + unit).get().uri("/api/units/{u}/notices/{id}", unit, id)
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        return ((Number) notice.get("remindedBelow")).intValue();
    }

    /** No officer serves the city in the seeds: its column is refused before one is looked up. */
    static final String NO_OFFICER = "officer.none";

    /** A department officer who serves the unit (the seeds'), one no other test gives work at the unit. */
    static String officerServing(String unit) {
        return switch (unit) {
            case TOWNSHIP -> "officer.MARKET_SUPERVISION.410105000000";
            case COMMUNITY, SIBLING_COMMUNITY -> "officer.URBAN_MANAGEMENT.410105001000";
            case SIBLING_TOWNSHIP, DISTRICT -> "officer.URBAN_MANAGEMENT.410105000000";
            default -> NO_OFFICER;
        };
    }

    /** Whether the officers' workloads at the unit show an absence of the officer, as its supervisor reads them. */
    static boolean awayOf(String unit, String officer) {
        List<?> loads = platform.gatewayAs("supervisor." + unit).get().uri("/api/units/{u}/todo/officers", unit)
                .exchange().expectStatus().isOk().expectBody(List.class).returnResult().getResponseBody();
        return loads.stream().map(l -> (Map<?, ?>) l).filter(l -> officer.equals(l.get("officer")))
                .anyMatch(l -> l.get("away") != null);
    }

    static void markBack(String unit, String officer) {
        status(platform.gatewayAs("supervisor." + unit).delete().uri("/api/units/{u}/todo/officers/{o}/away", unit,
                officer), 204);
    }

    @Test
    void aCitizenReadsTheirOwnReportButActsOnNothing() {
        WebTestClient citizen = platform.gatewayAs("citizen.1");
        Map<String, Object> body = new HashMap<>(Api.aReport("GARBAGE_PILE", "a citizen's own report"));
        body.put("reporter", "someone-else");
        status(citizen.post().uri("/api/units/{u}/cases", COMMUNITY).contentType(MediaType.APPLICATION_JSON).bodyValue(body), 403);
        body.remove("reporter");
        String id = (String) citizen.post().uri("/api/units/{u}/cases", COMMUNITY).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("caseId");
        citizen.get().uri("/api/units/{u}/cases/{id}", COMMUNITY, id).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.reporter").isEqualTo("citizen.1")
                .jsonPath("$.allowedActions.length()").isEqualTo(0);
        status(citizen.post().uri("/api/units/{u}/cases/{id}/actions", COMMUNITY, id).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("action", "ACCEPT")), 403);
        // another citizen of the same community does not learn the case exists
        assertThat(platform.gatewayAs("citizen.2").get().uri("/api/units/{u}/cases/{id}", COMMUNITY, id).exchange()
                .returnResult(String.class).getStatus().value()).isIn(403, 404);
    }

    @Test
    void anOfficerStartsAndResolvesWhatIsAtAUnitTheyAreAssignedTo() {
        String id = fixture(COMMUNITY);
        Api api = new Api(platform);
        api.act(COMMUNITY, id, "ACCEPT");
        WebTestClient officer = platform.gatewayAs("officer.URBAN_MANAGEMENT.410105001000");
        officer.post().uri("/api/units/{u}/cases/{id}/actions", COMMUNITY, id).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("action", "START")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("IN_PROGRESS")
                .jsonPath("$.timeline[2].actor").isEqualTo("officer.URBAN_MANAGEMENT.410105001000");
        // the market-supervision officer of the same township is assigned to 410105001001 only
        String elsewhere = fixture(SIBLING_COMMUNITY);
        api.act(SIBLING_COMMUNITY, elsewhere, "ACCEPT");
        status(platform.gatewayAs("officer.MARKET_SUPERVISION.410105001000").post()
                .uri("/api/units/{u}/cases/{id}/actions", SIBLING_COMMUNITY, elsewhere).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("action", "START")), 403);
        assertThat(api.find(SIBLING_COMMUNITY, elsewhere).get("status")).isEqualTo("ACCEPTED");
    }

    @Test
    void verifyingAndClosingTakeASupervisorNotAHandler() {
        String id = fixture(TOWNSHIP);
        Api api = new Api(platform);
        WebTestClient handler = platform.gatewayAs("handler.410105001000");
        for (String action : List.of("ACCEPT", "START")) {
            handler.post().uri("/api/units/{u}/cases/{id}/actions", TOWNSHIP, id).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("action", action)).exchange().expectStatus().isOk();
        }
        handler.post().uri("/api/units/{u}/cases/{id}/actions", TOWNSHIP, id).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("action", "RESOLVE", "note", "cleared")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.allowedActions").isEqualTo(List.of("COMMENT")); // a note, and nothing more
        status(handler.post().uri("/api/units/{u}/cases/{id}/actions", TOWNSHIP, id).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("action", "VERIFY")), 403);
        assertThat(api.find(TOWNSHIP, id).get("status")).isEqualTo("RESOLVED");
        api.act(TOWNSHIP, id, "VERIFY");
        api.act(TOWNSHIP, id, "CLOSE");
    }

    @Test
    void fieldsThatWouldSetTheActorTheUnitOrTheStatusAreRefusedAndChangeNothing() {
        WebTestClient worker = platform.gatewayAs("gridworker.410105001001-01");
        for (String field : List.of("actor", "unitCode", "status", "caseId")) {
            String title = "mass assignment " + field + " " + titles.incrementAndGet();
            Map<String, Object> body = new HashMap<>(Api.aReport("GARBAGE_PILE", title));
            body.put(field, field.equals("status") ? "CLOSED" : field.equals("actor") ? "supervisor.410105001001"
                    : field.equals("caseId") ? UUID.randomUUID().toString() : CITY);
            worker.post().uri("/api/units/{u}/cases", COMMUNITY).contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                    .exchange().expectStatus().isBadRequest()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.field").isEqualTo(field);
            assertThat(queueTitles(COMMUNITY)).doesNotContain(title);
        }
        String id = fixture(COMMUNITY);
        worker.post().uri("/api/units/{u}/cases/{id}/actions", COMMUNITY, id).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("action", "ACCEPT", "actor", "supervisor.410105001001")).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.field").isEqualTo("actor");
        assertThat(new Api(platform).find(COMMUNITY, id).get("status")).isEqualTo("REPORTED");
    }

    @Test
    void aCaseIdOfAnotherTownshipUnderOnesOwnPathIsNotFound() {
        String theirs = fixture(TOWNSHIP);
        WebTestClient other = platform.gatewayAs("supervisor.410105002000");
        status(other.get().uri("/api/units/{u}/cases/{id}", SIBLING_TOWNSHIP, theirs), 404);
        status(other.post().uri("/api/units/{u}/cases/{id}/actions", SIBLING_TOWNSHIP, theirs)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("action", "ACCEPT")), 404);
        assertThat(new Api(platform).find(TOWNSHIP, theirs).get("status")).isEqualTo("REPORTED");
    }

    @Test
    void noTokenAnExpiredOneOneSignedByAnotherKeyOrATamperedOneIs401AndChangesNothing() throws Exception {
        String id = fixture(COMMUNITY);
        String valid = platform.token("supervisor.410105001001");
        SignedJWT parsed = SignedJWT.parse(valid);
        JWTClaimsSet claims = parsed.getJWTClaimsSet();

        RSAKey realKey = (RSAKey) JWKSet.load(platform.identityKeyFile().toFile()).getKeys().get(0);
        JWTClaimsSet expiredClaims = new JWTClaimsSet.Builder(claims)
                .issueTime(Date.from(Instant.now().minus(Duration.ofHours(2))))
                .expirationTime(Date.from(Instant.now().minus(Duration.ofHours(1)))).build();
        String expired = sign(expiredClaims, realKey);
        assertThat(sign(claims, realKey)).as("the test signs as the identity server does").isNotBlank();

        RSAKey otherKey = new RSAKeyGenerator(2048).keyID(realKey.getKeyID()).generate();
        String foreign = sign(claims, otherKey);

        String[] parts = platform.token("handler.410105002000").split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace(SIBLING_TOWNSHIP, COMMUNITY);
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

        WebTestClient gateway = platform.gatewayAnonymous();
        for (String token : new String[] {null, expired, foreign, tampered, "not-a-token"}) {
            for (WebTestClient.RequestHeadersSpec<?> request : List.of(
                    gateway.get().uri("/api/units/{u}/cases/{id}", COMMUNITY, id),
                    gateway.post().uri("/api/units/{u}/cases/{id}/actions", COMMUNITY, id)
                            .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("action", "ACCEPT")))) {
                if (token != null) {
                    request.headers(h -> h.setBearerAuth(token));
                }
                request.exchange().expectStatus().isUnauthorized()
                        .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
            }
            // the nodes do not rely on the gateway: the same token straight at the node is refused too
            WebTestClient.RequestHeadersSpec<?> direct = platform.directAnonymous(org.gridlink.contracts.Tier.COMMUNITY).post()
                    .uri("/api/units/{u}/cases/{id}/actions", COMMUNITY, id)
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("action", "ACCEPT"));
            if (token != null) {
                direct.headers(h -> h.setBearerAuth(token));
            }
            direct.exchange().expectStatus().isUnauthorized();
        }
        assertThat(new Api(platform).find(COMMUNITY, id).get("status")).isEqualTo("REPORTED");
    }

    @Test
    void aBurstFromOneUserIsLimitedAndAnotherUserAtTheSameTimeIsNot() {
        // all of the greedy user's requests are sent at once (non-blocking), so that they reach the gateway within one
        // period however slowly a busy machine answers them: a blocking client on a few threads spread them over
        // several periods on a loaded CI machine, and none was over the limit
        org.springframework.web.reactive.function.client.WebClient greedy = org.springframework.web.reactive.function
                .client.WebClient.builder().baseUrl(platform.gatewayUrl())
                .clientConnector(new org.springframework.http.client.reactive.ReactorClientHttpConnector(
                        reactor.netty.http.client.HttpClient.create(reactor.netty.resources.ConnectionProvider
                                .builder("burst").maxConnections(3 * TestPlatform.RATE_LIMIT_PER_USER).build())))
                .defaultHeaders(h -> h.setBearerAuth(platform.token("handler.410105001002"))).build();
        WebTestClient patient = platform.gatewayAs("handler.410105001003");
        record Answer(int status, String retryAfter, MediaType contentType) {
        }
        List<Answer> greedyAnswers = Flux.range(0, 3 * TestPlatform.RATE_LIMIT_PER_USER)
                .flatMap(i -> greedy.get().uri("/api/units/{u}/categories", SIBLING_COMMUNITY)
                        .exchangeToMono(r -> r.releaseBody().thenReturn(new Answer(r.statusCode().value(),
                                r.headers().asHttpHeaders().getFirst("Retry-After"),
                                r.headers().contentType().orElse(null)))), 3 * TestPlatform.RATE_LIMIT_PER_USER)
                .collectList().block(Duration.ofMinutes(2));
        List<Integer> patientStatuses = Flux.range(0, 5)
                .flatMap(i -> Flux.defer(() -> Flux.just(patient.get().uri("/api/units/{u}/categories", "410105001003")
                        .exchange().returnResult(String.class).getStatus().value())).subscribeOn(Schedulers.boundedElastic()), 5)
                .collectList().block(Duration.ofMinutes(1));
        assertThat(greedyAnswers).extracting(Answer::status).contains(429).containsOnly(200, 429);
        assertThat(patientStatuses).containsOnly(200);
        Answer refused = greedyAnswers.stream().filter(r -> r.status() == 429).findFirst().orElseThrow();
        assertThat(refused.retryAfter()).isEqualTo("1");
        assertThat(refused.contentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private static final Map<String, String> fixtures = new java.util.concurrent.ConcurrentHashMap<>();

    /** A fresh case at the unit, reported by its supervisor (in its first grid cell at a community). */
    private static String fixture(String unit) {
        Map<String, Object> body = new HashMap<>(Api.aReport("GARBAGE_PILE", "fixture " + titles.incrementAndGet()));
        if (org.gridlink.contracts.UnitCode.of(unit).tier() == org.gridlink.contracts.Tier.COMMUNITY) {
            body.put("gridCode", unit + "-01");
        }
        return (String) new Api(platform).report(unit, body).get("caseId");
    }

    /**
     * A patrol at the unit, started and ended by the grid worker of its first cell; a made-up id at a unit that is not
     * a community (no node there keeps patrols).
     */
    private static String patrolFixture(String unit) {
        if (org.gridlink.contracts.UnitCode.of(unit).tier() != org.gridlink.contracts.Tier.COMMUNITY) {
            return UUID.randomUUID().toString();
        }
        return fixtures.computeIfAbsent("patrol " + unit, k -> {
            WebTestClient worker = platform.gatewayAs("gridworker." + unit + "-01");
            String id = (String) worker.post().uri("/api/units/{u}/patrols", unit).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("gridCode", unit + "-01")).exchange().expectStatus().isCreated()
                    .expectBody(Map.class).returnResult().getResponseBody().get("id");
            worker.post().uri("/api/units/{u}/patrols/{id}/end", unit, id).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of()).exchange().expectStatus().isOk();
            return id;
        });
    }

    private static boolean isCommunity(String unit) {
        return org.gridlink.contracts.UnitCode.of(unit).tier() == org.gridlink.contracts.Tier.COMMUNITY;
    }

    /** A notice the city's supervisor issued to the whole city, once it reached the unit; a made-up id at the city. */
    private static String noticeFromTheCity(String unit) {
        String id = fixtures.computeIfAbsent("notice from the city", k -> issue(CITY, "community"));
        return unit.equals(CITY) ? UUID.randomUUID().toString() : arrived(unit, id);
    }

    /** A notice the unit's parent's supervisor issued to the unit's tier, once it reached the unit. */
    private static String freshNoticeAt(String unit) {
        String parent = org.gridlink.contracts.UnitCode.of(unit).parent().orElseThrow().value();
        return arrived(unit, issue(parent, org.gridlink.contracts.UnitCode.of(unit).tier().id()));
    }

    /** A notice the unit's supervisor issued to the tier below it; a made-up id at a community (it issues none). */
    private static String noticeIssuedBy(String unit) {
        if (isCommunity(unit)) {
            return UUID.randomUUID().toString();
        }
        return fixtures.computeIfAbsent("notice issued by " + unit, k -> issue(unit,
                org.gridlink.contracts.UnitCode.of(unit).tier().child().orElseThrow().id()));
    }

    private static String issue(String unit, String reach) {
        return (String) platform.gatewayAs("supervisor." + unit).post().uri("/api/units/{u}/notices", unit)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("title", "fixture notice "
                        + titles.incrementAndGet(), "body", "read and sign", "reach", reach))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody().get("id");
    }

    /** The notice's id once the unit received it. */
    private static String arrived(String unit, String id) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> platform.gatewayAs("supervisor." + unit)
                .get().uri("/api/units/{u}/notices/{id}", unit, id).exchange().returnResult(String.class).getStatus()
                .value() == 200);
        return id;
    }

    /** The titles of the notices the unit issued lately. */
    @SuppressWarnings("unchecked")
    private static List<String> issuedTitles(String unit) {
        List<Map<String, Object>> issued = platform.gatewayAs("supervisor." + unit).get()
                .uri("/api/units/{u}/notices/sent?limit=200", unit).exchange().expectStatus().isOk()
                .expectBody(List.class).returnResult().getResponseBody();
        return issued.stream().map(n -> (String) n.get("title")).toList();
    }

    /** The patrols the community node keeps of the unit. */
    private static long patrols(String unit) {
        if (org.gridlink.contracts.UnitCode.of(unit).tier() != org.gridlink.contracts.Tier.COMMUNITY) {
            return 0;
        }
        try (java.sql.Connection c = platform.jdbc(TestPlatform.database(org.gridlink.contracts.Tier.COMMUNITY));
             java.sql.PreparedStatement count = c.prepareStatement("select count(*) from patrol where unit_code = ?")) {
            count.setString(1, unit);
            try (java.sql.ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> queueTitles(String unit) {
        Map<String, Object> page = platform.gatewayAs("supervisor." + unit).get().uri("/api/units/{u}/cases?limit=200", unit)
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        return ((List<Map<String, Object>>) page.get("items")).stream().map(i -> (String) i.get("title")).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<String> caseIds(WebTestClient.RequestHeadersSpec<?> request) {
        Map<String, Object> page = request.exchange().expectStatus().isOk().expectBody(Map.class).returnResult()
                .getResponseBody();
        return ((List<Map<String, Object>>) page.get("items")).stream().map(i -> (String) i.get("caseId")).toList();
    }

    private static void status(WebTestClient.RequestHeadersSpec<?> request, int expected) {
        var result = answered(request, String.class);
        String body = result.getResponseBody().blockFirst(Duration.ofSeconds(30));
        assertThat(result.getStatus().value()).as("answer: %s", body).isEqualTo(expected);
        if (expected >= 400) {
            assertThat(result.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        }
    }

    /**
     * The request's answer, sent again after the gateway's per-user rate limit refused it (429: nothing reached a node)
     * once its Retry-After has passed: one subject's whole row of the table can come faster than the limit allows,
     * and what is tested here is the jurisdiction, not the limit (aBurstFromOneUser… tests that).
     */
    private static <T> FluxExchangeResult<T> answered(WebTestClient.RequestHeadersSpec<?> request, Class<T> type) {
        for (int attempt = 1; ; attempt++) {
            FluxExchangeResult<T> result = request.exchange().returnResult(type);
            if (result.getStatus().value() != 429 || attempt == 5) {
                return result;
            }
            result.getResponseBody().blockLast(Duration.ofSeconds(30));
            String after = result.getResponseHeaders().getFirst("Retry-After");
            try {
                Thread.sleep(1000L * (after == null ? 1 : Long.parseLong(after)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static String sign(JWTClaimsSet claims, RSAKey key) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }
}
