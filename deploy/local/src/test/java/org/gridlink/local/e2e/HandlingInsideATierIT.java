package org.gridlink.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.gridlink.local.e2e.Api.problem;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.gridlink.contracts.Tier;
import org.gridlink.kernel.cases.application.OverdueScan;
import org.gridlink.kernel.testing.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Handling inside a tier as a city runs it (issue 4), through the gateway with real tokens, on the shared platform
 * whose nodes tell time by a clock the test sets: a department officer who does not sign, the working calendar with
 * a weekend and a make-up Saturday (调休), the overdue lists above, a leader's supervision notice, auto-escalation
 * after the grace period; return requests approved and overruled; an extension and a park; bad requests.
 */
class HandlingInsideATierIT {

    static final String CITY = "410100000000";
    // 新郑市 / 梨河镇: the township has a housing-and-construction officer of its own
    static final String XINZHENG = "410184000000";
    static final String LIHE = "410184101000";
    static final String HOUSING_OFFICER = "officer.HOUSING_CONSTRUCTION.410184101000";
    // 金水区 / 经八路街道 and two of its communities
    static final String JINSHUI = "410105000000";
    static final String JINGBALU = "410105001000";
    static final String JINGBALU_COMMUNITY = "410105001001";
    static final String SHENGWEI_COMMUNITY = "410105001002";

    static TestPlatform platform;
    static MutableClock clock;

    @BeforeAll
    static void platform() {
        platform = TestPlatform.get();
        clock = platform.clock();
    }

    @AfterEach
    void systemTime() {
        clock.release();
    }

    /** Producer side of the contracts for the events these flows publish (EventContractIT may have run before). */
    @AfterAll
    static void everyEventPublishedMatchesItsSchema() throws Exception {
        assertThat(EventContractIT.publishedEventsMatchTheirSchemas(platform)).containsKeys(
                "gridlink.case.requested.v1", "gridlink.case.decided.v1", "gridlink.case.supervised.v1",
                "gridlink.case.overdue.v1", "gridlink.case.overdue-cleared.v1");
    }

