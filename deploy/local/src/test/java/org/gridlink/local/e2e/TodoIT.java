package org.gridlink.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.gridlink.local.e2e.Api.problem;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.gridlink.contracts.Tier;
import org.gridlink.kernel.cases.application.OverdueScan;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * A unit's to-do (待办) through the gateway with real tokens: each task counts the unit's records that wait on it, the
 * queue's {@code task} lists the same records, an officer sees their own, and a request waits on the unit that
 * decides it. Narrowed to a category no other test reports, so the counts are this test's alone.
 */
class TodoIT {

    static final String TOWNSHIP = "410105001000";
    static final String COMMUNITY = "410105001001";
    static final String SIBLING = "410105001002";
    static final String CATEGORY = "UNLICENSED_BUSINESS";
    static final String OFFICER = "officer.MARKET_SUPERVISION." + TOWNSHIP;
    static final List<String> TASKS = List.of("ACCEPT", "SIGN", "HANDLE", "VERIFY", "CLOSE", "DECIDE");

    static TestPlatform platform;

    @BeforeAll
    static void platform() {
        platform = TestPlatform.get();
    }

    @Test
    void eachTaskCountsTheRecordsThatWaitOnItAndTheQueueListsThem() {
        String supervisor = "supervisor." + COMMUNITY;
        String toAccept = report(COMMUNITY, "a shop without a licence");
        String toHandle = report(COMMUNITY, "a stall without a licence");
        act(COMMUNITY, toHandle, supervisor, Map.of("action", "ACCEPT"));
        String toVerify = report(COMMUNITY, "a barber without a licence");
        for (Map<String, Object> step : List.of(Map.<String, Object>of("action", "ACCEPT"), Map.<String, Object>of(
                "action", "START"), Map.<String, Object>of("action", "RESOLVE", "note", "closed down"))) {
            act(COMMUNITY, toVerify, supervisor, step);
        }
        String toClose = report(COMMUNITY, "a kiosk without a licence");
        for (String action : List.of("ACCEPT", "START", "RESOLVE", "VERIFY")) {
            act(COMMUNITY, toClose, supervisor, Map.of("action", action, "note", "licensed since"));
        }
        String closed = report(COMMUNITY, "a cart without a licence");
        for (String action : List.of("ACCEPT", "START", "RESOLVE", "VERIFY", "CLOSE")) {
            act(COMMUNITY, closed, supervisor, Map.of("action", action, "note", "gone"));
        }

        Map<String, Object> todo = todo(supervisor, COMMUNITY, "category=" + CATEGORY);
        assertThat(counts(todo)).containsEntry("ACCEPT", 1).containsEntry("SIGN", 0).containsEntry("HANDLE", 1)
                .containsEntry("VERIFY", 1).containsEntry("CLOSE", 1).containsEntry("DECIDE", 0);
        assertThat(todo.get("unitCode")).isEqualTo(COMMUNITY);
        assertThat(todo.get("asOf")).isNotNull();
        assertThat(tasks(todo)).extracting(t -> t.get("name"))
                .containsExactly("待受理", "待签收", "待处置", "待核查", "待结案", "待审批");
        assertThat(tasks(todo)).allSatisfy(t -> assertThat(t.get("atLeast")).isEqualTo(false));
        // the queue lists each task's records, and the whole to-do without narrowing counts at least these
        assertThat(listed(supervisor, COMMUNITY, "task=accept&category=" + CATEGORY)).containsExactly(toAccept);
        assertThat(listed(supervisor, COMMUNITY, "task=HANDLE&category=" + CATEGORY)).containsExactly(toHandle);
        assertThat(listed(supervisor, COMMUNITY, "task=VERIFY&category=" + CATEGORY)).containsExactly(toVerify);
        assertThat(listed(supervisor, COMMUNITY, "task=CLOSE&category=" + CATEGORY)).containsExactly(toClose);
        assertThat(listed(supervisor, COMMUNITY, "task=CLOSE&status=VERIFIED&category=" + CATEGORY))
                .containsExactly(toClose);
        assertThat(listed(supervisor, COMMUNITY, "task=CLOSE&status=REPORTED&category=" + CATEGORY)).isEmpty();
        Map<String, Integer> whole = counts(todo(supervisor, COMMUNITY, ""));
        TASKS.forEach(t -> assertThat(whole.get(t)).as(t).isGreaterThanOrEqualTo(counts(todo).get(t)));
        // the township's supervisor reads the community's to-do (its subtree); the overdue count is the queue's
        Map<String, Object> fromAbove = todo("supervisor." + TOWNSHIP, COMMUNITY, "category=" + CATEGORY);
        assertThat(counts(fromAbove)).isEqualTo(counts(todo));
        assertThat(((Map<?, ?>) fromAbove.get("overdue")).get("count"))
                .isEqualTo(listed(supervisor, COMMUNITY, "overdue=true&category=" + CATEGORY).size());

        // the township dispatches a case to its officer: it waits on the officer's signature, and counts in the
        // officer's workload (在办) beside every other officer serving the township
        String township = "supervisor." + TOWNSHIP;
        Map<String, Object> loadBefore = load(township, TOWNSHIP, OFFICER);
        String toSign = report(TOWNSHIP, "a workshop without a licence");
        act(TOWNSHIP, toSign, township, Map.of("action", "ACCEPT"));
        act(TOWNSHIP, toSign, township, Map.of("action", "DISPATCH", "officer", OFFICER, "note", "check its papers"));
        assertThat(load(township, TOWNSHIP, OFFICER)).containsEntry("toSign", (int) loadBefore.get("toSign") + 1)
                .containsEntry("toHandle", loadBefore.get("toHandle"));
        assertThat(loads(township, TOWNSHIP)).extracting(l -> l.get("officer"))
                .contains(OFFICER, "officer.URBAN_MANAGEMENT." + TOWNSHIP).isSorted();
        assertThat(counts(todo(township, TOWNSHIP, "category=" + CATEGORY))).containsEntry("SIGN", 1)
                .containsEntry("ACCEPT", 0).containsEntry("HANDLE", 0);
        // the officer's own (我的待办), and the same to-do listed for them
        assertThat(counts(todo(OFFICER, TOWNSHIP, "assignee=me&category=" + CATEGORY))).containsEntry("SIGN", 1);
        assertThat(listed(OFFICER, TOWNSHIP, "task=SIGN&assignee=me&category=" + CATEGORY)).containsExactly(toSign);
        assertThat(counts(todo(township, TOWNSHIP, "assignee=officer.URBAN_MANAGEMENT." + TOWNSHIP
                + "&category=" + CATEGORY))).containsEntry("SIGN", 0);

        // the officer asks to send it back: the township decides (its officer's request), and the record still waits
        // on the signature meanwhile
        act(TOWNSHIP, toSign, OFFICER, Map.of("action", "RETURN_REQUEST", "reason", "NOT_IN_JURISDICTION",
                "note", "the workshop is across the road, in another township"));
        assertThat(counts(todo(township, TOWNSHIP, "category=" + CATEGORY))).containsEntry("DECIDE", 1)
                .containsEntry("SIGN", 1);
        assertThat(listed(township, TOWNSHIP, "task=DECIDE&category=" + CATEGORY)).containsExactly(toSign);
        act(TOWNSHIP, toSign, township, Map.of("action", "OVERRULE", "note", "it is ours: the map says so"));
        assertThat(counts(todo(township, TOWNSHIP, "category=" + CATEGORY))).containsEntry("DECIDE", 0)
                .containsEntry("SIGN", 1);
        // signed for: the officer handles it
        act(TOWNSHIP, toSign, OFFICER, Map.of("action", "ACCEPT"));
        assertThat(counts(todo(OFFICER, TOWNSHIP, "assignee=me&category=" + CATEGORY))).containsEntry("SIGN", 0)
                .containsEntry("HANDLE", 1);
        assertThat(load(township, TOWNSHIP, OFFICER)).containsEntry("toSign", loadBefore.get("toSign"))
                .containsEntry("toHandle", (int) loadBefore.get("toHandle") + 1);
        // read as the queue is: not by a unit's staff from beside it, nor by a resident
        problem(platform.gatewayAs("supervisor.410105002000").get().uri("/api/units/{u}/todo/officers", TOWNSHIP)
                .exchange(), 403, null, null);
        problem(platform.gatewayAs("citizen.1").get().uri("/api/units/{u}/todo/officers", TOWNSHIP).exchange(), 403,
                null, null);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aSupervisorReassignsAnOfficersCaseAndHandsTheRestOfTheirWorkOver() {
        String district = "410105000000";
        String supervisor = "supervisor." + district;
        String away = "officer.MARKET_SUPERVISION." + district;
        String other = "officer.URBAN_MANAGEMENT." + district;
        int otherBefore = waiting(load(supervisor, district, other));
        // four cases given to the officer: one not signed for, one signed, one started, one they asked time for
        List<String> given = new ArrayList<>();
        for (String title : List.of("a market without a licence", "a depot without a licence",
                "a canteen without a licence", "a garage without a licence")) {
            String id = report(district, title);
            act(district, id, supervisor, Map.of("action", "ACCEPT"));
            act(district, id, supervisor, Map.of("action", "DISPATCH", "officer", away, "note", "inspect it"));
            given.add(id);
        }
        act(district, given.get(1), away, Map.of("action", "ACCEPT"));
        act(district, given.get(2), away, Map.of("action", "ACCEPT"));
        act(district, given.get(2), away, Map.of("action", "START"));
        act(district, given.get(3), away, Map.of("action", "ACCEPT"));
        act(district, given.get(3), away, Map.of("action", "EXTEND_REQUEST", "note", "the owner is away",
                "until", Instant.now().plus(Duration.ofDays(20)).toString()));

        // 改派 one of them: a supervisor's, not a handler's; to an officer serving the unit, not the one holding it
        Map<String, Object> reassign = Map.of("action", "REASSIGN", "officer", other, "note", "on leave this week");
        problem(platform.gatewayAs("handler." + district).post().uri("/api/units/{u}/cases/{id}/actions", district,
                given.get(2)).contentType(MediaType.APPLICATION_JSON).bodyValue(reassign).exchange(), 403, null,
                "SUPERVISOR");
        problem(platform.gatewayAs(supervisor).post().uri("/api/units/{u}/cases/{id}/actions", district, given.get(2))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("action", "REASSIGN", "officer", away,
                        "note", "again")).exchange(), 422, "officer", "already");
        problem(platform.gatewayAs(supervisor).post().uri("/api/units/{u}/cases/{id}/actions", district, given.get(2))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("action", "REASSIGN",
                        "officer", "officer.URBAN_MANAGEMENT.410105001000", "note", "next door")).exchange(), 422,
                "officer", "not a department officer of " + district);
        Map<String, Object> moved = platform.gatewayAs(supervisor).post().uri("/api/units/{u}/cases/{id}/actions",
                        district, given.get(2)).contentType(MediaType.APPLICATION_JSON).bodyValue(reassign).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(moved).containsEntry("status", "DISPATCHED").containsEntry("assignee", other);
        assertThat(Api.timeline(moved).get(Api.timeline(moved).size() - 1)).containsEntry("action", "REASSIGN")
                .containsEntry("note", "from officer " + away + " to officer " + other + ": on leave this week");

