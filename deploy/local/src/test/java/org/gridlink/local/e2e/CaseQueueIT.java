package org.gridlink.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.gridlink.kernel.testing.MutableClock;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A unit's queue narrowed to what one person works on: a department officer's own records, a community's grid cell,
 * combined with a status; a narrowing that names no such thing is a 400 problem that says why.
 */
class CaseQueueIT {

    // 新郑市 / 梨河镇 and its housing-and-construction officer; 经八路街道 and its community 建业路社区
    static final String LIHE = "410184101000";
    static final String HOUSING_OFFICER = "officer.HOUSING_CONSTRUCTION.410184101000";
    static final String JINGBALU = "410105001000";
    static final String COMMUNITY = "410105001001";

    static TestPlatform platform;
    static Api api;

    @BeforeAll
    static void platform() {
        platform = TestPlatform.get();
        api = new Api(platform);
    }

    @Test
    void anOfficerListsTheRecordsGivenToThem() {
        String theirs = (String) api.report(LIHE, Api.aReport("ILLEGAL_CONSTRUCTION", "a shed on the river bank"))
                .get("caseId");
        String another = (String) api.report(LIHE, Api.aReport("ILLEGAL_CONSTRUCTION", "a second shed, not given"))
                .get("caseId");
        act(LIHE, theirs, "handler." + LIHE, Map.of("action", "ACCEPT"));
        act(LIHE, theirs, "handler." + LIHE, Map.of("action", "DISPATCH", "officer", HOUSING_OFFICER,
                "note", "see whether it has a permit"));

        assertThat(ids(LIHE, HOUSING_OFFICER, "assignee=me")).contains(theirs).doesNotContain(another);
        assertThat(ids(LIHE, "supervisor." + LIHE, "assignee=" + HOUSING_OFFICER)).contains(theirs)
                .doesNotContain(another);
        assertThat(ids(LIHE, "supervisor." + LIHE, "assignee=me")).as("the supervisor holds none of them")
                .doesNotContain(theirs, another);
        // combined with a status: waiting for the officer to sign, then signed for
        assertThat(ids(LIHE, HOUSING_OFFICER, "assignee=me&status=DISPATCHED")).contains(theirs);
        act(LIHE, theirs, HOUSING_OFFICER, Map.of("action", "ACCEPT"));
        assertThat(ids(LIHE, HOUSING_OFFICER, "assignee=me&status=DISPATCHED")).doesNotContain(theirs);
        assertThat(ids(LIHE, HOUSING_OFFICER, "assignee=me&status=ACCEPTED")).contains(theirs);

        problem(queue(LIHE, HOUSING_OFFICER, "assignee=two words"), "assignee", "no spaces");
    }

    @Test
    void aCommunitysQueueNarrowsToOneGridCell() {
        String first = report(COMMUNITY, COMMUNITY + "-01", "a broken bench in cell 01");
        String third = report(COMMUNITY, COMMUNITY + "-03", "a broken bench in cell 03");

        assertThat(ids(COMMUNITY, "supervisor." + COMMUNITY, "grid=" + COMMUNITY + "-01")).contains(first)
                .doesNotContain(third);
        assertThat(ids(COMMUNITY, "supervisor." + COMMUNITY, "grid=" + COMMUNITY + "-03&status=REPORTED"))
                .contains(third).doesNotContain(first);
        assertThat(ids(COMMUNITY, "supervisor." + COMMUNITY, "grid=" + COMMUNITY + "-03&status=CLOSED"))
                .doesNotContain(third);

        problem(queue(COMMUNITY, "supervisor." + COMMUNITY, "grid=410105001002-01"), "grid",
                "its cells: " + COMMUNITY + "-01");
        problem(queue(JINGBALU, "supervisor." + JINGBALU, "grid=" + COMMUNITY + "-01"), "grid",
                "grid cells belong to communities");
    }