    @Test
    @SuppressWarnings("unchecked")
    void anUnsignedOfficerDispatchGoesOverdueOnTheWorkingCalendarIsSupervisedAndAutoEscalated() {
        // Friday 9 October 2026, 16:30 in Zhengzhou; Saturday the 10th is a make-up working day (国庆节调休上班)
        clock.set(Instant.parse("2026-10-09T08:30:00Z"));
        String id = report(LIHE, "ILLEGAL_CONSTRUCTION", "an extra storey going up on a village house");
        Map<String, Object> accepted = act(LIHE, id, "supervisor." + LIHE, Map.of("action", "ACCEPT"));
        @SuppressWarnings("unchecked")
        Map<String, Object> proposal = (Map<String, Object>) accepted.get("proposedDispatch");
        assertThat(proposal.get("department")).as("the category's default department").isEqualTo("URBAN_MANAGEMENT");

        Map<String, Object> dispatched = act(LIHE, id, "handler." + LIHE,
                Map.of("action", "DISPATCH", "officer", HOUSING_OFFICER, "note", "inspect and stop the works"));
        assertThat(dispatched.get("status")).isEqualTo("DISPATCHED");
        assertThat(dispatched.get("assignee")).isEqualTo(HOUSING_OFFICER);
        // 2 working hours from Friday 16:30: one on Friday, one on the make-up Saturday, not on Monday
        assertThat(dispatched.get("acceptDueAt")).isEqualTo("2026-10-10T02:00:00Z");
        assertThat(deadline(dispatched).get("clock")).isEqualTo("ACCEPTANCE");
        // the officer may sign for it; a handler of another township may not touch it
        assertThat(view(LIHE, id, HOUSING_OFFICER).get("allowedActions")).asList().contains("ACCEPT", "RETURN_REQUEST");

        OverdueScan scan = platform.node(Tier.TOWNSHIP).getBean(OverdueScan.class);
        scan.scan(Instant.parse("2026-10-10T01:30:00Z")).block(); // Saturday 09:30: half an hour left
        assertThat(overdueBelow(XINZHENG)).noneMatch(n -> id.equals(n.get("caseId")));
        scan.scan(Instant.parse("2026-10-10T02:30:00Z")).block(); // Saturday 10:30: not signed, overdue
        awaitOverdueBelow(XINZHENG, id, true);
        assertThat(overdueBelow(XINZHENG)).filteredOn(n -> id.equals(n.get("caseId"))).singleElement()
                .satisfies(n -> {
                    assertThat(n.get("clock")).isEqualTo("ACCEPTANCE");
                    assertThat(n.get("dueAt")).isEqualTo("2026-10-10T02:00:00Z");
                    assertThat(n.get("unitCode")).isEqualTo(LIHE);
                });

        // Sunday: overdue, but the grace period (1 working day) only ends on Monday at 17:30
        clock.set(Instant.parse("2026-10-11T04:00:00Z"));
        scan.scan(clock.instant()).block();
        assertThat(view(LIHE, id, "supervisor." + LIHE).get("status")).isEqualTo("DISPATCHED");

        // the district's leader, who answers for the township (分包), sends a supervision notice: finish by Monday noon
        Map<String, Object> asked = Map.of("caseId", id, "unit", LIHE, "dueAt", "2026-10-12T04:00:00Z",
                "note", "stop the works first");
        // sent twice at once under one key, as by a client that timed out and sent it again: one notice, one answer
        List<Map<String, Object>> both = Flux.range(0, 2)
                .flatMap(i -> Mono.fromCallable(() -> (Map<String, Object>) supervise(XINZHENG, "leader." + XINZHENG,
                                asked, "notice-1").expectStatus().isCreated().expectBody(Map.class).returnResult()
                                .getResponseBody())
                        .subscribeOn(Schedulers.boundedElastic()))
                .collectList().block(Duration.ofSeconds(30));
        Map<String, Object> notice = both.get(0);
        assertThat(both.get(1)).isEqualTo(notice);
        assertThat(notice.get("leader")).isEqualTo(true);
        assertThat(UUID.fromString((String) notice.get("id")).version()).as("named by the key").isEqualTo(3);
        // its answer lost, the same notice is sent again under its key (quoted this time): the notice kept answers
        assertThat(supervise(XINZHENG, "leader." + XINZHENG, asked, "\"notice-1\"").expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody()).isEqualTo(notice);
        problem(supervise(XINZHENG, "leader." + XINZHENG, Map.of("caseId", id, "unit", LIHE,
                "dueAt", "2026-10-12T08:00:00Z", "note", "stop the works first"), "notice-1"), 422,
                "Idempotency-Key", "for a different supervision notice");
        problem(supervise(XINZHENG, "leader." + XINZHENG, asked, "two words"), 400, "Idempotency-Key", "visible ASCII");
        assertThat(sentNotices(XINZHENG)).filteredOn(n -> id.equals(n.get("caseId"))).singleElement()
                .satisfies(n -> assertThat(n).isEqualTo(notice));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Object> r = view(LIHE, id, "supervisor." + LIHE);
            assertThat(counts(r).get("supervisions")).isEqualTo(1);
            assertThat(counts(r).get("leaderSupervised")).isEqualTo(true);
            assertThat(r.get("acceptDueAt")).isEqualTo("2026-10-12T04:00:00Z");
            assertThat(Api.timeline(r)).anySatisfy(e -> {
                assertThat(e.get("action")).isEqualTo("SUPERVISE");
                assertThat(e.get("actor")).isEqualTo("leader." + XINZHENG);
            });
        });
        // with a deadline ahead it is no longer overdue: the district's list drops it
        scan.scan(Instant.parse("2026-10-11T05:00:00Z")).block();
        awaitOverdueBelow(XINZHENG, id, false);
        // the notice sent again now, when the record is no longer overdue: still the notice kept, and still one
        assertThat(supervise(XINZHENG, "leader." + XINZHENG, asked, "notice-1").expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody()).isEqualTo(notice);
        assertThat(sentNotices(XINZHENG)).filteredOn(n -> id.equals(n.get("caseId"))).hasSize(1);
        assertThat(counts(view(LIHE, id, "supervisor." + LIHE)).get("supervisions")).isEqualTo(1);

        // Monday 13:00: overdue again; Monday 17:00: still within the grace period
        scan.scan(Instant.parse("2026-10-12T05:00:00Z")).block();
        awaitOverdueBelow(XINZHENG, id, true);
        scan.scan(Instant.parse("2026-10-12T09:00:00Z")).block();
        assertThat(view(LIHE, id, "supervisor." + LIHE).get("status")).isEqualTo("DISPATCHED");

        // Tuesday 17:31: one working day after the new deadline, the system escalates it to the district
        clock.set(Instant.parse("2026-10-13T09:31:00Z"));
        scan.scan(clock.instant()).block();
        Map<String, Object> escalated = view(LIHE, id, "supervisor." + LIHE);
        assertThat(escalated.get("status")).isEqualTo("ESCALATED");
        assertThat(Api.timeline(escalated)).last().satisfies(e -> {
            assertThat(e.get("action")).isEqualTo("ESCALATE");
            assertThat(e.get("actor")).isEqualTo("system");
            assertThat((String) e.get("note")).contains("auto-escalated");
        });
        Map<String, Object> atDistrict = new Api(platform).awaitStatus(XINZHENG, id, "REPORTED");
        assertThat(Api.timeline(atDistrict)).extracting(e -> e.get("action"))
                .contains("DISPATCH", "SUPERVISE", "ESCALATE", "RECEIVE");
    }

    @Test
    void aResolvedCaseWaitsOnTheUnitThatDispatchedItToVerifyItWithinTheCategorysVerificationLimit() {
        // Friday 16 October 2026, 10:00 in Zhengzhou: the township hands a rubbish heap to its community
        clock.set(Instant.parse("2026-10-16T02:00:00Z"));
        String id = report(JINGBALU, "GARBAGE_PILE", "sacks of rubble by the school gate");
        act(JINGBALU, id, "handler." + JINGBALU, Map.of("action", "ACCEPT"));
        act(JINGBALU, id, "handler." + JINGBALU, Map.of("action", "DISPATCH", "target", JINGBALU_COMMUNITY));
        awaitStatus(JINGBALU_COMMUNITY, id, "REPORTED");
        act(JINGBALU_COMMUNITY, id, "handler." + JINGBALU_COMMUNITY, Map.of("action", "ACCEPT"));
        act(JINGBALU_COMMUNITY, id, "handler." + JINGBALU_COMMUNITY, Map.of("action", "START"));
        Map<String, Object> resolved = act(JINGBALU_COMMUNITY, id, "handler." + JINGBALU_COMMUNITY,
                Map.of("action", "RESOLVE", "note", "the sanitation team took it away"));
        assertThat(resolved.get("deadline")).as("the township verifies: no clock runs at the community").isNull();
        assertThat(resolved.get("verifyDueAt")).isNull();

        // the township's verification clock (核查, 1 working day for the category) starts when it learns of it:
        // the day of the start is not counted, so it runs out when Monday's office hours end, 17:30
        Map<String, Object> township = awaitStatus(JINGBALU, id, "RESOLVED");
        assertThat(township.get("verifyDueAt")).isEqualTo("2026-10-19T09:30:00Z");
        assertThat(deadline(township).get("clock")).isEqualTo("VERIFICATION");
        assertThat(deadline(township).get("workingTime")).isEqualTo(true);
        assertThat(township.get("allowedActions")).asList().contains("VERIFY", "REWORK");

        OverdueScan scan = platform.node(Tier.TOWNSHIP).getBean(OverdueScan.class);
        scan.scan(Instant.parse("2026-10-19T09:00:00Z")).block(); // Monday 17:00: half an hour left
        assertThat(overdueBelow(JINSHUI)).noneMatch(n -> id.equals(n.get("caseId")));
        scan.scan(Instant.parse("2026-10-19T10:00:00Z")).block(); // Monday 18:00: not verified, overdue
        awaitOverdueBelow(JINSHUI, id, true);
        assertThat(overdueBelow(JINSHUI)).filteredOn(n -> id.equals(n.get("caseId"))).singleElement()
                .satisfies(n -> {
                    assertThat(n.get("clock")).isEqualTo("VERIFICATION");
                    assertThat(n.get("status")).isEqualTo("RESOLVED");
                    assertThat(n.get("dueAt")).isEqualTo("2026-10-19T09:30:00Z");
                    assertThat(n.get("unitCode")).isEqualTo(JINGBALU);
                });
        awaitOverdueBelow(CITY, id, true);
        clock.set(Instant.parse("2026-10-19T10:00:00Z"));
        assertThat(overdueQueue(JINGBALU)).contains(id);
        assertThat(view(JINGBALU, id, "handler." + JINGBALU).get("overdue")).isEqualTo(true);

        // the district's supervisor sends a supervision notice (督办): verify it by Tuesday noon
        supervise(JINSHUI, "supervisor." + JINSHUI, Map.of("caseId", id, "unit", JINGBALU,
                "dueAt", "2026-10-20T04:00:00Z", "note", "go and look at the school gate")).expectStatus().isCreated();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Object> r = view(JINGBALU, id, "handler." + JINGBALU);
            assertThat(r.get("verifyDueAt")).isEqualTo("2026-10-20T04:00:00Z");
            assertThat(r.get("overdue")).isEqualTo(false);
            assertThat(counts(r).get("supervisions")).isEqualTo(1);
        });
        scan.scan(clock.instant()).block();
        awaitOverdueBelow(JINSHUI, id, false);

        // Tuesday 13:00: overdue again; verified, it leaves the lists above for good
        clock.set(Instant.parse("2026-10-20T05:00:00Z"));
        scan.scan(clock.instant()).block();
        awaitOverdueBelow(JINSHUI, id, true);
        Map<String, Object> verified = act(JINGBALU, id, "supervisor." + JINGBALU, Map.of("action", "VERIFY"));
        assertThat(verified.get("deadline")).isNull();
        assertThat(verified.get("overdue")).isEqualTo(false);
        scan.scan(Instant.parse("2026-10-27T05:00:00Z")).block();
        awaitOverdueBelow(JINSHUI, id, false);
        awaitOverdueBelow(CITY, id, false);

        // the township's figures for that Tuesday: one verification (核查), not in time (按期核查率 0)
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Object> own = ownFigures(JINGBALU, "2026-10-20");
            @SuppressWarnings("unchecked")
            Map<String, Number> counts = (Map<String, Number>) own.get("counts");
            @SuppressWarnings("unchecked")
            Map<String, Number> rates = (Map<String, Number>) own.get("rates");
            assertThat(counts.get("verified")).isEqualTo(1);
            assertThat(counts.getOrDefault("verifiedOnTime", 0)).isEqualTo(0);
            assertThat(rates.get("verifyOnTimeRate").doubleValue()).isZero();
        });
    }

    /** A unit's own figures (not its subtree's) for one day. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> ownFigures(String unit, String day) {
        Map<String, Object> view = platform.gatewayAs("supervisor." + unit).get()
                .uri("/api/units/{u}/stats?from={d}&to={d}", unit, day, day).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        return (Map<String, Object>) view.get("own");
    }

    @Test
    void aCaseAnOfficerHasNotSignedForIsRecalledAndGivenToAnother() {
        String ownOfficer = "officer.URBAN_MANAGEMENT." + JINGBALU;
        String districtOfficer = "officer.MARKET_SUPERVISION." + JINSHUI;
        String id = report(JINGBALU, "ROAD_OCCUPATION", "a market stall on the cycle path");
        act(JINGBALU, id, "handler." + JINGBALU, Map.of("action", "ACCEPT"));
        act(JINGBALU, id, "handler." + JINGBALU, Map.of("action", "DISPATCH", "officer", ownOfficer));
        assertThat(view(JINGBALU, id, "handler." + JINGBALU).get("allowedActions")).asList().contains("RECALL");

        // 撤回: the officer may not take it back themselves, and the unit says why it does
        problem(actRaw(JINGBALU, id, ownOfficer, Map.of("action", "RECALL", "note", "not mine")), 403, null,
                "HANDLER or a SUPERVISOR");
        problem(actRaw(JINGBALU, id, "handler." + JINGBALU, Map.of("action", "RECALL")), 422, "note",
                "RECALL needs a note");
        Map<String, Object> recalled = act(JINGBALU, id, "handler." + JINGBALU,
                Map.of("action", "RECALL", "note", "the officer is away this week"));
        assertThat(recalled.get("status")).isEqualTo("ACCEPTED");
        assertThat(recalled.get("assignee")).isNull();
        assertThat(deadline(recalled).get("clock")).isEqualTo("HANDLING");
        assertThat(Api.timeline(recalled)).last().satisfies(e -> {
            assertThat(e.get("action")).isEqualTo("RECALL");
            assertThat(e.get("actor")).isEqualTo("handler." + JINGBALU);
            assertThat(e.get("note")).isEqualTo("from officer " + ownOfficer + ": the officer is away this week");
        });

        // 改派: to an officer of the district assigned to the township, who signs for it; the first one may not
        act(JINGBALU, id, "handler." + JINGBALU, Map.of("action", "DISPATCH", "officer", districtOfficer));
        problem(actRaw(JINGBALU, id, ownOfficer, Map.of("action", "ACCEPT")), 403, null, "signs for it");
        Map<String, Object> signed = act(JINGBALU, id, districtOfficer, Map.of("action", "ACCEPT"));
        assertThat(signed.get("assignee")).isEqualTo(districtOfficer);
        assertThat(signed.get("allowedActions")).asList().doesNotContain("RECALL");
        problem(actRaw(JINGBALU, id, "handler." + JINGBALU, Map.of("action", "RECALL", "note", "too late")), 409,
                null, "who has not signed for it yet");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aDispatchSentTwiceAtOnceUnderOneKeyIsTakenOnceAndReachesTheUnitBelowOnce() {
        String id = report(JINGBALU, "GARBAGE_PILE", "bags left at the market gate");
        act(JINGBALU, id, "handler." + JINGBALU, Map.of("action", "ACCEPT"));
        Map<String, Object> dispatch = Map.of("action", "DISPATCH", "target", JINGBALU_COMMUNITY,
                "note", "the market is yours");

        // sent twice at once under one key through the gateway, as by a client that timed out and sent it again: both
        // answered with the record dispatched, not one of them with a 409 for a DISPATCH on a record DISPATCHED
        List<Map<String, Object>> both = Flux.range(0, 2)
                .flatMap(i -> Mono.fromCallable(() -> (Map<String, Object>) actUnder(JINGBALU, id, "handler." + JINGBALU,
                                dispatch, "dispatch-" + id).expectStatus().isOk().expectBody(Map.class).returnResult()
                                .getResponseBody())
                        .subscribeOn(Schedulers.boundedElastic()))
                .collectList().block(Duration.ofSeconds(30));
        assertThat(both).extracting(a -> a.get("status")).containsExactly("DISPATCHED", "DISPATCHED");
        Map<String, Object> below = awaitStatus(JINGBALU_COMMUNITY, id, "REPORTED");
        assertThat(below.get("origin")).isEqualTo("DISPATCH");
        act(JINGBALU_COMMUNITY, id, "handler." + JINGBALU_COMMUNITY, Map.of("action", "ACCEPT"));

        // sent again once the unit below has signed for it: the record as it is now, and nothing sent twice
        Map<String, Object> again = actUnder(JINGBALU, id, "handler." + JINGBALU, dispatch, "dispatch-" + id)
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(again.get("status")).isEqualTo("DISPATCHED");
        problem(actUnder(JINGBALU, id, "handler." + JINGBALU, Map.of("action", "DISPATCH", "target",
                SHENGWEI_COMMUNITY, "note", "the market is yours"), "dispatch-" + id), 422, "Idempotency-Key",
                "another action (DISPATCH on case " + id + ")");
        // the community's ACCEPT has come up to the township by the time its entries are counted
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Api.timeline(view(JINGBALU, id,
                "handler." + JINGBALU))).anySatisfy(e -> assertThat(e.get("actor"))
                .isEqualTo("handler." + JINGBALU_COMMUNITY)));
        assertThat(Api.timeline(view(JINGBALU, id, "handler." + JINGBALU)))
                .filteredOn(e -> "DISPATCH".equals(e.get("action"))).hasSize(1);
        Map<String, Object> community = view(JINGBALU_COMMUNITY, id, "handler." + JINGBALU_COMMUNITY);
        assertThat(community.get("status")).isEqualTo("ACCEPTED");
        assertThat(Api.timeline(community)).filteredOn(e -> "RECEIVE".equals(e.get("action"))).hasSize(1);
        assertThat(Api.timeline(community)).filteredOn(e -> "DISPATCH".equals(e.get("action"))).hasSize(1);
    }

    @Test
    void aWronglyDispatchedCaseIsReturnedAndReDispatchedAndASecondReturnIsOverruled() {
        // the district hands a case to 经八路街道, which gives it to the wrong community first
        String id = report(JINSHUI, "GARBAGE_PILE", "rubbish heaped at a bus stop");
        act(JINSHUI, id, "supervisor." + JINSHUI, Map.of("action", "ACCEPT"));
        act(JINSHUI, id, "supervisor." + JINSHUI, Map.of("action", "DISPATCH", "target", JINGBALU));
        awaitStatus(JINGBALU, id, "REPORTED");
        act(JINGBALU, id, "handler." + JINGBALU, Map.of("action", "ACCEPT"));
        act(JINGBALU, id, "handler." + JINGBALU, Map.of("action", "DISPATCH", "target", JINGBALU_COMMUNITY));
        awaitStatus(JINGBALU_COMMUNITY, id, "REPORTED");

        act(JINGBALU_COMMUNITY, id, "handler." + JINGBALU_COMMUNITY, Map.of("action", "RETURN_REQUEST",
                "reason", "NOT_IN_JURISDICTION", "note", "the bus stop is on 省委社区's side of the road"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Object> t = view(JINGBALU, id, "handler." + JINGBALU);
            assertThat(t.get("pending")).isNotNull();
            assertThat(t.get("allowedActions")).asList().contains("APPROVE", "OVERRULE");
        });
        Map<String, Object> approved = act(JINGBALU, id, "handler." + JINGBALU,
                Map.of("action", "APPROVE", "note", "right: it is 省委社区's"));
        assertThat(approved.get("status")).isEqualTo("ACCEPTED");
        assertThat(approved.get("dispatchedTo")).isNull();
        assertThat(counts(approved).get("bounces")).isEqualTo(1);
        Map<String, Object> handedBack = awaitStatus(JINGBALU_COMMUNITY, id, "CLOSED");
        assertThat(Api.timeline(handedBack)).extracting(e -> e.get("action")).contains("RETURN_APPROVED", "HANDED_BACK");

        // 改派: to the right community, whose return request is overruled (首接负责制)
        act(JINGBALU, id, "handler." + JINGBALU, Map.of("action", "DISPATCH", "target", SHENGWEI_COMMUNITY));
        awaitStatus(SHENGWEI_COMMUNITY, id, "REPORTED");
        act(SHENGWEI_COMMUNITY, id, "handler." + SHENGWEI_COMMUNITY, Map.of("action", "RETURN_REQUEST",
                "reason", "NOT_IN_REMIT", "note", "a bus stop is the transport bureau's"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(view(JINGBALU, id, "handler." + JINGBALU).get("pending")).isNotNull());
        Map<String, Object> overruled = act(JINGBALU, id, "handler." + JINGBALU,
                Map.of("action", "OVERRULE", "note", "the rubbish is the community's to clear"));
        assertThat(overruled.get("status")).isEqualTo("DISPATCHED");
        assertThat(counts(overruled).get("bounces")).as("an overruled request is no bounce").isEqualTo(1);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Object> c = view(SHENGWEI_COMMUNITY, id, "handler." + SHENGWEI_COMMUNITY);
            assertThat(c.get("pending")).isNull();
            assertThat(c.get("status")).isEqualTo("REPORTED");
            assertThat(c.get("allowedActions")).asList().contains("ACCEPT");
        });
        // both decisions are in the timeline of every unit on the chain: district, township, the right community
        for (String unit : List.of(JINSHUI, JINGBALU, SHENGWEI_COMMUNITY)) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(Api.timeline(view(unit, id, "supervisor." + unit))).extracting(e -> e.get("action"))
                            .as("timeline at %s", unit).contains("RETURN_APPROVED", "RETURN_OVERRULED"));
        }
    }

    @Test
    void anExtensionMovesTheDueTimeAndAParkedCaseLeavesTheOverdueListUntilItsReviewDate() {
        Instant start = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        clock.set(start);
        // an extension asked by the community the township dispatched the case to
        String id = report(JINGBALU, "GARBAGE_PILE", "construction waste behind the market");
        act(JINGBALU, id, "handler." + JINGBALU, Map.of("action", "ACCEPT"));
        act(JINGBALU, id, "handler." + JINGBALU, Map.of("action", "DISPATCH", "target", JINGBALU_COMMUNITY));
        awaitStatus(JINGBALU_COMMUNITY, id, "REPORTED");
        act(JINGBALU_COMMUNITY, id, "handler." + JINGBALU_COMMUNITY, Map.of("action", "ACCEPT"));
        String until = start.plus(Duration.ofDays(10)).toString();
        act(JINGBALU_COMMUNITY, id, "handler." + JINGBALU_COMMUNITY,
                Map.of("action", "EXTEND_REQUEST", "until", until, "note", "a truck is booked for next week"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(view(JINGBALU, id, "handler." + JINGBALU).get("pending")).isNotNull());
        Map<String, Object> granted = act(JINGBALU, id, "handler." + JINGBALU, Map.of("action", "APPROVE"));
        assertThat(granted.get("dueAt")).isEqualTo(until);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Object> c = view(JINGBALU_COMMUNITY, id, "handler." + JINGBALU_COMMUNITY);
            assertThat(c.get("dueAt")).isEqualTo(until);
            assertThat(counts(c).get("extensions")).isEqualTo(1);
        });

        // a park (挂账) of a community's own case, decided by its supervisor
        String parked = report(JINGBALU_COMMUNITY, "GARBAGE_PILE", "an abandoned kiosk awaiting budget");
        act(JINGBALU_COMMUNITY, parked, "handler." + JINGBALU_COMMUNITY, Map.of("action", "ACCEPT"));
        act(JINGBALU_COMMUNITY, parked, "handler." + JINGBALU_COMMUNITY, Map.of("action", "START"));
        OverdueScan scan = platform.node(Tier.COMMUNITY).getBean(OverdueScan.class);
        clock.set(start.plus(Duration.ofDays(30)));
        scan.scan(clock.instant()).block();
        assertThat(overdueQueue(JINGBALU_COMMUNITY)).contains(parked);
        awaitOverdueBelow(JINGBALU, parked, true);

        String review = start.plus(Duration.ofDays(60)).toString();
        act(JINGBALU_COMMUNITY, parked, "handler." + JINGBALU_COMMUNITY,
                Map.of("action", "PARK_REQUEST", "until", review, "note", "no budget until next quarter"));
        // the handler cannot decide their own request; the supervisor does
        platform.gatewayAs("handler." + JINGBALU_COMMUNITY).post()
                .uri("/api/units/{u}/cases/{id}/actions", JINGBALU_COMMUNITY, parked)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("action", "APPROVE"))
                .exchange().expectStatus().isForbidden();
        Map<String, Object> approved = act(JINGBALU_COMMUNITY, parked, "supervisor." + JINGBALU_COMMUNITY,
                Map.of("action", "APPROVE"));
        assertThat(approved.get("parkedUntil")).isEqualTo(review);
        assertThat(approved.get("overdue")).isEqualTo(false);
        assertThat(overdueQueue(JINGBALU_COMMUNITY)).doesNotContain(parked);
        scan.scan(clock.instant()).block();
        awaitOverdueBelow(JINGBALU, parked, false);

        // the review date comes: the case is back in the overdue lists
        clock.set(start.plus(Duration.ofDays(61)));
        scan.scan(clock.instant()).block();
        Map<String, Object> back = view(JINGBALU_COMMUNITY, parked, "supervisor." + JINGBALU_COMMUNITY);
        assertThat(back.get("parkedUntil")).isNull();
        assertThat(Api.timeline(back)).extracting(e -> e.get("action")).contains("PARK_APPROVED", "PARK_REVIEW");
        assertThat(overdueQueue(JINGBALU_COMMUNITY)).contains(parked);
        awaitOverdueBelow(JINGBALU, parked, true);
    }

    @Test
    void badRequestsAreRefusedClearlyAndChangeNothing() {
        String id = report(LIHE, "ILLEGAL_CONSTRUCTION", "a shed on farmland");
        act(LIHE, id, "handler." + LIHE, Map.of("action", "ACCEPT"));

        problem(actRaw(LIHE, id, "handler." + LIHE, Map.of("action", "DISPATCH", "officer", "officer.NOBODY." + LIHE)),
                422, "officer", "is not a department officer of " + LIHE);
        problem(actRaw(LIHE, id, "handler." + LIHE, Map.of("action", "DISPATCH",
                "officer", "officer.URBAN_MANAGEMENT.410105001000")), 422, "officer", "GET /api/units/" + LIHE + "/roster");
        problem(actRaw(LIHE, id, "handler." + LIHE, Map.of("action", "EXTEND_REQUEST",
                "until", Instant.now().minus(Duration.ofDays(1)).toString(), "note", "more time")), 422, "until",
                "an extension moves the due time later");
        problem(actRaw(LIHE, id, "handler." + LIHE, Map.of("action", "EXTEND_REQUEST", "until", "next week",
                "note", "more time")), 400, null, null);
        Map<String, Object> unchanged = view(LIHE, id, "handler." + LIHE);
        assertThat(unchanged.get("status")).isEqualTo("ACCEPTED");
        assertThat(unchanged.get("assignee")).isNull();
        assertThat(unchanged.get("pending")).isNull();

        // a return request needs a reason from the list
        act(LIHE, id, "handler." + LIHE, Map.of("action", "DISPATCH", "officer", HOUSING_OFFICER));
        problem(actRaw(LIHE, id, HOUSING_OFFICER, Map.of("action", "RETURN_REQUEST", "note", "not mine")), 422,
                "reason", "needs a reason");
        problem(actRaw(LIHE, id, HOUSING_OFFICER, Map.of("action", "RETURN_REQUEST", "reason", "BORED",
                "note", "not mine")), 422, "reason", "unknown return reason 'BORED'");
        assertThat(view(LIHE, id, HOUSING_OFFICER).get("pending")).isNull();

        // supervision: only from above, only a supervisor or a leader answering for the unit, only an overdue record
        problem(supervise(XINZHENG, "supervisor." + XINZHENG, Map.of("caseId", id, "unit", LIHE,
                "dueAt", Instant.now().plus(Duration.ofDays(1)).toString())), 422, "caseId", "knows of no overdue record");
        problem(supervise(XINZHENG, "supervisor." + XINZHENG, Map.of("caseId", id, "unit", LIHE,
                "dueAt", Instant.now().minus(Duration.ofDays(1)).toString())), 422, "dueAt", "in the future");
        supervise(XINZHENG, "handler." + XINZHENG, Map.of("caseId", id, "unit", LIHE,
                "dueAt", Instant.now().plus(Duration.ofDays(1)).toString())).expectStatus().isForbidden();
        supervise(JINSHUI, "supervisor." + JINSHUI, Map.of("caseId", id, "unit", LIHE,
                "dueAt", Instant.now().plus(Duration.ofDays(1)).toString())).expectStatus().isEqualTo(422);
        supervise(XINZHENG, "supervisor." + XINZHENG, Map.of("caseId", id, "unit", LIHE, "dueAt",
                Instant.now().plus(Duration.ofDays(1)).toString(), "supervisor", "someone")).expectStatus().isBadRequest();
        assertThat(counts(view(LIHE, id, "handler." + LIHE)).get("supervisions")).isEqualTo(0);

        // the roster says who serves the unit
        Map<?, ?> roster = platform.gatewayAs("handler." + LIHE).get().uri("/api/units/{u}/roster", LIHE).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat((List<?>) roster.get("officers")).anySatisfy(o ->
                assertThat(((Map<?, ?>) o).get("username")).isEqualTo(HOUSING_OFFICER));
        assertThat((List<?>) roster.get("leaders")).anySatisfy(o ->
                assertThat(((Map<?, ?>) o).get("username")).isEqualTo("leader." + XINZHENG));
        platform.gatewayAs("handler." + JINGBALU).get().uri("/api/units/{u}/roster", LIHE).exchange()
                .expectStatus().isForbidden();
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private static String report(String unit, String category, String title) {
        Map<String, Object> body = Api.aReport(category, title);
        return (String) platform.gatewayAs("supervisor." + unit).post().uri("/api/units/{u}/cases", unit)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("caseId");
    }

    private static WebTestClient.ResponseSpec actRaw(String unit, String id, String as, Map<String, Object> body) {
        return platform.gatewayAs(as).post().uri("/api/units/{u}/cases/{id}/actions", unit, id)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    @SuppressWarnings("unchecked")
    private static WebTestClient.ResponseSpec actUnder(String unit, String id, String as, Map<String, Object> body,
                                                       String key) {
        return platform.gatewayAs(as).post().uri("/api/units/{u}/cases/{id}/actions", unit, id)
                .header("Idempotency-Key", key).contentType(MediaType.APPLICATION_JSON).bodyValue(new HashMap<>(body))
                .exchange();
    }

    private static Map<String, Object> act(String unit, String id, String as, Map<String, Object> body) {
        return actRaw(unit, id, as, body).expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> view(String unit, String id, String as) {
        return platform.gatewayAs(as).get().uri("/api/units/{u}/cases/{id}", unit, id).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }

    private static Map<String, Object> awaitStatus(String unit, String id, String status) {
        Map<String, Object>[] seen = new Map[1];
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            var result = platform.gatewayAs("supervisor." + unit).get().uri("/api/units/{u}/cases/{id}", unit, id)
                    .exchange().expectBody(Map.class).returnResult();
            assertThat(result.getStatus().value()).as("record at %s", unit).isEqualTo(200);
            seen[0] = result.getResponseBody();
            assertThat(seen[0].get("status")).as("status at %s", unit).isEqualTo(status);
        });
        return seen[0];
    }

    private static WebTestClient.ResponseSpec supervise(String unit, String as, Map<String, Object> body) {
        return platform.gatewayAs(as).post().uri("/api/units/{u}/supervision", unit)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(new HashMap<>(body)).exchange();
    }

    private static WebTestClient.ResponseSpec supervise(String unit, String as, Map<String, Object> body, String key) {
        return platform.gatewayAs(as).post().uri("/api/units/{u}/supervision", unit).header("Idempotency-Key", key)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(new HashMap<>(body)).exchange();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> sentNotices(String unit) {
        return platform.gatewayAs("supervisor." + unit).get().uri("/api/units/{u}/supervision?limit=50", unit)
                .exchange().expectStatus().isOk().expectBody(List.class).returnResult().getResponseBody();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> overdueBelow(String unit) {
        return platform.gatewayAs("supervisor." + unit).get().uri("/api/units/{u}/cases/overdue?limit=200", unit)
                .exchange().expectStatus().isOk().expectBody(List.class).returnResult().getResponseBody();
    }

    private static void awaitOverdueBelow(String unit, String id, boolean listed) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(overdueBelow(unit).stream().anyMatch(n -> id.equals(n.get("caseId"))))
                        .as("%s on %s's overdue list", id, unit).isEqualTo(listed));
    }

    @SuppressWarnings("unchecked")
    private static List<String> overdueQueue(String unit) {
        Map<String, Object> page = platform.gatewayAs("supervisor." + unit).get()
                .uri("/api/units/{u}/cases?overdue=true&limit=200", unit).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        return ((List<Map<String, Object>>) page.get("items")).stream().map(i -> (String) i.get("caseId")).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> counts(Map<String, Object> view) {
        return (Map<String, Object>) view.get("counts");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deadline(Map<String, Object> view) {
        return (Map<String, Object>) view.get("deadline");
    }
}