        // the rest of their work handed over (工作交接): what waits on their request stays with them, saying why
        String key = "handover-" + java.util.UUID.randomUUID();
        Map<String, Object> handover = handOver(district, supervisor, away, Map.of("to", other,
                "note", "transferred to the county"), key);
        assertThat((List<String>) handover.get("reassigned")).contains(given.get(0), given.get(1))
                .doesNotContain(given.get(2), given.get(3));
        assertThat((List<Map<String, Object>>) handover.get("left")).filteredOn(l -> given.get(3).equals(l.get("caseId")))
                .singleElement().satisfies(l -> assertThat((String) l.get("why")).contains("waits on a decision"));
        assertThat(handover).containsEntry("from", away).containsEntry("to", other).containsEntry("more", false);
        int handed = ((List<?>) handover.get("reassigned")).size();
        assertThat(waiting(load(supervisor, district, other))).isEqualTo(otherBefore + 1 + handed);
        for (String id : List.of(given.get(0), given.get(1), given.get(2))) {
            Map<String, Object> record = new Api(platform).find(district, id);
            assertThat(record).as(id).containsEntry("assignee", other).containsEntry("status", "DISPATCHED");
        }
        assertThat(new Api(platform).find(district, given.get(3))).containsEntry("assignee", away);
        // sent again under its key (its answer lost): nothing is reassigned twice; left as it was
        Map<String, Object> again = handOver(district, supervisor, away, Map.of("to", other,
                "note", "transferred to the county"), key);
        assertThat((List<?>) again.get("reassigned")).isEmpty();
        assertThat(waiting(load(supervisor, district, other))).isEqualTo(otherBefore + 1 + handed);
        // refused: a handler, no officer to give it to, the same officer, one who does not serve the unit
        problem(platform.gatewayAs("handler." + district).post().uri("/api/units/{u}/todo/officers/{o}/handover",
                district, away).contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("to", other, "note", "n"))
                .exchange(), 403, null, "SUPERVISOR");
        problem(platform.gatewayAs(supervisor).post().uri("/api/units/{u}/todo/officers/{o}/handover", district, away)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("note", "n")).exchange(), 400, "to", null);
        problem(platform.gatewayAs(supervisor).post().uri("/api/units/{u}/todo/officers/{o}/handover", district, away)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("to", other)).exchange(), 400, "note", null);
        problem(platform.gatewayAs(supervisor).post().uri("/api/units/{u}/todo/officers/{o}/handover", district, away)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("to", away, "note", "n")).exchange(), 422,
                "to", null);
        problem(platform.gatewayAs(supervisor).post().uri("/api/units/{u}/todo/officers/{o}/handover", district, away)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("to", "nobody", "note", "n")).exchange(), 422,
                "to", "not a department officer");
        problem(platform.gatewayAs("supervisor.410108000000").post().uri("/api/units/{u}/todo/officers/{o}/handover",
                district, away).contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("to", other, "note", "n"))
                .exchange(), 403, null, null);
    }

    @Test
    @SuppressWarnings("unchecked")
    void anOfficerMarkedAwayIsGivenNoWorkThereUntilBack() {
        String unit = "410108001000";
        String supervisor = "supervisor." + unit;
        String away = "officer.EMERGENCY_MANAGEMENT." + unit;
        String other = "officer.EMERGENCY_MANAGEMENT.410108000000"; // the district's, assigned to the township
        String held = report(unit, "a workshop without a licence by the canal");
        act(unit, held, supervisor, Map.of("action", "ACCEPT"));
        act(unit, held, supervisor, Map.of("action", "DISPATCH", "officer", away, "note", "inspect it"));
        int holding = waiting(load(supervisor, unit, away));
        String until = Instant.now().plus(Duration.ofDays(3)).toString();

        // refused, and nothing kept: a handler, the district's supervisor, no reason, one who does not serve the unit,
        // an end before the beginning, an end already past
        Map<String, Object> leave = Map.of("until", until, "reason", "病假");
        problem(awayCall(platform.gatewayAs("handler." + unit).put(), unit, away).bodyValue(leave).exchange(), 403,
                null, "SUPERVISOR");
        problem(awayCall(platform.gatewayAs("supervisor.410108000000").put(), unit, away).bodyValue(leave).exchange(),
                403, null, null);
        problem(awayCall(platform.gatewayAs(supervisor).put(), unit, away).bodyValue(Map.of("until", until))
                .exchange(), 400, "reason", null);
        problem(awayCall(platform.gatewayAs(supervisor).put(), unit, away).bodyValue(Map.of("until", until,
                "reason", "假".repeat(1001))).exchange(), 422, "reason", "at most 1000 characters");
        problem(awayCall(platform.gatewayAs(supervisor).put(), unit, "officer.URBAN_MANAGEMENT.410105001000")
                .bodyValue(leave).exchange(), 422, "officer", "not a department officer of " + unit);
        problem(awayCall(platform.gatewayAs(supervisor).put(), unit, away).bodyValue(Map.of("from", until,
                "until", Instant.now().plus(Duration.ofDays(1)).toString(), "reason", "病假")).exchange(), 422,
                "until", "ends after it begins");
        problem(awayCall(platform.gatewayAs(supervisor).put(), unit, away).bodyValue(Map.of("from",
                Instant.now().minus(Duration.ofDays(3)).toString(), "until", Instant.now().minus(Duration.ofDays(1))
                        .toString(), "reason", "病假")).exchange(), 422, "until", "ended already");
        problem(awayCall(platform.gatewayAs(supervisor).put(), unit, away).bodyValue(Map.of("until", "next week",
                "reason", "病假")).exchange(), 400, null, null);
        assertThat(load(supervisor, unit, away).get("away")).isNull();
        assertThat(other(todo(supervisor, unit, ""))).doesNotContainKey("awayOfficersWork");

        // marked away (请假) from now: the workloads say so, and what they hold stays theirs
        Map<String, Object> absence = awayCall(platform.gatewayAs(supervisor).put(), unit, away).bodyValue(leave)
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(absence).containsEntry("officer", away).containsEntry("unitCode", unit)
                .containsEntry("reason", "病假").containsEntry("markedBy", supervisor).containsEntry("awayNow", true);
        assertThat(Instant.parse((String) absence.get("until")))
                .isEqualTo(Instant.parse(until).truncatedTo(java.time.temporal.ChronoUnit.MICROS));
        Map<String, Object> loadAway = load("handler." + unit, unit, away);
        assertThat((Map<String, Object>) loadAway.get("away")).containsEntry("awayNow", true)
                .containsEntry("reason", "病假").containsEntry("from", absence.get("from"));
        assertThat(waiting(loadAway)).isEqualTo(holding);
        assertThat(load(supervisor, unit, other).get("away")).isNull();
        // the to-do says what the officers away hold (离岗人员在办), to the unit's supervisors and handlers and to the
        // district above, not to its officers
        assertThat(other(todo(supervisor, unit, ""))).containsEntry("awayOfficersWork", holding);
        assertThat(other(todo("handler." + unit, unit, ""))).containsEntry("awayOfficersWork", holding);
        assertThat(other(todo("supervisor.410108000000", unit, ""))).containsEntry("awayOfficersWork", holding);
        assertThat(other(todo(away, unit, ""))).doesNotContainKey("awayOfficersWork");

        // a case of their department proposes only the officer at work, and names the one away
        Map<String, Object> fire = new HashMap<>(Map.of("categoryCode", "FIRE_HAZARD", "title", "仓库堆放易燃物",
                "location", Map.of("address", "运河路 8号"), "source", "GRID_PATROL"));
        String fireId = (String) platform.gatewayAs(supervisor).post().uri("/api/units/{u}/cases", unit)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(fire).exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("caseId");
        act(unit, fireId, supervisor, Map.of("action", "ACCEPT"));
        assertThat((Map<String, Object>) new Api(platform).find(unit, fireId).get("proposedDispatch"))
                .containsEntry("department", "EMERGENCY_MANAGEMENT").containsEntry("officers", List.of(other))
                .containsEntry("away", List.of(away));

        // nobody gives them work while it lasts: a dispatch, a reassignment, a handover to them; nothing changes
        String next = report(unit, "a forge without a licence by the canal");
        act(unit, next, supervisor, Map.of("action", "ACCEPT"));
        problem(platform.gatewayAs(supervisor).post().uri("/api/units/{u}/cases/{id}/actions", unit, next)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("action", "DISPATCH", "officer", away,
                        "note", "inspect it")).exchange(), 422, "officer", "is away from");
        assertThat(new Api(platform).find(unit, next)).containsEntry("status", "ACCEPTED");
        act(unit, next, supervisor, Map.of("action", "DISPATCH", "officer", other, "note", "inspect it"));
        problem(platform.gatewayAs(supervisor).post().uri("/api/units/{u}/cases/{id}/actions", unit, next)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("action", "REASSIGN", "officer", away,
                        "note", "theirs")).exchange(), 422, "officer", "(病假), marked by " + supervisor);
        assertThat(new Api(platform).find(unit, next)).containsEntry("assignee", other);
        problem(platform.gatewayAs(supervisor).post().uri("/api/units/{u}/todo/officers/{o}/handover", unit, other)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("to", away, "note", "n")).exchange(), 422,
                "to", "is away from");
        // the absence is the township's: the district still gives the same officer's work to them
        String district = "410108000000";
        String there = report(district, "a mill without a licence by the canal");
        act(district, there, "supervisor." + district, Map.of("action", "ACCEPT"));
        Map<String, Object> away2 = Map.of("until", until, "reason", "借调 lent to the county");
        awayCall(platform.gatewayAs(supervisor).put(), unit, other).bodyValue(away2).exchange().expectStatus().isOk();
        act(district, there, "supervisor." + district, Map.of("action", "DISPATCH", "officer", other, "note", "go"));
        awayCall(platform.gatewayAs(supervisor).delete(), unit, other).exchange().expectStatus().isNoContent();

        // their work handed over to one at work (工作交接)
        Map<String, Object> handover = handOver(unit, supervisor, away, Map.of("to", other, "note", "病假"),
                "away-" + java.util.UUID.randomUUID());
        assertThat((List<String>) handover.get("reassigned")).contains(held);
        assertThat(waiting(load(supervisor, unit, away))).isZero();
        assertThat(other(todo(supervisor, unit, ""))).containsEntry("awayOfficersWork", 0);

        // back (返岗): given work at once; marked back again it answers the same; by a handler, refused
        problem(awayCall(platform.gatewayAs("handler." + unit).delete(), unit, away).exchange(), 403, null, null);
        awayCall(platform.gatewayAs(supervisor).delete(), unit, away).exchange().expectStatus().isNoContent();
        awayCall(platform.gatewayAs(supervisor).delete(), unit, away).exchange().expectStatus().isNoContent();
        assertThat(load(supervisor, unit, away).get("away")).isNull();
        assertThat(other(todo(supervisor, unit, ""))).doesNotContainKey("awayOfficersWork");
        assertThat((Map<String, Object>) new Api(platform).find(unit, fireId).get("proposedDispatch"))
                .containsEntry("officers", List.of(other, away)).containsEntry("away", List.of());
        act(unit, next, supervisor, Map.of("action", "REASSIGN", "officer", away, "note", "back at work"));
        assertThat(new Api(platform).find(unit, next)).containsEntry("assignee", away);

        // an absence to come (培训 next week) is shown and stops nothing yet
        Instant from = Instant.now().plus(Duration.ofDays(7));
        Map<String, Object> planned = awayCall(platform.gatewayAs(supervisor).put(), unit, other)
                .bodyValue(Map.of("from", from.toString(), "reason", "培训")).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(planned).containsEntry("awayNow", false).containsEntry("until", null);
        assertThat((Map<String, Object>) load(supervisor, unit, other).get("away")).containsEntry("awayNow", false)
                .containsEntry("reason", "培训");
        act(unit, next, supervisor, Map.of("action", "REASSIGN", "officer", other, "note", "before the training"));
        awayCall(platform.gatewayAs(supervisor).delete(), unit, other).exchange().expectStatus().isNoContent();

        // the unit's record of absences (请假记录) keeps every one: marked away again, the first is replaced; marked
        // back, it ended then; read by the unit's handler as the workloads are
        awayCall(platform.gatewayAs(supervisor).put(), unit, away).bodyValue(Map.of("until",
                Instant.now().plus(Duration.ofDays(2)).toString(), "reason", "年假")).exchange().expectStatus().isOk();
        awayCall(platform.gatewayAs(supervisor).put(), unit, away).bodyValue(Map.of("until",
                Instant.now().plus(Duration.ofDays(4)).toString(), "reason", "年假（延长）")).exchange()
                .expectStatus().isOk();
        List<Map<String, Object>> record = absences("handler." + unit, unit, "?officer=" + away);
        assertThat(record).extracting(a -> a.get("reason") + " " + a.get("state"))
                .containsExactly("年假（延长） AWAY", "年假 REPLACED", "病假 BACK");
        assertThat(record.get(1)).containsEntry("endedBy", supervisor).containsEntry("markedBy", supervisor);
        assertThat(record.get(2)).containsEntry("endedBy", supervisor).containsEntry("from", absence.get("from"));
        assertThat(record.get(0).get("endedAt")).isNull();
        awayCall(platform.gatewayAs(supervisor).delete(), unit, away).exchange().expectStatus().isNoContent();
        assertThat(absences(supervisor, unit, "?limit=20")).extracting(a -> a.get("officer") + " " + a.get("reason")
                + " " + a.get("state")).contains(away + " 年假（延长） BACK", other + " 培训 BACK",
                other + " 借调 lent to the county BACK");
        // marked away twenty times at once: each absence once in the record, the last kept one away, the others
        // replaced
        reactor.core.publisher.Flux.range(0, 20).flatMap(i -> reactor.core.publisher.Mono.fromRunnable(() ->
                        awayCall(platform.gatewayAs(supervisor).put(), unit, other).bodyValue(Map.of("until",
                                Instant.now().plus(Duration.ofDays(2)).toString(), "reason", "同时 " + i)).exchange()
                                .expectStatus().isOk())
                .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic()), 20).blockLast(Duration.ofSeconds(60));
        List<Map<String, Object>> atOnce = absences(supervisor, unit, "?officer=" + other).stream()
                .filter(a -> ((String) a.get("reason")).startsWith("同时 ")).toList();
        assertThat(atOnce).extracting(a -> a.get("reason")).containsExactlyInAnyOrderElementsOf(
                java.util.stream.IntStream.range(0, 20).mapToObj(i -> "同时 " + i).toList());
        assertThat(atOnce).extracting(a -> a.get("state")).containsOnly("AWAY", "REPLACED")
                .filteredOn("AWAY"::equals).hasSize(1);
        awayCall(platform.gatewayAs(supervisor).delete(), unit, other).exchange().expectStatus().isNoContent();
        problem(platform.gatewayAs(supervisor).get().uri("/api/units/{u}/todo/officers/absences?limit=0", unit)
                .exchange(), 400, "limit", null);
        problem(platform.gatewayAs("supervisor.410105001000").get().uri("/api/units/{u}/todo/officers/absences", unit)
                .exchange(), 403, null, null);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> absences(String user, String unit, String query) {
        return platform.gatewayAs(user).get().uri("/api/units/" + unit + "/todo/officers/absences" + query)
                .exchange().expectStatus().isOk().expectBody(List.class).returnResult().getResponseBody();
    }

    static org.springframework.test.web.reactive.server.WebTestClient.RequestBodySpec awayCall(
            org.springframework.test.web.reactive.server.WebTestClient.RequestBodyUriSpec method, String unit,
            String officer) {
        return method.uri("/api/units/{u}/todo/officers/{o}/away", unit, officer).contentType(MediaType.APPLICATION_JSON);
    }

    static org.springframework.test.web.reactive.server.WebTestClient.RequestHeadersSpec<?> awayCall(
            org.springframework.test.web.reactive.server.WebTestClient.RequestHeadersUriSpec<?> method, String unit,
            String officer) {
        return method.uri("/api/units/{u}/todo/officers/{o}/away", unit, officer);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> handOver(String unit, String person, String officer, Map<String, Object> body,
                                        String key) {
        return platform.gatewayAs(person).post().uri("/api/units/{u}/todo/officers/{o}/handover", unit, officer)
                .contentType(MediaType.APPLICATION_JSON).header("Idempotency-Key", key).bodyValue(body).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }

    static int waiting(Map<String, Object> load) {
        return ((Number) load.get("toSign")).intValue() + ((Number) load.get("toHandle")).intValue();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aSupervisedRecordIsCountedWhileItWaitsAtTheUnit() {
        String supervisor = "supervisor." + COMMUNITY;
        String id = report(COMMUNITY, "a dye works without a licence");
        // its acceptance clock runs out (the community's scan as of a week from now) and the township is told
        assertThat(platform.node(Tier.COMMUNITY).getBean(OverdueScan.class)
                .scan(Instant.now().plus(Duration.ofDays(7))).block()).isPositive();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(platform.gatewayAs("supervisor." + TOWNSHIP)
                .get().uri("/api/units/{u}/cases/overdue?limit=200", TOWNSHIP).exchange().expectStatus().isOk()
                .expectBody(List.class).returnResult().getResponseBody())
                .anySatisfy(n -> assertThat(((Map<String, Object>) n).get("caseId")).isEqualTo(id)));
        assertThat(counts(todo(supervisor, COMMUNITY, "category=" + CATEGORY)).get("ACCEPT")).isPositive();
        int before = supervised(todo(supervisor, COMMUNITY, "category=" + CATEGORY));

        // the township's supervisor sends a supervision notice (督办): the community's record waits, supervised
        platform.gatewayAs("supervisor." + TOWNSHIP).post().uri("/api/units/{u}/supervision", TOWNSHIP)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("caseId", id, "unit", COMMUNITY,
                        "dueAt", Instant.now().plus(Duration.ofDays(2)).toString(), "note", "take it on today"))
                .exchange().expectStatus().isCreated();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(supervised(todo(supervisor, COMMUNITY, "category=" + CATEGORY))).isEqualTo(before + 1));
        assertThat(listed(supervisor, COMMUNITY, "supervised=true&category=" + CATEGORY)).contains(id)
                .hasSize(before + 1);
        assertThat(listed(supervisor, COMMUNITY, "supervised=true&task=ACCEPT&category=" + CATEGORY)).contains(id);
        assertThat(listed(supervisor, COMMUNITY, "supervised=true&task=HANDLE&category=" + CATEGORY))
                .doesNotContain(id);
        // taken on, it is still the community's to do; escalated, it is the township's
        act(COMMUNITY, id, supervisor, Map.of("action", "ACCEPT"));
        assertThat(listed(supervisor, COMMUNITY, "supervised=true&task=HANDLE&category=" + CATEGORY)).contains(id);
        act(COMMUNITY, id, supervisor, Map.of("action", "ESCALATE", "note", "a licence is the township's to give"));
        assertThat(listed(supervisor, COMMUNITY, "supervised=true&category=" + CATEGORY)).doesNotContain(id);
        assertThat(supervised(todo(supervisor, COMMUNITY, "category=" + CATEGORY))).isEqualTo(before);
        problem(platform.gatewayAs(supervisor).get().uri("/api/units/{u}/cases?supervised=maybe", COMMUNITY).exchange(),
                400, "supervised", "true or false");
    }

    @Test
    void aLeadersInstructionWaitsOnTheUnitUntilOneOfItsPeopleActsOnItOrWritesOnIt() {
        String supervisor = "supervisor." + COMMUNITY;
        String handler = "handler." + COMMUNITY;
        // 经八路街道's leader answers for 经八路社区 (分包)
        String leader = "leader." + TOWNSHIP;
        String mark = "instructed" + System.nanoTime();
        Map<String, Object> body = new HashMap<>();
        body.put("categoryCode", "GARBAGE_PILE");
        body.put("title", "rubbish blocking the fire lane " + mark);
        body.put("location", Map.of("address", "经八路 3号"));
        body.put("source", "HOTLINE_12345");
        body.put("reporter", "citizen.1");
        String id = (String) platform.gatewayAs(supervisor).post().uri("/api/units/{u}/cases", COMMUNITY)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("caseId");
        int before = instructed(todo(supervisor, COMMUNITY, ""));

        // the staff's own note is no instruction
        assertThat(comment(handler, id, "已电话联系物业").get("instruction")).isNull();
        assertThat(instructed(todo(supervisor, COMMUNITY, ""))).isEqualTo(before);

        // the leader's is: it waits on the community's people, counted, listed and shown on the record
        Map<String, Object> written = comment(leader, id, "今天之内清理，消防通道不能堵");
        Map<String, Object> instruction = instruction(written);
        assertThat(instruction).containsEntry("leader", leader).containsEntry("note", "今天之内清理，消防通道不能堵");
        assertThat(entryIds(written)).contains((String) instruction.get("entryId"));
        assertThat(instructed(todo(supervisor, COMMUNITY, ""))).isEqualTo(before + 1);
        assertThat(instructed(todo("supervisor." + TOWNSHIP, COMMUNITY, ""))).as("a reader above")
                .isEqualTo(before + 1);
        assertThat(listed(supervisor, COMMUNITY, "instructed=true&q=" + mark)).containsExactly(id);
        assertThat(listed(supervisor, COMMUNITY, "instructed=true&status=REPORTED")).contains(id);
        assertThat(listed(supervisor, COMMUNITY, "instructed=true&status=ACCEPTED")).doesNotContain(id);
        assertThat(instruction(read(handler, id))).containsEntry("entryId", instruction.get("entryId"));
        // not to the reporter: their case shows no staff's notes
        assertThat(read("citizen.1", id).get("instruction")).isNull();
        // written again, the newer one waits, once
        Map<String, Object> again = instruction(comment(leader, id, "下午三点前反馈"));
        assertThat(again.get("note")).isEqualTo("下午三点前反馈");
        assertThat(again.get("entryId")).isNotEqualTo(instruction.get("entryId"));
        assertThat(instructed(todo(supervisor, COMMUNITY, ""))).isEqualTo(before + 1);

        // the handler takes it on: answered
        act(COMMUNITY, id, handler, Map.of("action", "ACCEPT"));
        assertThat(read(handler, id).get("instruction")).isNull();
        assertThat(instructed(todo(supervisor, COMMUNITY, ""))).isEqualTo(before);
        assertThat(listed(supervisor, COMMUNITY, "instructed=true&q=" + mark)).isEmpty();
        // another instruction, answered by a note (落实反馈)
        comment(leader, id, "清理后拍照上传");
        assertThat(listed(supervisor, COMMUNITY, "instructed=true&q=" + mark)).containsExactly(id);
        assertThat(comment(supervisor, id, "已清理，照片已上传").get("instruction")).isNull();
        assertThat(listed(supervisor, COMMUNITY, "instructed=true&q=" + mark)).isEmpty();
        assertThat(instructed(todo(supervisor, COMMUNITY, ""))).isEqualTo(before);

        problem(platform.gatewayAs(supervisor).get().uri("/api/units/{u}/cases?instructed=maybe", COMMUNITY)
                .exchange(), 400, "instructed", "true or false");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> comment(String person, String id, String note) {
        return platform.gatewayAs(person).post().uri("/api/units/{u}/cases/{id}/actions", COMMUNITY, id)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("action", "COMMENT", "note", note))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> read(String person, String id) {
        return platform.gatewayAs(person).get().uri("/api/units/{u}/cases/{id}", COMMUNITY, id).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> instruction(Map<String, Object> view) {
        assertThat(view.get("instruction")).as("the instruction waiting on %s", view.get("caseId")).isNotNull();
        return (Map<String, Object>) view.get("instruction");
    }

    @SuppressWarnings("unchecked")
    private static List<String> entryIds(Map<String, Object> view) {
        return ((List<Map<String, Object>>) view.get("timeline")).stream().map(e -> (String) e.get("id")).toList();
    }

    static int instructed(Map<String, Object> todo) {
        return ((Number) ((Map<?, ?>) todo.get("instructed")).get("count")).intValue();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aCommunitysToDoSaysWhichCellsNobodyPatrolledTodayAndAGridWorkersWalk() {
        String community = "410105001003";
        String cell = community + "-02";
        String worker = "gridworker." + cell;
        String supervisor = "supervisor." + community;
        // a grid worker's own cell, nobody has walked it today; no walk of theirs under way
        assertThat(other(todo(worker, community, ""))).containsEntry("unpatrolledCells", 1)
                .containsEntry("patrolUnderWay", 0);
        assertThat(other(todo(supervisor, community, ""))).containsOnlyKeys("unpatrolledCells", "unsignedNotices")
                .containsEntry("unpatrolledCells", unpatrolled(supervisor, community));

        Map<String, Object> patrol = platform.gatewayAs(worker).post().uri("/api/units/{u}/patrols", community)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("gridCode", cell)).exchange()
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(other(todo(worker, community, ""))).containsEntry("unpatrolledCells", 0)
                .containsEntry("patrolUnderWay", 1);
        assertThat(other(todo(supervisor, community, ""))).containsEntry("unpatrolledCells",
                unpatrolled(supervisor, community));
        platform.gatewayAs(worker).post().uri("/api/units/{u}/patrols/{id}/end", community, patrol.get("id"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of()).exchange().expectStatus().isOk();
        assertThat(other(todo(worker, community, ""))).containsEntry("unpatrolledCells", 0)
                .containsEntry("patrolUnderWay", 0);
        assertThat((List<Map<String, Object>>) todo(worker, community, "").get("other"))
                .allSatisfy(o -> assertThat(o.get("view")).isEqualTo("patrols"));
        // a township has no cells and no patrols: its notices to sign for (NoticesIT) are all it has besides
        assertThat(other(todo("supervisor." + TOWNSHIP, TOWNSHIP, ""))).containsOnlyKeys("unsignedNotices");
    }

    /** The cells of the community nobody started a patrol of today, as its coverage says. */
    @SuppressWarnings("unchecked")
    static int unpatrolled(String person, String community) {
        Map<String, Object> coverage = platform.gatewayAs(person).get().uri("/api/units/{u}/patrols/coverage", community)
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        return ((Number) coverage.get("cellCount")).intValue() - ((Number) coverage.get("patrolledCells")).intValue();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Integer> other(Map<String, Object> todo) {
        Map<String, Integer> other = new HashMap<>();
        ((List<Map<String, Object>>) todo.get("other")).forEach(o ->
                other.put((String) o.get("key"), ((Number) o.get("count")).intValue()));
        return other;
    }

    @Test
    void aToDoIsReadAsTheQueueIsAndAnUnknownTaskIsRefusedNamingTheField() {
        problem(platform.gatewayAs("supervisor." + COMMUNITY).get()
                .uri("/api/units/{u}/cases?task=LUNCH", COMMUNITY).exchange(), 400, "task", "ACCEPT, SIGN, HANDLE");
        problem(platform.gatewayAs("supervisor." + COMMUNITY).get()
                .uri("/api/units/{u}/cases/export?task=LUNCH", COMMUNITY).exchange(), 400, "task", "unknown task");
        problem(platform.gatewayAs("supervisor." + COMMUNITY).get()
                .uri("/api/units/{u}/todo?grid={g}", COMMUNITY, SIBLING + "-01").exchange(), 400, "grid", null);
        problem(platform.gatewayAs("supervisor." + COMMUNITY).get()
                .uri("/api/units/{u}/todo?assignee=two words", COMMUNITY).exchange(), 400, "assignee", null);
        // outside the reader's subtree, a citizen, a unit no node serves
        problem(platform.gatewayAs("supervisor." + SIBLING).get().uri("/api/units/{u}/todo", COMMUNITY).exchange(),
                403, null, null);
        problem(platform.gatewayAs("citizen.1").get().uri("/api/units/{u}/todo", COMMUNITY).exchange(), 403, null,
                null);
        problem(platform.gatewayAs("supervisor.410100000000").get().uri("/api/units/{u}/todo", "410105001099")
                .exchange(), 404, null, null);
        // a grid worker reads their cell's to-do; the township's supervisor the sibling's
        assertThat(counts(todo("gridworker." + COMMUNITY + "-01", COMMUNITY, "grid=" + COMMUNITY + "-01")))
                .containsOnlyKeys(TASKS);
        assertThat(counts(todo("supervisor." + TOWNSHIP, SIBLING, ""))).containsOnlyKeys(TASKS);
    }

    // ---- helpers ----

    static String report(String unit, String title) {
        Map<String, Object> body = new HashMap<>();
        body.put("categoryCode", CATEGORY);
        body.put("title", title);
        body.put("location", Map.of("address", "经八路 3号"));
        body.put("source", "GRID_PATROL");
        return (String) platform.gatewayAs("supervisor." + unit).post().uri("/api/units/{u}/cases", unit)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("caseId");
    }

    static void act(String unit, String caseId, String person, Map<String, Object> body) {
        platform.gatewayAs(person).post().uri("/api/units/{u}/cases/{id}/actions", unit, caseId)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange().expectStatus().isOk();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> todo(String person, String unit, String query) {
        return platform.gatewayAs(person).get().uri("/api/units/" + unit + "/todo?" + query).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> tasks(Map<String, Object> todo) {
        return (List<Map<String, Object>>) todo.get("tasks");
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> loads(String person, String unit) {
        return platform.gatewayAs(person).get().uri("/api/units/{u}/todo/officers", unit).exchange()
                .expectStatus().isOk().expectBody(List.class).returnResult().getResponseBody();
    }

    static Map<String, Object> load(String person, String unit, String officer) {
        return loads(person, unit).stream().filter(l -> officer.equals(l.get("officer"))).findFirst().orElseThrow();
    }

    static int supervised(Map<String, Object> todo) {
        return ((Number) ((Map<?, ?>) todo.get("supervised")).get("count")).intValue();
    }

    static Map<String, Integer> counts(Map<String, Object> todo) {
        Map<String, Integer> counts = new HashMap<>();
        tasks(todo).forEach(t -> counts.put((String) t.get("task"), ((Number) t.get("count")).intValue()));
        return counts;
    }

    /** The case ids of every page of the unit's queue so narrowed. */
    @SuppressWarnings("unchecked")
    static List<String> listed(String person, String unit, String query) {
        List<String> ids = new ArrayList<>();
        String cursor = "";
        do {
            Map<String, Object> page = platform.gatewayAs(person).get()
                    .uri("/api/units/" + unit + "/cases?limit=200&" + query + "&cursor=" + cursor).exchange()
                    .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
            ((List<Map<String, Object>>) page.get("items")).forEach(i -> ids.add((String) i.get("caseId")));
            cursor = (String) page.get("nextCursor");
        } while (cursor != null);
        return ids;
    }
}