    @Test
    void aUnitsLedgerIsExportedAsItsQueueIsNarrowed() throws Exception {
        String first = report(COMMUNITY, COMMUNITY + "-01", "ledger: a leaning lamp post, cell 01");
        String third = report(COMMUNITY, COMMUNITY + "-03", "ledger: a leaning lamp post, cell 03");
        String as = "supervisor." + COMMUNITY;

        // CSV by default: a BOM, the Chinese header, one row per record of the cell, newest first
        byte[] csv = export(as, "grid=" + COMMUNITY + "-01", "text/csv");
        String text = new String(csv, StandardCharsets.UTF_8);
        assertThat(text).startsWith("\uFEFF案件编号,单位代码,标题,类别,状态");
        List<String> lines = text.lines().toList();
        assertThat(lines).anySatisfy(l -> assertThat(l)
                .startsWith(first + "," + COMMUNITY + ",\"ledger: a leaning lamp post, cell 01\",")
                .contains(",已上报,").contains("," + COMMUNITY + "-01,"));
        assertThat(text).doesNotContain(third);

        // XLSX: the same rows in a sheet named 台账, the unit code kept as text
        byte[] xlsx = export(as, "grid=" + COMMUNITY + "-03&format=xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(xlsx))) {
            Sheet sheet = wb.getSheet("台账");
            assertThat(sheet.getRow(0).getCell(0).getStringCellValue()).isEqualTo("案件编号");
            List<String> ids = new ArrayList<>();
            for (int i = 1; i <= sheet.getLastRowNum(); i++) {
                Row row = sheet.getRow(i);
                ids.add(row.getCell(0).getStringCellValue());
                assertThat(row.getCell(1).getCellType()).isEqualTo(CellType.STRING);
                assertThat(row.getCell(6).getStringCellValue()).isEqualTo(COMMUNITY + "-03");
            }
            assertThat(ids).contains(third).doesNotContain(first);
        }

        problem(platform.gatewayAs(as).get().uri("/api/units/{u}/cases/export?format=pdf", COMMUNITY).exchange(),
                "format", "not json, csv or xlsx");
        problem(platform.gatewayAs(as).get().uri("/api/units/{u}/cases/export?grid=nowhere", COMMUNITY).exchange(),
                "grid", "is not a grid cell of " + COMMUNITY);
        platform.gatewayAs("citizen.1").get().uri("/api/units/{u}/cases/export", COMMUNITY).exchange()
                .expectStatus().isForbidden();
    }

    @Test
    void aQueueAndItsLedgerNarrowToTheDaysTheCasesWereReportedNewestReportFirst() {
        // four reports around the 15th of September 2026 in Zhengzhou (UTC+8), each rejected at once so that no clock
        // runs on them when the tests' clock follows the system again
        String as = "supervisor." + COMMUNITY;
        String beforeMidnight = reportAt("2026-09-14T15:59:00Z", "days: a cracked kerb, 14th 23:59");
        String afterMidnight = reportAt("2026-09-14T16:01:00Z", "days: a cracked kerb, 15th 00:01");
        String lateOnThe15th = reportAt("2026-09-15T15:00:00Z", "days: a cracked kerb, 15th 23:00");
        String onThe16th = reportAt("2026-09-16T01:00:00Z", "days: a cracked kerb, 16th 09:00");

        assertThat(ids(COMMUNITY, as, "reportedFrom=2026-09-15&reportedTo=2026-09-15"))
                .as("the 15th in the city's zone, newest report first").containsExactly(lateOnThe15th, afterMidnight);
        assertThat(ids(COMMUNITY, as, "reportedFrom=2026-09-15")).containsSubsequence(onThe16th, lateOnThe15th,
                afterMidnight).doesNotContain(beforeMidnight);
        assertThat(ids(COMMUNITY, as, "reportedTo=2026-09-14")).contains(beforeMidnight)
                .doesNotContain(afterMidnight, lateOnThe15th, onThe16th);
        assertThat(ids(COMMUNITY, as, "reportedFrom=2026-09-14&reportedTo=2026-09-16&status=REJECTED"))
                .containsExactly(onThe16th, lateOnThe15th, afterMidnight, beforeMidnight);

        // one at a time: each page's cursor leads to the next report back
        List<String> paged = new ArrayList<>();
        String cursor = "";
        do {
            Map<String, Object> page = platform.gatewayAs(as).get().uri("/api/units/" + COMMUNITY
                            + "/cases?reportedFrom=2026-09-14&reportedTo=2026-09-16&limit=1" + cursor).exchange()
                    .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> items = (List<Map<String, Object>>) page.get("items");
            items.forEach(i -> paged.add((String) i.get("caseId")));
            cursor = page.get("nextCursor") == null ? null : "&cursor=" + page.get("nextCursor");
        } while (cursor != null && paged.size() < 10);
        assertThat(paged).containsExactly(onThe16th, lateOnThe15th, afterMidnight, beforeMidnight);

        // a day's ledger: its rows and no others, the report times in the city's zone
        String text = new String(export(as, "reportedFrom=2026-09-15&reportedTo=2026-09-15", "text/csv"),
                StandardCharsets.UTF_8);
        List<String> rows = text.lines().skip(1).toList();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).startsWith(lateOnThe15th + ",").contains(",2026-09-15 23:00,");
        assertThat(rows.get(1)).startsWith(afterMidnight + ",").contains(",2026-09-15 00:01,");

