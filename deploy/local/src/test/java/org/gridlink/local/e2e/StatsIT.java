package org.gridlink.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.gridlink.contracts.Tier;
import org.gridlink.kernel.cases.application.OverdueScan;
import org.gridlink.kernel.testing.MutableClock;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.gridlink.seeds.CaseBatch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Reports up the tiers (issue 7): the city's figures, built only from what the districts reported, equal what every
 * node's database says; a new case reaches the city's figures within seconds; a stopped child keeps its last figures
 * at its parent, marked stale; bad input is a 400/404 problem.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StatsIT {

    static final String CITY = "410100000000";
    static final String JINSHUI = "410105000000";
    static final String JINGBALU = "410105001000";
    static final String JINGBALU_COMMUNITY = "410105001001";
    /** Counters compared field by field: every timeline-action counter the batch can produce, and more. */
    static final List<String> ACTIONS = List.of("REPORT:reported", "RECEIVE:received", "ACCEPT:accepted",
            "REJECT:rejected", "ESCALATE:escalated", "DISPATCH:dispatched", "RETURN:returned", "VERIFY:verified",
            "CLOSE:closed", "RETURN_REQUEST:returnRequests", "EXTEND_REQUEST:extensionRequests",
            "PARK_REQUEST:parkRequests", "RECATEGORISE:recategorised", "RECALL:recalled", "REASSIGN:reassigned");
    /** Decisions on requests (issue 4): decision action → counter, counted at the unit whose request it decided. */
    static final Map<String, String> DECISIONS = Map.of("RETURN_APPROVED", "returnsApproved",
            "RETURN_OVERRULED", "returnsOverruled", "EXTENSION_APPROVED", "extensionsApproved",
            "EXTENSION_REFUSED", "extensionsRefused", "PARK_APPROVED", "parksApproved", "PARK_REFUSED", "parksRefused");
    // 新郑市 / 梨河镇 and the township's housing-and-construction officer (as in HandlingInsideATierIT)
    static final String XINZHENG = "410184000000";
    static final String LIHE = "410184101000";
    static final String HOUSING_OFFICER = "officer.HOUSING_CONSTRUCTION.410184101000";
    /** The district's public security officer, assigned to 梨河镇 among others. */
    static final String POLICE_OFFICER = "officer.PUBLIC_SECURITY.410184000000";

    static TestPlatform platform;
    static Api api;

    @BeforeAll
    static void platform() {
        platform = TestPlatform.get();
        api = new Api(platform);
    }

    WebTestClient admin() {
        return platform.gatewayAs("admin.410100000000");
    }

    @Test
    @Order(1)
    void theCitysFiguresEqualTheSumOverEveryNodesDatabase() throws Exception {
        Map<String, List<String>> cells = new TreeMap<>();
        for (String township : List.of("410105001000", "410105002000", "410108001000", "410184101000")) {
            for (int c = 1; c <= 3; c++) {
                String community = township.substring(0, 9) + String.format("%03d", c);
                cells.put(community, List.of(community + "-01", community + "-02", community + "-03"));
            }
        }
        List<CaseBatch.PlannedCase> batch = CaseBatch.plan(7, 24, cells,
                List.of("GARBAGE_PILE", "ILLEGAL_PARKING", "NOISE", "STREETLIGHT_BROKEN", "ROAD_OCCUPATION", "FIRE_HAZARD"));
        for (CaseBatch.PlannedCase c : batch) {
            drive(c);
        }
        Map<String, Long> expected = new TreeMap<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            expected.clear();
            expected.putAll(direct());
            Map<String, Long> city = cityCounts();
            for (Map.Entry<String, Long> e : expected.entrySet()) {
                if (e.getKey().equals("cases")) {
                    continue;
                }
                assertThat(city.getOrDefault(e.getKey(), 0L)).as("the city's %s", e.getKey()).isEqualTo(e.getValue());
            }
            // every case in exactly one unit's status figures; the four databases are read one after another, so a
            // hop in flight between two reads (a scheduled auto-escalation) is read again
            assertThat(expected.entrySet().stream().filter(e -> e.getKey().startsWith("status."))
                    .mapToLong(Map.Entry::getValue).sum()).as("status figures, one per case").isEqualTo(expected.get("cases"));
        });
        System.out.println("StatsIT: the city's figures equal the four databases' sums: " + expected);
        // every case is counted in exactly one unit's status figures, whichever units it passed through
        assertThat(expected.entrySet().stream().filter(e -> e.getKey().startsWith("status.")).mapToLong(Map.Entry::getValue).sum())
                .isEqualTo(expected.get("cases"));
        assertThat(expected.get("reported")).isGreaterThanOrEqualTo(batch.size());
        assertThat(expected.get("escalated")).isPositive();
        assertThat(expected.get("resolved")).isPositive();
        assertThat(expected.get("verifiedOnTime")).isPositive();
    }

    @Test
    @Order(2)
    void aNewCaseInACommunityReachesTheCitysFiguresWithinFiveSeconds() {
        long before = cityCounts().getOrDefault("reported", 0L);
        // let the last reports of the batch age past the coalescing interval: measure a change in a quiet city
        await().pollDelay(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(7)).until(() -> true);
        before = cityCounts().getOrDefault("reported", 0L);
        long start = System.nanoTime();
        api.reportCase(JINGBALU_COMMUNITY, "stats: freshness");
        long expectedNow = before + 1;
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> cityCounts().getOrDefault("reported", 0L) >= expectedNow);
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("StatsIT: a new case in community " + JINGBALU_COMMUNITY + " reached the city's figures in "
                + millis + " ms");
        assertThat(millis).isLessThan(5_000);
    }

    @Test
    @Order(3)
    void aStoppedChildKeepsItsLastFiguresAtTheParentMarkedStale() {
        Map<String, Object> before = child(JINSHUI, JINGBALU);
        assertThat(before.get("stale")).isEqualTo(false);
        @SuppressWarnings("unchecked")
        Map<String, Object> figures = (Map<String, Object>) before.get("figures");
        platform.crashNode(Tier.TOWNSHIP);
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> Boolean.TRUE.equals(child(JINSHUI, JINGBALU).get("stale")));
            Map<String, Object> stale = child(JINSHUI, JINGBALU);
            assertThat(((Number) stale.get("ageSeconds")).longValue()).isGreaterThanOrEqualTo(9);
            assertThat(stale.get("figures")).as("the last figures, not zeros").isEqualTo(figures);
            assertThat(stale.get("reportedAt")).isNotNull();
            System.out.println("StatsIT: with the township node down, 金水区 shows 经八路街道 stale, age "
                    + stale.get("ageSeconds") + " s, figures kept: " + figures);
        } finally {
            platform.startNode(Tier.TOWNSHIP, null);
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> Boolean.FALSE.equals(child(JINSHUI, JINGBALU).get("stale")));
    }

    @Test
    @Order(4)
    void theCityAssessesItsDistrictsWithTheFormulaAndTheBands() {
        @SuppressWarnings("unchecked")
        Map<String, Object> view = admin().get().uri("/api/units/{u}/assessment", CITY).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat((String) view.get("formula")).contains("处置率(handlingRate)");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> ranking = (List<Map<String, Object>>) view.get("ranking");
        assertThat(ranking).extracting(r -> r.get("code")).containsExactlyInAnyOrder("410105000000", "410108000000", "410184000000");
        List<Map<String, Object>> ranked = ranking.stream().filter(r -> ((Number) r.get("rank")).intValue() > 0).toList();
        for (int i = 1; i < ranked.size(); i++) {
            assertThat(((Number) ranked.get(i - 1).get("score")).doubleValue())
                    .isGreaterThanOrEqualTo(((Number) ranked.get(i).get("score")).doubleValue());
        }
        assertThat(ranked.get(0).get("terms")).asList().isNotEmpty();
        // the same question twice, the same ranking
        @SuppressWarnings("unchecked")
        Map<String, Object> again = admin().get().uri("/api/units/{u}/assessment", CITY).exchange()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(((List<Map<String, Object>>) again.get("ranking")).stream().map(r -> r.get("code")).toList())
                .isEqualTo(ranking.stream().map(r -> r.get("code")).toList());
        // a community's grid cells
        Map<?, ?> cells = platform.gatewayAs("supervisor." + JINGBALU_COMMUNITY).get()
                .uri("/api/units/{u}/assessment", JINGBALU_COMMUNITY).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(cells.get("entrants")).isEqualTo("gridCells");
        assertThat((List<?>) cells.get("ranking")).hasSize(3);
    }

    @Test
    @Order(5)
    void statsAndAssessmentExportAsCsvWithChineseHeaders() {
        String csv = admin().get().uri("/api/units/{u}/stats?format=csv", CITY).exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(new MediaType("text", "csv"))
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(csv.lines().findFirst().orElseThrow()).contains("单位代码", "新报数", "处置率", "按期处置率");
        assertThat(csv.lines().count()).isEqualTo(1 + 2 + 3); // the header, the total, the city's own, three districts
        String assessment = admin().get().uri("/api/units/{u}/assessment", CITY).accept(new MediaType("text", "csv"))
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(assessment.lines().findFirst().orElseThrow()).contains("排名", "得分", "奖惩档次");
    }

    @Test
    @Order(5)
    void statsAndAssessmentExportAsXlsxThatOpensWithTheHeadersAndTheNumbers() throws Exception {
        MediaType xlsx = MediaType.parseMediaType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        Map<String, Long> city = cityCounts();
        byte[] stats = admin().get().uri("/api/units/{u}/stats?format=xlsx", CITY).exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(xlsx)
                .expectHeader().value("Content-Disposition", v -> assertThat(v).contains(".xlsx"))
                .expectBody(byte[].class).returnResult().getResponseBody();
        try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(stats))) {
            Sheet sheet = wb.getSheetAt(0);
            List<String> header = new java.util.ArrayList<>();
            sheet.getRow(0).forEach(c -> header.add(c.getStringCellValue()));
            assertThat(header).contains("单位代码", "新报数", "处置率", "按期处置率", "退单率", "当前挂账数");
            assertThat(sheet.getLastRowNum()).isEqualTo(2 + 3); // the total, the city's own, three districts
            Row total = sheet.getRow(1);
            assertThat(total.getCell(header.indexOf("单位代码")).getStringCellValue()).isEqualTo(CITY);
            assertThat(total.getCell(header.indexOf("新报数")).getCellType()).isEqualTo(CellType.NUMERIC);
            assertThat((long) total.getCell(header.indexOf("新报数")).getNumericCellValue())
                    .isGreaterThanOrEqualTo(city.get("reported"));
        }
        byte[] assessment = admin().get().uri("/api/units/{u}/assessment", CITY).accept(xlsx).exchange()
                .expectStatus().isOk().expectHeader().contentTypeCompatibleWith(xlsx)
                .expectBody(byte[].class).returnResult().getResponseBody();
        try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(assessment))) {
            Sheet sheet = wb.getSheetAt(0);
            List<String> header = new java.util.ArrayList<>();
            sheet.getRow(0).forEach(c -> header.add(c.getStringCellValue()));
            assertThat(header).contains("排名", "得分", "奖惩档次", "计分公式");
            assertThat(sheet.getLastRowNum()).isEqualTo(3); // three districts
        }
    }

    @Test
    @Order(6)
    void badInputIsAProblemNeverA500() {
        problem(admin().get().uri("/api/units/{u}/assessment?period=2026-13", CITY), 400, "period");
        problem(admin().get().uri("/api/units/{u}/assessment?period=May", CITY), 400, "period");
        problem(admin().get().uri("/api/units/{u}/stats?from=2026-05-10&to=2026-05-01", CITY), 400, "from");
        problem(admin().get().uri("/api/units/{u}/stats?from=yesterday", CITY), 400, "from");
        problem(admin().get().uri("/api/units/{u}/stats/trend?to=2026-02-30", CITY), 400, "to");
        problem(admin().get().uri("/api/units/{u}/stats?format=pdf", CITY), 400, "format");
        problem(admin().get().uri("/api/units/{u}/assessment?format=xls", CITY), 400, "format");
        problem(admin().get().uri("/api/units/{u}/stats", "410100000999"), 404, null);
        problem(admin().get().uri("/api/units/{u}/stats", "41010"), 400, null); // the gateway already refuses it
        problem(platform.gatewayAs("citizen.1").get().uri("/api/units/{u}/stats", JINGBALU_COMMUNITY), 403, null);
    }

    /**
     * Issue 4's handling in the figures: an approved return, an approved extension, a park, a leader's supervision
     * notice and an auto-escalation show at the units docs/stats.md counts them at, in their parents' breakdowns and in
     * the city's figures, and the city's figures still equal the four databases' sums.
     */
    @Test
    @Order(7)
    void issueFourHandlingShowsInTheParentsAndTheCitysFiguresAndEqualsTheDatabases() throws Exception {
        Map<String, Long> direct0 = direct();
        Map<String, Long> community0 = childCounts(JINGBALU, JINGBALU_COMMUNITY);
        Map<String, Long> lihe0 = childCounts(XINZHENG, LIHE);
        Map<String, Long> xinzheng0 = ownCounts(XINZHENG);

        // a leader's supervision and an auto-escalation, days ago on the test clock: an officer of 梨河镇 does not sign
        MutableClock clock = platform.clock();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try {
            clock.set(now.minus(Duration.ofDays(12)));
            String late = (String) api.report(LIHE, Api.aReport("ILLEGAL_CONSTRUCTION", "stats: a shed going up")).get("caseId");
            api.act(LIHE, late, "ACCEPT");
            Map<String, Object> dispatched = act(LIHE, late, "handler." + LIHE,
                    Map.of("action", "DISPATCH", "officer", HOUSING_OFFICER, "note", "stop the works"));
            Instant acceptDue = Instant.parse((String) dispatched.get("acceptDueAt"));
            OverdueScan scan = platform.node(Tier.TOWNSHIP).getBean(OverdueScan.class);
            clock.set(acceptDue.plus(Duration.ofMinutes(1)));
            scan.scan(clock.instant()).block();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                    overdueBelow(XINZHENG).stream().anyMatch(n -> late.equals(n.get("caseId"))));
            Instant newDue = clock.instant().plus(Duration.ofHours(1));
            platform.gatewayAs("leader." + XINZHENG).post().uri("/api/units/{u}/supervision", XINZHENG)
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("caseId", late, "unit", LIHE, "dueAt", newDue.toString(), "note", "stop it today"))
                    .exchange().expectStatus().isCreated();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(Api.timeline(api.find(LIHE, late))).extracting(e -> e.get("action")).contains("SUPERVISE"));
            // the grace period (a working day after the new deadline) has passed five days later
            clock.set(newDue.plus(Duration.ofDays(5)));
            scan.scan(clock.instant()).block();
            assertThat(api.find(LIHE, late).get("status")).isEqualTo("ESCALATED");
            api.awaitStatus(XINZHENG, late, "REPORTED");
            // the district handles it at once, before its own time limit could run out on the real clock
            api.act(XINZHENG, late, "ACCEPT");
            api.act(XINZHENG, late, "START");
            api.act(XINZHENG, late, "RESOLVE", "the works stopped", null);
            api.act(XINZHENG, late, "VERIFY");
            api.act(XINZHENG, late, "CLOSE");
        } finally {
            clock.release();
        }

        // an approved return: 经八路街道 dispatched a case to the wrong community
        String wrong = api.reportCase(JINGBALU, "stats: rubbish across the road");
        api.act(JINGBALU, wrong, "ACCEPT");
        api.act(JINGBALU, wrong, "DISPATCH", null, JINGBALU_COMMUNITY);
        api.awaitStatus(JINGBALU_COMMUNITY, wrong, "REPORTED");
        act(JINGBALU_COMMUNITY, wrong, "handler." + JINGBALU_COMMUNITY, Map.of("action", "RETURN_REQUEST",
                "reason", "NOT_IN_JURISDICTION", "note", "the other side of the road is 省委社区's"));
        await().atMost(Duration.ofSeconds(30)).until(() -> api.find(JINGBALU, wrong).get("pending") != null);
        act(JINGBALU, wrong, "handler." + JINGBALU, Map.of("action", "APPROVE", "note", "right"));
        api.awaitStatus(JINGBALU_COMMUNITY, wrong, "CLOSED");

        // an approved extension, asked by the community the case was dispatched to
        String slow = api.reportCase(JINGBALU, "stats: construction waste");
        api.act(JINGBALU, slow, "ACCEPT");
        api.act(JINGBALU, slow, "DISPATCH", null, JINGBALU_COMMUNITY);
        api.awaitStatus(JINGBALU_COMMUNITY, slow, "REPORTED");
        api.act(JINGBALU_COMMUNITY, slow, "ACCEPT");
        String until = now.plus(Duration.ofDays(10)).toString();
        act(JINGBALU_COMMUNITY, slow, "handler." + JINGBALU_COMMUNITY,
                Map.of("action", "EXTEND_REQUEST", "until", until, "note", "a truck is booked"));
        await().atMost(Duration.ofSeconds(30)).until(() -> api.find(JINGBALU, slow).get("pending") != null);
        act(JINGBALU, slow, "handler." + JINGBALU, Map.of("action", "APPROVE"));
        await().atMost(Duration.ofSeconds(30)).until(() -> until.equals(api.find(JINGBALU_COMMUNITY, slow).get("dueAt")));

        // a park of the community's own case, decided by its supervisor
        String kiosk = api.reportCase(JINGBALU_COMMUNITY, "stats: an abandoned kiosk");
        api.act(JINGBALU_COMMUNITY, kiosk, "ACCEPT");
        api.act(JINGBALU_COMMUNITY, kiosk, "START");
        act(JINGBALU_COMMUNITY, kiosk, "handler." + JINGBALU_COMMUNITY, Map.of("action", "PARK_REQUEST",
                "until", now.plus(Duration.ofDays(60)).toString(), "note", "no budget until next quarter"));
        act(JINGBALU_COMMUNITY, kiosk, "supervisor." + JINGBALU_COMMUNITY, Map.of("action", "APPROVE"));

        // 撤回 and 改派 at 梨河镇: a dispatch to the wrong officer taken back before they signed, dispatched again, and
        // given to the other officer by the supervisor
        String fence = api.reportCase(LIHE, "stats: a fence across the footpath");
        api.act(LIHE, fence, "ACCEPT");
        act(LIHE, fence, "handler." + LIHE, Map.of("action", "DISPATCH", "officer", POLICE_OFFICER, "note", "a fence"));
        act(LIHE, fence, "handler." + LIHE, Map.of("action", "RECALL", "note", "a building matter, not the police's"));
        act(LIHE, fence, "handler." + LIHE, Map.of("action", "DISPATCH", "officer", HOUSING_OFFICER, "note", "a fence"));
        act(LIHE, fence, "supervisor." + LIHE, Map.of("action", "REASSIGN", "officer", POLICE_OFFICER,
                "note", "it blocks the road after all"));

        Map<String, Long> expected = new TreeMap<>();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            // the parents' breakdowns: the community asked, so the decisions count there (not at the township)
            Map<String, Long> community = childCounts(JINGBALU, JINGBALU_COMMUNITY);
            assertThat(delta(community, community0, "receivedDispatches")).isEqualTo(2);
            assertThat(delta(community, community0, "returnRequests")).isEqualTo(1);
            assertThat(delta(community, community0, "returnsApproved")).isEqualTo(1);
            assertThat(delta(community, community0, "extensionRequests")).isEqualTo(1);
            assertThat(delta(community, community0, "extensionsApproved")).isEqualTo(1);
            assertThat(delta(community, community0, "parkRequests")).isEqualTo(1);
            assertThat(delta(community, community0, "parksApproved")).isEqualTo(1);
            assertThat(delta(community, community0, "parkedNow")).isEqualTo(1);
            Map<String, Long> lihe = childCounts(XINZHENG, LIHE);
            assertThat(delta(lihe, lihe0, "autoEscalations")).isEqualTo(1);
            assertThat(delta(lihe, lihe0, "receivedDispatches")).as("the officers' dispatches").isEqualTo(3);
            assertThat(delta(lihe, lihe0, "recalled")).isEqualTo(1);
            assertThat(delta(lihe, lihe0, "reassigned")).isEqualTo(1);
            Map<String, Long> xinzheng = ownCounts(XINZHENG);
            assertThat(delta(xinzheng, xinzheng0, "supervisions")).isEqualTo(1);
            assertThat(delta(xinzheng, xinzheng0, "leaderSupervisions")).isEqualTo(1);
            // the city: each figure this test moved equals the databases' sum, below. Not "one more than before":
            // records other test classes left on the shared platform can run out of time while this test's clock
            // travels (one auto-escalated at a district on the test clock's day, 12 days back, and that is counted
            // too, rightly)
            Map<String, Long> city = cityCounts();
            expected.clear();
            expected.putAll(direct());
            for (String counter : List.of("returnsApproved", "extensionsApproved", "parksApproved", "supervisions",
                    "leaderSupervisions", "autoEscalations", "parkedNow", "recalled", "reassigned")) {
                assertThat(delta(expected, direct0, counter)).as("the databases' %s", counter).isGreaterThanOrEqualTo(1);
            }
            // and the whole city equals the databases
            for (Map.Entry<String, Long> e : expected.entrySet()) {
                if (!e.getKey().equals("cases")) {
                    assertThat(city.getOrDefault(e.getKey(), 0L)).as("the city's %s", e.getKey()).isEqualTo(e.getValue());
                }
            }
        });
        System.out.println("StatsIT: issue 4's handling in the city's figures, equal to the databases: " + expected);
        assertThat(expected.entrySet().stream().filter(e -> e.getKey().startsWith("status.")).mapToLong(Map.Entry::getValue).sum())
                .isEqualTo(expected.get("cases"));
        @SuppressWarnings("unchecked")
        Map<String, Object> rates = (Map<String, Object>) ((Map<String, Object>) admin().get()
                .uri("/api/units/{u}/stats", CITY).exchange().expectBody(Map.class).returnResult().getResponseBody()
                .get("figures")).get("rates");
        assertThat(((Number) rates.get("returnRate")).doubleValue())
                .isEqualTo(Math.round(10_000d * expected.get("returnsApproved") / expected.get("receivedDispatches")) / 10_000d);
    }

    @Test
    @Order(8)
    void everyReportTheNodesPublishMatchesItsSchemaAndIsKeyedByItsUnit() throws Exception {
        String path = "contracts/events/unit-reported/gridlink.unit.reported.v1.schema.json";
        com.networknt.schema.JsonSchema schema;
        try (java.io.InputStream in = StatsIT.class.getClassLoader().getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            schema = com.networknt.schema.JsonSchemaFactory.getInstance(com.networknt.schema.SpecVersion.VersionFlag.V202012)
                    .getSchema(in, com.networknt.schema.SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
        }
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var records = TopicReader.readAll(platform.kafka().bootstrapServers(), "gridlink.unit-reports");
        assertThat(records).hasSizeGreaterThan(28); // every seeded unit reported, more than once
        Set<String> units = new HashSet<>();
        for (var r : records) {
            assertThat(TopicReader.header(r, "ce_type")).isEqualTo("gridlink.unit.reported.v1");
            assertThat(TopicReader.header(r, "ce_source")).isEqualTo("/units/" + r.key());
            var body = json.readTree(r.value());
            assertThat(body.path("unit").asText()).isEqualTo(r.key());
            assertThat(schema.validate(body)).as("report of %s", r.key()).isEmpty();
            units.add(r.key());
        }
        assertThat(units).hasSize(28);
    }

    private static void problem(WebTestClient.RequestHeadersSpec<?> request, int status, String field) {
        var result = request.exchange().expectStatus().isEqualTo(status)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(Map.class).returnResult();
        if (field != null) {
            assertThat(result.getResponseBody()).containsEntry("field", field);
        }
    }

    /** Plays a planned case through the API as the supervisors of the units concerned. */
    private void drive(CaseBatch.PlannedCase c) {
        Map<String, Object> body = new HashMap<>(Api.aReport(c.category(), "batch " + c.n() + " " + c.outcome()));
        body.put("gridCode", c.gridCode());
        body.put("source", c.source());
        String community = c.community();
        String township = community.substring(0, 9) + "000";
        String id = (String) api.report(community, body).get("caseId");
        switch (c.outcome()) {
            case REJECTED -> api.act(community, id, "REJECT", "not a grid matter", null);
            case LEFT_OPEN -> api.act(community, id, "ACCEPT");
            case RESOLVED_LOCALLY, REWORKED_THEN_RESOLVED -> {
                api.act(community, id, "ACCEPT");
                api.act(community, id, "START");
                api.act(community, id, "RESOLVE", "done", null);
                if (c.outcome() == CaseBatch.Outcome.REWORKED_THEN_RESOLVED) {
                    api.act(community, id, "REWORK", "not clean yet", null);
                    api.act(community, id, "RESOLVE", "done again", null);
                }
                api.act(community, id, "VERIFY");
                api.act(community, id, "CLOSE");
            }
            case ESCALATED_RESOLVED_ABOVE -> {
                api.act(community, id, "ACCEPT");
                api.act(community, id, "ESCALATE", "beyond us", null);
                api.awaitStatus(township, id, "REPORTED");
                api.act(township, id, "ACCEPT");
                api.act(township, id, "START");
                api.act(township, id, "RESOLVE", "handled by the township", null);
                api.act(township, id, "VERIFY");
                api.act(township, id, "CLOSE");
            }
            case ESCALATED_DISPATCHED_SIDEWAYS -> {
                String sibling = township.substring(0, 9) + (community.endsWith("001") ? "002" : "001");
                api.act(community, id, "ACCEPT");
                api.act(community, id, "ESCALATE", "the neighbour's", null);
                api.awaitStatus(township, id, "REPORTED");
                api.act(township, id, "ACCEPT");
                api.act(township, id, "DISPATCH", "yours", sibling);
                api.awaitStatus(sibling, id, "REPORTED");
                api.act(sibling, id, "ACCEPT");
                api.act(sibling, id, "START");
                api.act(sibling, id, "RESOLVE", "handled next door", null);
                api.awaitStatus(township, id, "RESOLVED");
                api.act(township, id, "VERIFY");
                api.act(township, id, "CLOSE");
            }
            default -> throw new IllegalArgumentException(c.outcome().name());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> act(String unit, String id, String as, Map<String, Object> body) {
        return platform.gatewayAs(as).post().uri("/api/units/{u}/cases/{id}/actions", unit, id)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> overdueBelow(String unit) {
        return platform.gatewayAs("supervisor." + unit).get().uri("/api/units/{u}/cases/overdue?limit=200", unit)
                .exchange().expectStatus().isOk().expectBody(List.class).returnResult().getResponseBody();
    }

    private static long delta(Map<String, Long> after, Map<String, Long> before, String counter) {
        return after.getOrDefault(counter, 0L) - before.getOrDefault(counter, 0L);
    }

    /** A child's subtree counts as its parent shows them, with its current counts. */
    @SuppressWarnings("unchecked")
    private Map<String, Long> childCounts(String parent, String child) {
        Map<String, Object> c = child(parent, child);
        Map<String, Long> result = new TreeMap<>();
        Map<String, Object> figures = (Map<String, Object>) c.get("figures");
        if (figures != null) {
            ((Map<String, Object>) figures.get("counts")).forEach((k, v) -> result.put(k, ((Number) v).longValue()));
        }
        Map<String, Object> current = (Map<String, Object>) c.get("current");
        if (current != null) {
            current.forEach((k, v) -> result.put(k, ((Number) v).longValue()));
        }
        return result;
    }

    /** The unit's own counts. */
    @SuppressWarnings("unchecked")
    private Map<String, Long> ownCounts(String unit) {
        Map<String, Object> view = platform.gatewayAs("supervisor." + unit).get().uri("/api/units/{u}/stats", unit)
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        Map<String, Long> result = new TreeMap<>();
        ((Map<String, Object>) ((Map<String, Object>) view.get("own")).get("counts"))
                .forEach((k, v) -> result.put(k, ((Number) v).longValue()));
        return result;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Long> cityCounts() {
        Map<String, Object> view = admin().get().uri("/api/units/{u}/stats", CITY).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        Map<String, Long> result = new TreeMap<>();
        ((Map<String, Object>) ((Map<String, Object>) view.get("figures")).get("counts"))
                .forEach((k, v) -> result.put(k, ((Number) v).longValue()));
        ((Map<String, Object>) view.get("current")).forEach((k, v) -> result.put(k, ((Number) v).longValue()));
        return result;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> child(String parent, String child) {
        Map<String, Object> view = platform.gatewayAs("supervisor." + parent).get().uri("/api/units/{u}/stats", parent)
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        return ((List<Map<String, Object>>) view.get("children")).stream().filter(c -> child.equals(c.get("code")))
                .findFirst().orElseThrow();
    }

    /**
     * The same figures computed straight from the four databases (the nodes' own tables), summed; plus
     * {@code cases}, the number of distinct cases across all of them.
     */
    private Map<String, Long> direct() throws SQLException {
        Map<String, Long> sum = new TreeMap<>();
        Set<String> cases = new HashSet<>();
        for (Tier tier : Tier.values()) {
            try (Connection c = platform.jdbc(TestPlatform.database(tier)); Statement s = c.createStatement()) {
                String own = " from timeline_entry e where e.entry_unit = e.unit_code and e.at >= now() - interval '29 days'"
                        // not ahead of now: another test may have left entries at a later time on the test clock
                        + " and e.at < now() + interval '1 hour'";
                for (String pair : ACTIONS) {
                    String[] a = pair.split(":");
                    add(sum, a[1], s, "select count(*)" + own + " and e.action = '" + a[0] + "'");
                }
                add(sum, "reworked", s, "select count(*)" + own
                        + " and ((e.action = 'REWORK' and e.to_status = 'REWORK') or e.action = 'VERDICT_NOT_FIXED')");
                add(sum, "autoEscalations", s, "select count(*)" + own + " and e.action = 'ESCALATE' and e.actor = 'system'");
                add(sum, "receivedDispatches", s, "select count(*)" + own + " and ((e.action = 'RECEIVE'"
                        + " and e.note like 'dispatched by %') or (e.action = 'DISPATCH' and e.note like 'to officer %'))");
                add(sum, "supervisions", s, "select count(*) from supervision_notice where sent_at >= now() - interval '29 days'"
                        + " and sent_at < now() + interval '1 hour'");
                add(sum, "leaderSupervisions", s, "select count(*) from supervision_notice where leader"
                        + " and sent_at >= now() - interval '29 days' and sent_at < now() + interval '1 hour'");
                // a decision counts in the record of the unit that made the request it answers (the latest before it)
                try (ResultSet rs = s.executeQuery("""
                        select d.action, count(*) from timeline_entry d
                        cross join lateral (select q.entry_unit from timeline_entry q
                            where q.unit_code = d.unit_code and q.case_id = d.case_id and q.seq < d.seq
                              and q.action = case split_part(d.action, '_', 1) when 'RETURN' then 'RETURN_REQUEST'
                                             when 'EXTENSION' then 'EXTEND_REQUEST' else 'PARK_REQUEST' end
                            order by q.seq desc limit 1) q
                        where d.action in ('RETURN_APPROVED', 'RETURN_OVERRULED', 'EXTENSION_APPROVED',
                                           'EXTENSION_REFUSED', 'PARK_APPROVED', 'PARK_REFUSED')
                          and q.entry_unit = d.unit_code and d.at >= now() - interval '29 days'
                          and d.at < now() + interval '1 hour'
                        group by 1""")) {
                    while (rs.next()) {
                        sum.merge(DECISIONS.get(rs.getString(1)), rs.getLong(2), Long::sum);
                    }
                }
                add(sum, "parkedNow", s, "select count(*) from case_record r where r.parked_until > now()"
                        + " and r.status not in ('ESCALATED', 'CLOSED', 'REJECTED') and r.dispatched_to is null");
                // at the unit of the case's last RESOLVE, within the figures' window as the other counts (a test on the
                // working calendar resolves cases in October)
                add(sum, "resolved", s, """
                        select count(*) from (select distinct on (unit_code, case_id) unit_code, entry_unit, at
                        from timeline_entry where action = 'RESOLVE' order by unit_code, case_id, at desc, seq desc) l
                        where l.entry_unit = l.unit_code and l.at >= now() - interval '29 days'
                          and l.at < now() + interval '1 hour'""");
                // a VERIFY of the record's last verification round in time (or of a record that has no clock)
                add(sum, "verifiedOnTime", s, "select count(*)" + own + " and e.action = 'VERIFY' and exists (select 1"
                        + " from case_record r where r.unit_code = e.unit_code and r.case_id = e.case_id and"
                        + " (r.verify_due_at is null or (e.at >= r.verify_from and e.at <= r.verify_due_at)))");
                add(sum, "proactive", s, "select count(*)" + own + " and e.action = 'REPORT' and exists (select 1 from case_record r"
                        + " where r.unit_code = e.unit_code and r.case_id = e.case_id and r.source = 'GRID_PATROL')");
                try (ResultSet rs = s.executeQuery("select r.category_code, count(*)" + own.replace("from timeline_entry e",
                        "from timeline_entry e join case_record r on r.unit_code = e.unit_code and r.case_id = e.case_id")
                        + " and e.action = 'REPORT' group by 1")) {
                    while (rs.next()) {
                        sum.merge("category." + rs.getString(1), rs.getLong(2), Long::sum);
                    }
                }
                // the unit that holds each case now (docs/stats.md): not waiting on another unit (a case with one of
                // the unit's officers is the unit's), and for a final status, the unit that made it final
                try (ResultSet rs = s.executeQuery("""
                        select r.status, count(*) from case_record r
                        where r.status <> 'ESCALATED'
                          and (r.status in ('CLOSED', 'REJECTED') or r.dispatched_to is null)
                          and (r.status not in ('CLOSED', 'REJECTED') or exists (select 1 from timeline_entry e
                               where e.unit_code = r.unit_code and e.case_id = r.case_id and e.entry_unit = r.unit_code
                                 and e.action in ('CLOSE', 'REJECT', 'MERGE')))
                        group by 1""")) {
                    while (rs.next()) {
                        sum.merge("status." + rs.getString(1), rs.getLong(2), Long::sum);
                    }
                }
                try (ResultSet rs = s.executeQuery("select distinct case_id::text from case_record")) {
                    while (rs.next()) {
                        cases.add(rs.getString(1));
                    }
                }
            }
        }
        sum.put("cases", (long) cases.size());
        return sum;
    }

    private static void add(Map<String, Long> sum, String key, Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            sum.merge(key, rs.getLong(1), Long::sum);
        }
    }
}