        problem(queue(COMMUNITY, as, "reportedFrom=15/09/2026"), "reportedFrom", "yyyy-MM-dd");
        // a year of more than four digits, or before year 1, is not the yyyy-MM-dd asked for (it was answered 200)
        problem(queue(COMMUNITY, as, "reportedFrom=%2B300000-01-01"), "reportedFrom", "yyyy-MM-dd");
        problem(queue(COMMUNITY, as, "reportedTo=-0001-01-01"), "reportedTo", "yyyy-MM-dd");
        problem(queue(COMMUNITY, as, "reportedFrom=2026-09-16&reportedTo=2026-09-15"), "reportedTo",
                "is before reportedFrom");
        problem(platform.gatewayAs(as).get()
                .uri("/api/units/{u}/cases/export?reportedTo=2026-02-30", COMMUNITY).exchange(), "reportedTo",
                "yyyy-MM-dd");
    }

    @Test
    void aCitizenListsTheCasesTheyReportedAndTheOneTheirCallWasMergedInto() {
        String citizen = "citizen.1";
        String supervisor = "supervisor." + COMMUNITY;
        Map<String, Object> own = Api.aReport("GARBAGE_PILE", "mine: rubbish behind building 3");
        own.remove("reporter");
        String theirs = (String) platform.gatewayAs(citizen).post().uri("/api/units/{u}/cases", COMMUNITY)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(own).exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("caseId");
        String patrol = report(COMMUNITY, COMMUNITY + "-01", "mine: rubbish by the east gate (a patrol's)");
        // the citizen calls the hotline about the same pile; the handler merges the call into the patrol's case
        Map<String, Object> call = Api.aReport("GARBAGE_PILE", "mine: rubbish by the east gate (a call)");
        call.put("reporter", citizen);
        String called = (String) api.report(COMMUNITY, call).get("caseId");
        act(COMMUNITY, called, supervisor, Map.of("action", "MERGE", "into", patrol, "note", "the same pile"));
        // another citizen's call (citizen.2 lives in the next community; their call was about this one)
        Map<String, Object> others = Api.aReport("GARBAGE_PILE", "mine: someone else's call");
        others.put("reporter", "citizen.2");
        String someoneElses = (String) api.report(COMMUNITY, others).get("caseId");

        assertThat(ids(COMMUNITY, citizen, "reporter=me")).as("the citizen's own reports, newest first, and the case"
                        + " their call was merged into").containsSubsequence(called, patrol, theirs)
                .doesNotContain(someoneElses);
        assertThat(ids(COMMUNITY, citizen, "reporter=me&status=CLOSED")).contains(called).doesNotContain(theirs, patrol);
        assertThat(ids(COMMUNITY, "citizen.2", "reporter=me")).contains(someoneElses)
                .doesNotContain(theirs, called, patrol);
        // a handler answering the citizen's call looks them up by the name their reports give
        assertThat(ids(COMMUNITY, supervisor, "reporter=" + citizen)).contains(theirs, called, patrol)
                .doesNotContain(someoneElses);
        // the citizen's own list as a ledger
        String text = new String(platform.gatewayAs(citizen).get()
                .uri("/api/units/{u}/cases/export?reporter=me", COMMUNITY).exchange().expectStatus().isOk()
                .expectBody(byte[].class).returnResult().getResponseBody(), StandardCharsets.UTF_8);
        assertThat(text).contains(theirs, called, patrol).doesNotContain(someoneElses);

        // a citizen reads no other list: the unit's queue, another citizen's reports
        for (String query : List.of("", "reporter=citizen.2", "status=REPORTED")) {
            platform.gatewayAs(citizen).get().uri("/api/units/" + COMMUNITY + "/cases?" + query).exchange()
                    .expectStatus().isForbidden()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        }
        problem(queue(COMMUNITY, supervisor, "reporter=" + "x".repeat(201)), "reporter", "up to 200 characters");
    }

    @Test
    void aSearchFindsTheRecordsEachOfItsWordsIsFoundIn() {
        String as = "supervisor." + COMMUNITY;
        // a mark of this run's own (the platform is shared): never the beginning of a case id
        String mark = "m" + System.nanoTime();
        String missingCover = searched("检索：井盖缺失 " + mark, "人行道上的井盖不见了", "金水路 88号");
        String streetlight = searched("检索：路灯不亮 " + mark, "Streetlight OUT since Monday", "花园路 5号");
        String looseCover = searched("检索：井盖松动 " + mark, null, "花园路 9号");
        String noise = searched("检索：噪音 100% 超标 " + mark, "工地夜间施工", null);

        assertThat(search(as, mark, "")).as("newest first").containsExactly(noise, looseCover, streetlight,
                missingCover);
        assertThat(search(as, "井盖 " + mark, "")).as("in the title").containsExactly(looseCover, missingCover);
        assertThat(search(as, "花园路 " + mark, "")).as("in the address").containsExactly(looseCover, streetlight);
        assertThat(search(as, "人行道 " + mark, "")).as("in the description").containsExactly(missingCover);
        assertThat(search(as, "streetlight " + mark, "")).as("regardless of case").containsExactly(streetlight);
        assertThat(search(as, "STREETLIGHT　out " + mark, "")).as("each word, an ideographic space between")
                .containsExactly(streetlight);
        assertThat(search(as, "井盖 花园路 " + mark, "")).as("every word, not any").containsExactly(looseCover);
        assertThat(search(as, "井盖 地铁 " + mark, "")).isEmpty();
        // what a pattern would read as a wildcard is a character like any other
        assertThat(search(as, "100% " + mark, "")).containsExactly(noise);
        assertThat(search(as, "1_0 " + mark, "")).isEmpty();
        assertThat(search(as, "% " + mark, "")).containsExactly(noise);
        // the beginning of a case id, as the console shortens one
        assertThat(search(as, missingCover.substring(0, 8), "")).contains(missingCover).doesNotContain(streetlight);
        assertThat(search(as, missingCover.substring(0, 8).toUpperCase(), "")).contains(missingCover);
        // combined with the other narrowings, and in pages
        act(COMMUNITY, streetlight, as, Map.of("action", "REJECT", "note", "the city's lamps, not ours"));
        assertThat(search(as, mark, "&status=REJECTED")).containsExactly(streetlight);
        assertThat(search(as, mark, "&status=REPORTED")).containsExactly(noise, looseCover, missingCover);
        Map<String, Object> first = platform.gatewayAs(as).get().uri("/api/units/{u}/cases?limit=2&q={q}", COMMUNITY,
                mark).exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(pageIds(first)).containsExactly(noise, looseCover);
        Map<String, Object> second = platform.gatewayAs(as).get().uri("/api/units/{u}/cases?limit=2&q={q}&cursor={c}",
                COMMUNITY, mark, first.get("nextCursor")).exchange().expectStatus().isOk().expectBody(Map.class)
                .returnResult().getResponseBody();
        assertThat(pageIds(second)).containsExactly(streetlight, missingCover);
        // the ledger of a search
        String text = new String(platform.gatewayAs(as).get().uri("/api/units/{u}/cases/export?q={q}", COMMUNITY,
                        "井盖 " + mark).exchange().expectStatus().isOk().expectBody(byte[].class).returnResult()
                .getResponseBody(), StandardCharsets.UTF_8);
        assertThat(text.lines().skip(1).map(l -> l.substring(0, l.indexOf(','))).toList())
                .containsExactly(looseCover, missingCover);
        // the township above searches its own records, which hold none of them (nothing was escalated)
        assertThat(platform.gatewayAs("supervisor." + JINGBALU).get().uri("/api/units/{u}/cases?q={q}", JINGBALU,
                mark).exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody()
                .get("items")).asList().isEmpty();

        problem(platform.gatewayAs(as).get().uri("/api/units/{u}/cases?q={q}", COMMUNITY, "字".repeat(101))
                .exchange(), "q", "at most 100 characters, not 101");
        problem(platform.gatewayAs(as).get().uri("/api/units/{u}/cases?q={q}", COMMUNITY, "一 二 三 四 五 六")
                .exchange(), "q", "at most 5 words, not 6");
        problem(platform.gatewayAs(as).get().uri("/api/units/{u}/cases/export?q={q}", COMMUNITY, "a\u0007b")
                .exchange(), "q", "without control characters");
    }

    /** A report at the community with these texts (none: left out), its id. */
    private static String searched(String title, String description, String address) {
        Map<String, Object> body = Api.aReport("GARBAGE_PILE", title);
        body.remove("description");
        if (description != null) {
            body.put("description", description);
        }
        if (address == null) {
            body.remove("location");
        } else {
            body.put("location", Map.of("address", address));
        }
        return (String) api.report(COMMUNITY, body).get("caseId");
    }

    private static List<String> search(String as, String q, String more) {
        Map<String, Object> page = platform.gatewayAs(as).get().uri("/api/units/{u}/cases?limit=200&q={q}" + more,
                COMMUNITY, q).exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        return pageIds(page);
    }

    @SuppressWarnings("unchecked")
    private static List<String> pageIds(Map<String, Object> page) {
        return ((List<Map<String, Object>>) page.get("items")).stream().map(i -> (String) i.get("caseId")).toList();
    }

    /** A report at the community at that instant, rejected at once. */
    private static String reportAt(String instant, String title) {
        MutableClock clock = platform.clock();
        try {
            clock.set(Instant.parse(instant));
            String id = report(COMMUNITY, COMMUNITY + "-02", title);
            act(COMMUNITY, id, "supervisor." + COMMUNITY, Map.of("action", "REJECT", "note", "a test's report"));
            return id;
        } finally {
            clock.release();
        }
    }

    private static byte[] export(String as, String query, String type) {
        return platform.gatewayAs(as).get().uri("/api/units/" + COMMUNITY + "/cases/export?" + query).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.parseMediaType(type))
                .expectHeader().valueMatches("Content-Disposition", "attachment; filename=\"cases-" + COMMUNITY
                        + "\\.(csv|xlsx)\"")
                .expectBody(byte[].class).returnResult().getResponseBody();
    }

    private static String report(String unit, String grid, String title) {
        Map<String, Object> body = Api.aReport("GARBAGE_PILE", title);
        body.put("gridCode", grid);
        return (String) api.report(unit, body).get("caseId");
    }

    private static WebTestClient.ResponseSpec queue(String unit, String as, String query) {
        return platform.gatewayAs(as).get().uri("/api/units/" + unit + "/cases?limit=200&" + query).exchange();
    }

    @SuppressWarnings("unchecked")
    private static List<String> ids(String unit, String as, String query) {
        Map<String, Object> page = queue(unit, as, query).expectStatus().isOk().expectBody(Map.class).returnResult()
                .getResponseBody();
        return ((List<Map<String, Object>>) page.get("items")).stream().map(i -> (String) i.get("caseId")).toList();
    }

    private static void act(String unit, String id, String as, Map<String, Object> body) {
        platform.gatewayAs(as).post().uri("/api/units/{u}/cases/{id}/actions", unit, id)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange().expectStatus().isOk();
    }

    @SuppressWarnings("unchecked")
    private static void problem(WebTestClient.ResponseSpec response, String field, String text) {
        Map<String, Object> problem = response.expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(problem.get("field")).as("problem %s", problem).isEqualTo(field);
        assertThat((String) problem.get("detail")).contains(text);
    }
}
