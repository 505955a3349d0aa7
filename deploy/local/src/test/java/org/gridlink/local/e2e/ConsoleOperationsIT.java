package org.gridlink.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.gridlink.local.e2e.CrossTierFlowIT.JINGBALU;
import static org.gridlink.local.e2e.CrossTierFlowIT.JINGBALU_COMMUNITY;
import static org.gridlink.local.e2e.CrossTierFlowIT.JINSHUI;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.gridlink.contracts.Tier;
import org.gridlink.kernel.cases.application.OverdueScan;
import org.gridlink.kernel.notices.NoticeHandling;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.http.MediaType;

/**
 * What operators do in the console beyond reporting, in a real headless Chromium through the real login: a
 * township handler dispatches to a department officer through the form and adds a photo, the officer asks to
 * return it with a reason from the list, the handler approves; a district supervisor supervises an overdue record
 * from the overdue list; a community handler merges a duplicate into the case the node offers and records the
 * reporter's verdict on it once closed; the roster, the figures of a subtree and the assessment of its children.
 */
class ConsoleOperationsIT {

    static final String OFFICER = "officer.URBAN_MANAGEMENT.410105001000";

    static TestPlatform platform;
    static ConsoleBrowser console;
    static Api api;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(ConsoleBrowser.available(),
                "the console browser test needs Debian's chromium and chromium-driver (.ci/run installs them)");
        platform = TestPlatform.get();
        platform.clock().release();
        api = new Api(platform);
        console = new ConsoleBrowser(platform);
    }

    @AfterAll
    static void stop() {
        if (console != null) {
            console.close();
        }
    }

    @Test
    void aHandlerDispatchesToAnOfficerWhoAsksToReturnItAndTheHandlerApproves() throws Exception {
        String id = (String) api.report(JINGBALU, Api.aReport("ROAD_OCCUPATION", "console: stalls on the pavement"))
                .get("caseId");
        String casePage = "/units/" + JINGBALU + "/cases/" + id;

        console.openAs("handler." + JINGBALU, casePage);
        console.awaitStatus("REPORTED");
        console.click("action-ACCEPT");
        console.awaitStatus("ACCEPTED");
        assertThat(console.awaitText("case-proposed-dispatch", OFFICER)).contains("URBAN_MANAGEMENT");

        // DISPATCH to an officer: the proposed officers come first, the roster's after them
        console.choose("action-officer", OFFICER);
        assertThat(console.find("action-officer").findElements(By.cssSelector("option")))
                .extracting(o -> o.getAttribute("value")).contains("officer.URBAN_MANAGEMENT.410105000000");
        // each with the work waiting on them now (在办), to choose whom to give it to
        console.waitSaying("each officer's workload in the choice").until(d -> d.findElements(By.cssSelector(
                "[data-testid=action-officer] option[value='officer.URBAN_MANAGEMENT.410105000000'][data-workload]"))
                .size() == 1);
        assertThat(console.find("action-officer").findElement(By.cssSelector("option[value='" + OFFICER
                + "'][data-workload]")).getText()).contains("在办");
        // a unit and an officer at once is refused in the page, before anything is sent
        console.choose("action-target", JINGBALU_COMMUNITY);
        console.click("action-DISPATCH");
        assertThat(console.awaitText("error", "One target only")).contains("not both");
        new Select(console.find("action-target")).selectByValue("");
        console.type("action-note", "clear the pavement before the market opens");
        console.click("action-DISPATCH");
        console.awaitStatus("DISPATCHED");
        assertThat(console.awaitText("case-assignee", OFFICER)).isEqualTo(OFFICER);
        // until the officer signs for it, the handler may take it back (撤回)
        assertThat(console.find("action-RECALL").getText()).contains("撤回").contains("Recall");

        // evidence: a real PNG is kept and listed; a text file named .png is refused with the node's 415 detail
        Path folder = Files.createTempDirectory("gridlink-evidence");
        Path photo = folder.resolve("pavement-before.png");
        ImageIO.write(new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB), "png", photo.toFile());
        console.find("evidence-file").sendKeys(photo.toString());
        new Select(console.find("evidence-stage")).selectByValue("BEFORE");
        console.click("evidence-submit");
        assertThat(console.awaitText("evidence-list", "pavement-before.png")).contains("image/png").contains("处置前");
        assertThat(console.awaitText("evidence-uploaded", "pavement-before.png")).contains("Uploaded");
        String evidenceHref = console.find("evidence-download").getAttribute("href");
        assertThat(evidenceHref).contains("/api/units/" + JINGBALU + "/cases/" + id + "/evidence/");
        // an id derived from an Idempotency-Key (a version-3 UUID): the console sent one with the upload
        assertThat(java.util.UUID.fromString(evidenceHref.substring(evidenceHref.lastIndexOf('/') + 1)).version())
                .isEqualTo(3);
        Path fake = folder.resolve("not-a-photo.png");
        Files.writeString(fake, "just some text pretending to be a photo", StandardCharsets.UTF_8);
        console.find("evidence-file").sendKeys(fake.toString());
        console.click("evidence-submit");
        assertThat(console.awaitText("error", "415")).contains("POST /api/units/" + JINGBALU);
        assertThat(console.find("error-detail").getText()).isNotBlank();
        console.screenshot("case-evidence", "evidence-panel");

        // the officer signs in, sees the case dispatched to them and asks to send it back, with a reason from the list
        console.openAs(OFFICER, casePage);
        console.awaitStatus("DISPATCHED");
        console.choose("action-reason", "NOT_IN_REMIT");
        console.click("action-RETURN_REQUEST");
        assertThat(console.awaitText("error", "A note is required")).contains("RETURN_REQUEST");
        console.type("action-note", "the stalls are on the bus company's forecourt");
        console.click("action-RETURN_REQUEST");
        String pending = console.awaitText("case-pending", "不属本单位职责");
        assertThat(pending).contains("Return request").contains(OFFICER).contains("NOT_IN_REMIT")
                .contains("the stalls are on the bus company's forecourt");

        // the handler sees the request waiting and approves it: the case is back with the township, one bounce counted
        console.openAs("handler." + JINGBALU, casePage);
        assertThat(console.awaitText("case-pending", OFFICER)).contains("Return request");
        console.screenshot("case-pending", "case-pending");
        console.click("action-APPROVE");
        console.awaitStatus("ACCEPTED");
        assertThat(console.driver.findElements(By.cssSelector("[data-testid=case-pending]"))).isEmpty();
        assertThat(console.awaitText("timeline", "Return approved")).contains(OFFICER);
        assertThat(console.awaitText("case-counts", "bounces 1")).contains("supervisions 0");
        assertThat(console.find("case-assignee").getText()).isEqualTo("—");
    }

    @Test
    void anOfficerNarrowsTheQueueToTheCasesGivenToThemAndAGridWorkerToACell() throws Exception {
        String given = givenToTheOfficer("console: a crate stack on the pavement");
        String notGiven = (String) api.report(JINGBALU, Api.aReport("ROAD_OCCUPATION", "console: nobody's yet"))
                .get("caseId");

        console.openAs(OFFICER, "/units/" + JINGBALU);
        awaitRows("the township's queue", rows -> rows.contains(given) && rows.contains(notGiven));
        // a search (检索): the words typed, then Enter; emptied, the whole queue again
        console.find("case-search").sendKeys("CRATE\u3000pavement" + Keys.ENTER);
        awaitRows("only the case the words are found in", rows -> rows.contains(given) && !rows.contains(notGiven));
        console.setValue(console.find("case-search"), "");
        awaitRows("the township's queue again", rows -> rows.contains(given) && rows.contains(notGiven));
        console.click("mine-filter");
        awaitRows("only the case given to the officer", rows -> rows.contains(given) && !rows.contains(notGiven));
        // the row shows the clock that runs: the officer's acceptance (签收)
        assertThat(console.find("case-list").findElement(By.cssSelector("[data-case-id='" + given
                + "'] [data-testid=case-row-deadline]")).getText()).contains("签收时限").contains("Accept by");
        console.screenshot("queue-filters", "case-list");
        // the ledger of what the queue shows, as a file the browser is handed (the blob it makes a download of)
        JavascriptExecutor js = (JavascriptExecutor) console.driver;
        js.executeScript("window.downloads = []; var make = URL.createObjectURL;"
                + " URL.createObjectURL = function (blob) { window.downloads.push(blob.type + ' ' + blob.size);"
                + " return make(blob); };");
        console.click("export-cases-csv");
        console.waitSaying("the queue's ledger handed to the browser")
                .until(d -> !((List<?>) js.executeScript("return window.downloads")).isEmpty());
        assertThat((String) js.executeScript("return window.downloads[0]")).startsWith("text/csv");
        assertThat(console.errorShown()).isNull();
        new Select(console.find("status-filter")).selectByValue("CLOSED");
        awaitRows("none of the officer's cases is closed", rows -> !rows.contains(given));

        // a grid worker of 经八路社区 picks their own cell (marked as theirs); a supervisor has no officer's tick box
        Map<String, Object> report = Api.aReport("GARBAGE_PILE", "console: in cell 01");
        report.put("gridCode", JINGBALU_COMMUNITY + "-01");
        String inCell = (String) api.report(JINGBALU_COMMUNITY, report).get("caseId");
        report = Api.aReport("GARBAGE_PILE", "console: in cell 03");
        report.put("gridCode", JINGBALU_COMMUNITY + "-03");
        String elsewhere = (String) api.report(JINGBALU_COMMUNITY, report).get("caseId");
        console.openAs("gridworker." + JINGBALU_COMMUNITY + "-01", "/units/" + JINGBALU_COMMUNITY);
        awaitRows("the community's queue", rows -> rows.contains(inCell) && rows.contains(elsewhere));
        assertThat(console.find("grid-filter").findElement(By.cssSelector("option[value='" + JINGBALU_COMMUNITY
                + "-01']")).getText()).contains("我的 mine");
        console.choose("grid-filter", JINGBALU_COMMUNITY + "-01");
        awaitRows("only the cell's cases", rows -> rows.contains(inCell) && !rows.contains(elsewhere));
        assertThat(console.driver.findElements(By.cssSelector("[data-testid=mine-filter]"))).isEmpty();
        // the days reported: from tomorrow (in the city's zone) nothing yet; from today the cell's new case, its
        // report time shown
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai"));
        console.setValue(console.find("reported-from"), today.plusDays(1).toString());
        awaitRows("nothing reported from tomorrow on", List::isEmpty);
        console.setValue(console.find("reported-from"), today.toString());
        console.setValue(console.find("reported-to"), today.toString());
        awaitRows("the cell's case reported today", rows -> rows.contains(inCell) && !rows.contains(elsewhere));
        assertThat(console.find("case-list").findElement(By.cssSelector("[data-case-id='" + inCell
                + "'] [data-testid=case-row-reported]")).getText()).isNotBlank();
        assertThat(console.errorShown()).isNull();
    }

    @Test
    void anOfficersToDoCountsWhatWaitsOnThemAndListsItInTheQueue() throws Exception {
        String given = givenToTheOfficer("console: to sign for");

        // the township's to-do above its queue; the officer's own (我承办的) waits on their signature at least once
        console.openAs(OFFICER, "/units/" + JINGBALU);
        console.waitSaying("the to-do strip").until(d -> !d.findElements(By.cssSelector("[data-testid=todo-SIGN]"))
                .isEmpty());
        console.click("mine-filter");
        console.waitSaying("the officer's own to-do").until(d -> d.findElement(By.cssSelector("[data-testid=todo]"))
                .getAttribute("data-query").contains("assignee=me") && count(d, "todo-SIGN") >= 1);
        int toSign = count(console.driver, "todo-SIGN");
        console.click("todo-SIGN");
        awaitRows("the cases waiting on the officer's signature", rows -> rows.contains(given) && rows.size() == toSign);
        assertThat(console.find("case-list").findElements(By.cssSelector("[data-testid=case-row-status]")))
                .allSatisfy(cell -> assertThat(cell.getText()).contains("已派遣"));
        assertThat(new Select(console.find("task-filter")).getFirstSelectedOption().getAttribute("value"))
                .isEqualTo("SIGN");
        assertThat(console.find("todo-SIGN").getAttribute("class")).contains("current");
        console.screenshot("todo", "case-queue");

        // signed for (in another window, say): at the next refresh it waits on the officer's handling instead
        platform.gatewayAs(OFFICER).post().uri("/api/units/{u}/cases/{id}/actions", JINGBALU, given)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("action", "ACCEPT"))
                .exchange().expectStatus().isOk();
        awaitRows("signed for: no longer waiting on the signature", rows -> !rows.contains(given));
        console.waitSaying("one fewer to sign for").until(d -> count(d, "todo-SIGN") == toSign - 1);
        // one more to handle than when the officer looked: marked new (新 +1) until they look at it; the tab's title
        // says how much waits
        console.waitSaying("one more to handle, marked new").until(d -> {
            WebElement handle = d.findElement(By.cssSelector("[data-testid=todo-HANDLE]"));
            return handle.getAttribute("class").contains("new") && handle.getText().contains("新 +1");
        });
        assertThat(console.driver.getTitle()).matches("\\(\\d+\\) .*gridlink");
        console.click("todo-HANDLE");
        awaitRows("the officer's cases to handle", rows -> rows.contains(given));
        console.waitSaying("looked at: no longer new").until(d -> !d.findElement(
                By.cssSelector("[data-testid=todo-HANDLE]")).getAttribute("class").contains("new"));
        assertThat(console.errorShown()).isNull();

        // the township's supervisor sees beside each community what waits there; a grid worker on the township's
        // page only their own community's (the others' are not theirs to read), and no error for the others
        api.reportCase(JINGBALU_COMMUNITY, "console: waiting at the community");
        console.openAs("supervisor." + JINGBALU, "/units/" + JINGBALU);
        console.waitSaying("each community's to-do").until(d -> d.findElements(
                By.cssSelector("[data-testid=child-todo][data-waiting]")).size() == 3);
        assertThat(Integer.parseInt(console.driver.findElement(By.cssSelector("[data-code='" + JINGBALU_COMMUNITY
                + "'] [data-testid=child-todo]")).getAttribute("data-waiting"))).isPositive();
        console.screenshot("children-todo", "children");
        console.openAs("gridworker." + JINGBALU_COMMUNITY + "-01", "/units/" + JINGBALU);
        console.waitSaying("the grid worker's own community's to-do, and no other").until(d ->
                d.findElements(By.cssSelector("[data-testid=child-todo][data-waiting]")).size() == 1
                        && d.findElements(By.cssSelector("[data-testid=child-todo]")).size() == 1);
        assertThat(console.driver.findElements(By.cssSelector("[data-code='" + JINGBALU_COMMUNITY
                + "'] [data-testid=child-todo][data-waiting]"))).hasSize(1);
        // the township's own records are not the grid worker's to read: the page says so instead of a queue that
        // would be refused, and offers no tabs
        assertThat(console.find("outside-jurisdiction").getText()).contains("outside your jurisdiction");
        assertThat(console.driver.findElements(By.cssSelector("[data-testid=case-queue]"))).isEmpty();
        assertThat(console.driver.findElements(By.cssSelector("[data-testid^=tab-]"))).isEmpty();
        console.screenshot("outside-jurisdiction", "outside-jurisdiction");
        assertThat(console.errorShown()).isNull();
    }

    /** A case reported at the township, accepted and dispatched to {@link #OFFICER} by its handler; its id. */
    private static String givenToTheOfficer(String title) {
        return givenTo(OFFICER, title);
    }

    /** A case reported at the township, accepted and dispatched to {@code officer} by its handler; its id. */
    private static String givenTo(String officer, String title) {
        String id = (String) api.report(JINGBALU, Api.aReport("ROAD_OCCUPATION", title)).get("caseId");
        api.act(JINGBALU, id, "ACCEPT", null, null);
        platform.gatewayAs("handler." + JINGBALU).post().uri("/api/units/{u}/cases/{id}/actions", JINGBALU, id)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("action", "DISPATCH", "officer", officer))
                .exchange().expectStatus().isOk();
        return id;
    }

    /** The count a to-do button shows (-1: none shown), read again if the strip was drawn anew meanwhile. */
    private static int count(org.openqa.selenium.WebDriver driver, String testId) {
        for (int attempt = 1; ; attempt++) {
            try {
                List<WebElement> found = driver.findElements(By.cssSelector("[data-testid=" + testId + "]"));
                return found.isEmpty() ? -1 : Integer.parseInt(found.get(0).getAttribute("data-count"));
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    @Test
    void theStaffSeeTheListedCasesAmongTheGridCellsOnTheMap() throws Exception {
        String located = reportAs("handler." + JINGBALU_COMMUNITY, "console: on the map", 34.7710);
        String cell = (String) api.find(JINGBALU_COMMUNITY, located).get("gridCode");
        console.openAs("supervisor." + JINGBALU_COMMUNITY, "/units/" + JINGBALU_COMMUNITY);
        awaitRows("the located case listed", rows -> rows.contains(located));
        console.waitSaying("the community's three grid cells drawn").until(d -> d.findElements(
                By.cssSelector("[data-testid=grid-map-cell]")).size() == 3);
        WebElement dot = console.waitSaying("the case on the map").until(d -> d.findElement(By.cssSelector(
                "[data-testid=grid-map-case][data-case-id='" + located + "'] circle")));
        // the dot lies within the outline of the cell the case was placed in, and in no other
        org.openqa.selenium.Rectangle at = dot.getRect();
        double x = at.getX() + at.getWidth() / 2.0;
        double y = at.getY() + at.getHeight() / 2.0;
        List<String> holding = console.driver.findElements(By.cssSelector("[data-testid=grid-map-cell]")).stream()
                .filter(c -> {
                    org.openqa.selenium.Rectangle r = c.getRect();
                    return x >= r.getX() && x <= r.getX() + r.getWidth() && y >= r.getY() && y <= r.getY() + r.getHeight();
                })
                .map(c -> c.getAttribute("data-code")).toList();
        assertThat(holding).containsExactly(cell);
        console.screenshot("grid-map", "grid-map-panel");

        // a hotline operator clicks where the caller says, in cell 02 away from its middle: the report form takes the
        // point, and the node places the report in that cell
        WebElement second = console.driver.findElement(By.cssSelector("[data-testid=grid-map-cell][data-code='"
                + JINGBALU_COMMUNITY + "-02']"));
        new org.openqa.selenium.interactions.Actions(console.driver).moveToElement(second, -40, 35).click().perform();
        console.waitSaying("the point picked").until(d -> !console.find("report-lat").getAttribute("value").isEmpty());
        double lat = Double.parseDouble(console.find("report-lat").getAttribute("value"));
        double lon = Double.parseDouble(console.find("report-lon").getAttribute("value"));
        assertThat(lat).as("latitude in cell 02").isBetween(34.770, 34.774);
        assertThat(lon).as("longitude in cell 02").isBetween(113.665, 113.670);
        assertThat(console.driver.findElements(By.cssSelector("[data-testid=grid-map-picked] path"))).hasSize(1);
        WebElement form = console.find("report-form");
        new Select(form.findElement(By.name("categoryCode"))).selectByValue("GARBAGE_PILE");
        form.findElement(By.name("title")).sendKeys("console: placed on the map");
        form.findElement(By.cssSelector("[data-testid=report-submit]")).click();
        console.awaitText("case-title", "console: placed on the map");
        String url = console.driver.getCurrentUrl();
        String placed = url.substring(url.lastIndexOf('/') + 1);
        assertThat(api.find(JINGBALU_COMMUNITY, placed).get("gridCode")).isEqualTo(JINGBALU_COMMUNITY + "-02");

        console.open("/units/" + JINGBALU_COMMUNITY);
        console.waitSaying("the case on the map again").until(d -> d.findElement(By.cssSelector(
                "[data-testid=grid-map-case][data-case-id='" + located + "'] circle")));
        console.driver.findElement(By.cssSelector("[data-testid=grid-map-case][data-case-id='" + located + "']")).click();
        console.awaitStatus("REPORTED");
        assertThat(console.driver.getCurrentUrl()).endsWith("/cases/" + located);
        // the case page shows where it is among the cells, and says which cell holds it
        console.waitSaying("the case's own map").until(d -> d.findElements(By.cssSelector(
                "[data-testid=case-map-panel] [data-testid=grid-map-case][data-case-id='" + located + "']")).size() == 1
                && d.findElements(By.cssSelector("[data-testid=case-map-panel] [data-testid=grid-map-cell]")).size() == 3);
        assertThat(console.find("case-map-panel").getText()).contains(cell);
        assertThat(console.errorShown()).isNull();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aGridWorkerPatrolsTheirCellInTheConsoleAndTheSupervisorSeesItCovered() throws Exception {
        String cell = JINGBALU_COMMUNITY + "-02";
        String worker = "gridworker." + cell;
        console.openAs(worker, "/units/" + JINGBALU_COMMUNITY + "/patrols");
        console.waitSaying("the patrol's start").until(d -> !d.findElements(
                By.cssSelector("[data-testid=patrol-start]")).isEmpty());
        console.choose("patrol-cell", cell);
        console.click("patrol-start");
        String id = console.waitSaying("the patrol under way").until(d -> d.findElement(
                By.cssSelector("[data-testid=patrol-under-way]"))).getAttribute("data-id");

        // the check-in's point is picked on the map, in the middle of the cell
        console.waitSaying("the community's three grid cells drawn").until(d -> d.findElements(
                By.cssSelector("[data-testid=grid-map-cell]")).size() == 3);
        WebElement outline = console.driver.findElement(By.cssSelector("[data-testid=grid-map-cell][data-code='" + cell
                + "']"));
        new org.openqa.selenium.interactions.Actions(console.driver).moveToElement(outline).click().perform();
        console.waitSaying("the point picked").until(d -> console.find("patrol-picked").getText().startsWith("34."));
        console.click("patrol-check-in");
        console.waitSaying("the check-in on the map").until(d -> d.findElements(By.cssSelector(
                "[data-testid=grid-map-track][data-id='" + id + "'] [data-testid=grid-map-check-in]")).size() == 1);
        Map<String, Object> patrol = platform.gatewayAs(worker).get().uri("/api/units/{u}/patrols/{id}",
                JINGBALU_COMMUNITY, id).exchange().expectStatus().isOk().expectBody(Map.class).returnResult()
                .getResponseBody();
        assertThat(((List<Map<String, Object>>) patrol.get("points"))).singleElement()
                .satisfies(p -> assertThat(p).containsEntry("gridCode", cell));
        console.waitSaying("the cell counted as patrolled").until(d -> {
            WebElement row = d.findElement(By.cssSelector("[data-testid=coverage-cell][data-code='" + cell + "']"));
            return Integer.parseInt(row.getAttribute("data-patrols")) >= 1 && outline.getAttribute("class")
                    .contains("patrolled");
        });
        console.screenshot("patrol-under-way", "patrols-panel");
        // the community's cases page says so in the grid worker's to-do (巡查中), and links to the 巡查 tab
        console.open("/units/" + JINGBALU_COMMUNITY);
        console.waitSaying("the walk under way in the to-do").until(d -> count(d, "todo-patrolUnderWay") == 1);
        assertThat(count(console.driver, "todo-unpatrolledCells")).isZero();
        console.click("todo-patrolUnderWay");
        console.waitSaying("the patrols tab").until(d -> !d.findElements(
                By.cssSelector("[data-testid=patrol-end]")).isEmpty());

        console.click("patrol-end");
        console.waitSaying("the start offered again").until(d -> !d.findElements(
                By.cssSelector("[data-testid=patrol-start]")).isEmpty());
        assertThat(platform.gatewayAs(worker).get().uri("/api/units/{u}/patrols/{id}", JINGBALU_COMMUNITY, id)
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody())
                .containsEntry("status", "ENDED").containsEntry("endedBy", worker);
        assertThat(console.errorShown()).isNull();

        // the community's supervisor sees the day's patrol and its walk, and starts none
        console.openAs("supervisor." + JINGBALU_COMMUNITY, "/units/" + JINGBALU_COMMUNITY + "/patrols");
        console.waitSaying("the patrol listed, ended").until(d -> !d.findElements(By.cssSelector(
                "[data-testid=patrol-row][data-id='" + id + "'][data-status=ENDED]")).isEmpty());
        console.driver.findElement(By.cssSelector("[data-testid=patrol-row][data-id='" + id + "']")).click();
        console.waitSaying("its walk chosen on the map").until(d -> !d.findElements(By.cssSelector(
                "[data-testid=grid-map-track].chosen[data-id='" + id + "']")).isEmpty());
        assertThat(console.find("my-patrol").isDisplayed()).isFalse();
        // the day's ledger (巡查台账), as a file the browser is handed
        JavascriptExecutor js = (JavascriptExecutor) console.driver;
        js.executeScript("window.downloads = []; var make = URL.createObjectURL;"
                + " URL.createObjectURL = function (blob) { window.downloads.push(blob.type + ' ' + blob.size);"
                + " return make(blob); };");
        console.click("export-patrols-csv");
        console.waitSaying("the patrols' ledger handed to the browser")
                .until(d -> !((List<?>) js.executeScript("return window.downloads")).isEmpty());
        assertThat((String) js.executeScript("return window.downloads[0]")).startsWith("text/csv");
        assertThat(console.errorShown()).isNull();

        // the township's figures show the community's patrol coverage, reported up with its other figures
        console.openAs("supervisor." + JINGBALU, "/units/" + JINGBALU + "/stats");
        console.waitSaying("the community's patrol coverage in the township's figures").until(d -> {
            List<WebElement> coverage = d.findElements(By.cssSelector("[data-testid=stats-child][data-code='"
                    + JINGBALU_COMMUNITY + "'] [data-testid=child-patrol-coverage]"));
            String shown = coverage.isEmpty() ? "" : coverage.get(0).getText();
            if (shown.endsWith("%") && Double.parseDouble(shown.substring(0, shown.length() - 1)) > 0) {
                return true;
            }
            d.findElement(By.cssSelector("[data-testid=stats-load]")).click();
            return false;
        });
        assertThat(console.errorShown()).isNull();
    }

    /** Waits until the case ids the queue lists satisfy the condition. */
    private static void awaitRows(String expectation, java.util.function.Predicate<List<String>> condition) {
        console.waitSaying(expectation).until(d -> condition.test(d.findElements(
                        By.cssSelector("[data-testid=case-row]")).stream().map(r -> r.getAttribute("data-case-id"))
                .toList()));
    }

    @Test
    void aDistrictSupervisorSupervisesAnOverdueRecordFromTheOverdueList() throws Exception {
        String id = api.reportCase(JINGBALU_COMMUNITY, "console: overdue, nobody signed for it");
        // the community's scan as of a week from now: its acceptance clock has run out, every unit above is told
        OverdueScan scan = platform.node(Tier.COMMUNITY).getBean(OverdueScan.class);
        assertThat(scan.scan(Instant.now().plus(Duration.ofDays(7))).block()).isGreaterThanOrEqualTo(1);

        // a handler of the township reads the list but has no supervise form
        console.openAs("handler." + JINGBALU, "/units/" + JINGBALU + "/overdue");
        awaitOverdueRow(id);
        assertThat(console.driver.findElements(By.cssSelector("[data-testid=supervise-form]"))).isEmpty();

        console.openAs("supervisor." + JINSHUI, "/units/" + JINSHUI + "/overdue");
        WebElement row = awaitOverdueRow(id);
        assertThat(row.getText()).contains("console: overdue, nobody signed for it").contains(JINGBALU_COMMUNITY)
                .contains("Accept by");
        String dueAt = LocalDateTime.now().plusDays(2).withSecond(0).withNano(0).toString();
        console.setValue(row.findElement(By.cssSelector("[data-testid=supervise-due]")), dueAt.substring(0, 16));
        row.findElement(By.cssSelector("[data-testid=supervise-note]")).sendKeys("sign for it today");
        console.screenshot("overdue", "overdue-panel");
        row.findElement(By.cssSelector("[data-testid=supervise-submit]")).click();
        assertThat(console.awaitText("supervision-sent", "Supervision notice sent")).contains(JINGBALU_COMMUNITY);
        assertThat(console.awaitText("supervision-list", "sign for it today"))
                .contains(id).contains("supervisor." + JINSHUI).contains(JINGBALU_COMMUNITY);
        console.screenshot("supervision", "supervision-panel");
        // sent with an Idempotency-Key: the notice's id is the name-based UUID of the unit, the person and the key
        WebElement notice = console.driver.findElement(By.cssSelector("[data-testid=supervision-row][data-case-id='"
                + id + "']"));
        assertThat(java.util.UUID.fromString(notice.getAttribute("data-notice-id")).version()).isEqualTo(3);

        // the notice reaches the community's record: counted, with its timeline entry
        console.driver.findElement(By.cssSelector("[data-testid=supervision-row][data-case-id='" + id + "'] a")).click();
        assertThat(console.awaitText("case-counts", "supervisions 1")).contains("bounces 0");
        assertThat(console.awaitText("timeline", "Supervise")).contains("supervisor." + JINSHUI);

        // the community's staff find it among their supervised work (被督办) in their to-do, and list it
        console.openAs("handler." + JINGBALU_COMMUNITY, "/units/" + JINGBALU_COMMUNITY);
        console.waitSaying("the community's supervised work").until(d -> count(d, "todo-SUPERVISED") >= 1);
        console.click("todo-SUPERVISED");
        awaitRows("the supervised records waiting at the community", rows -> rows.contains(id));
        assertThat(console.find("supervised-filter").isSelected()).isTrue();
        console.click("todo-ACCEPT");
        awaitRows("the supervised ones still to accept", rows -> rows.contains(id));
        assertThat(console.find("todo-SUPERVISED").getAttribute("class")).contains("current");
        assertThat(console.errorShown()).isNull();
    }

    @Test
    void aSupervisorReassignsAnOfficersCaseAndHandsTheRestOfTheirWorkOverInTheRoster() throws Exception {
        String away = "officer.MARKET_SUPERVISION." + JINGBALU;
        String other = "officer.URBAN_MANAGEMENT.410105000000";
        String supervisor = "supervisor." + JINGBALU;
        List<String> given = new java.util.ArrayList<>();
        for (String title : List.of("console: a stall on the pavement", "console: a kiosk on the pavement")) {
            String id = givenTo(away, title);
            platform.gatewayAs(away).post().uri("/api/units/{u}/cases/{id}/actions", JINGBALU, id)
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("action", "ACCEPT")).exchange()
                    .expectStatus().isOk();
            given.add(id);
        }

        // 改派 on the case page: the officers serving the unit but the one holding it, and a note
        console.openAs(supervisor, "/units/" + JINGBALU + "/cases/" + given.get(0));
        console.awaitStatus("ACCEPTED");
        console.choose("action-reassign-officer", other);
        assertThat(console.find("action-reassign-officer").findElements(By.cssSelector("option[value='" + away + "']")))
                .isEmpty();
        console.type("action-note", "on leave this week");
        console.click("action-REASSIGN");
        console.awaitStatus("DISPATCHED");
        assertThat(console.awaitText("case-assignee", other)).isEqualTo(other);
        assertThat(console.awaitText("timeline", "Reassign")).contains("from officer " + away + " to officer " + other);

        // the rest of their work handed over from the roster (工作交接)
        console.open("/units/" + JINGBALU + "/roster");
        By form = By.cssSelector("[data-testid=roster-officers] tr[data-username='" + away + "'] [data-testid=handover-form]");
        WebElement handover = console.waitSaying("the officer's handover form").until(d -> d.findElements(form).stream()
                .findFirst().orElse(null));
        new org.openqa.selenium.support.ui.Select(handover.findElement(By.cssSelector("[data-testid=handover-to]")))
                .selectByValue(other);
        handover.findElement(By.cssSelector("[data-testid=handover-note]")).sendKeys("transferred to the county");
        console.screenshot("handover", "roster-officers");
        handover.findElement(By.cssSelector("[data-testid=handover-submit]")).click();
        assertThat(console.awaitText("handover-done", "Handed over")).contains(away + " → " + other);
        assertThat(new Api(platform).find(JINGBALU, given.get(1))).containsEntry("assignee", other)
                .containsEntry("status", "DISPATCHED");
        console.waitSaying("the officer's workload emptied").until(d -> d.findElements(By.cssSelector(
                "[data-testid=roster-officers] tr[data-username='" + away + "'] [data-testid=officer-workload]"
                        + "[data-workload='0']")).size() == 1);

        // marked away (离岗) in the roster, until marked back: the row says so, and a dispatch cannot name them
        String row = "[data-testid=roster-officers] tr[data-username='" + away + "'] ";
        console.waitSaying("the officer's away form, folded").until(d -> d.findElements(
                By.cssSelector(row + "[data-testid=away-open]")).stream().findFirst().orElse(null)).click();
        WebElement awayForm = console.find("roster-officers").findElement(By.cssSelector("tr[data-username='" + away
                + "'] [data-testid=away-form]"));
        awayForm.findElement(By.cssSelector("[data-testid=away-submit]")).click();
        assertThat(console.awaitText("error", "reason")).contains("A reason is required");
        awayForm.findElement(By.cssSelector("[data-testid=away-reason]")).sendKeys("病假");
        awayForm.findElement(By.cssSelector("[data-testid=away-submit]")).click();
        assertThat(console.awaitText("handover-done", "Marked away")).contains(away);
        WebElement badge = console.waitSaying("the officer shown away").until(d -> d.findElements(
                By.cssSelector(row + "[data-testid=officer-away][data-away-now=true]")).stream().findFirst().orElse(null));
        assertThat(badge.getText()).contains("离岗").contains("病假").contains(supervisor);
        console.screenshot("officer-away", "roster-officers");
        // the unit's to-do says what the officers away hold (离岗人员在办: nothing, handed over), linked to the roster
        console.open("/units/" + JINGBALU);
        console.waitSaying("the to-do's work of the officers away").until(d -> d.findElements(
                By.cssSelector("[data-testid=todo-awayOfficersWork][data-count='0']")).stream().findFirst().orElse(null))
                .click();
        console.waitSaying("the roster, from the to-do").until(d -> d.getCurrentUrl().endsWith("/roster")
                && !d.findElements(By.cssSelector(row + "[data-testid=officer-away]")).isEmpty());
        // a category no other test reports at the township (the to-do tests count theirs by category)
        String next = (String) api.report(JINGBALU, Api.aReport("PRICE_FRAUD", "console: a stall that overcharges"))
                .get("caseId");
        api.act(JINGBALU, next, "ACCEPT", null, null);
        console.open("/units/" + JINGBALU + "/cases/" + next);
        console.awaitStatus("ACCEPTED");
        // the proposal (建议派遣) names the market officer at work, and the one away apart
        assertThat(console.awaitText("case-proposed-away", away)).contains("离岗");
        assertThat(console.find("case-proposed-dispatch").getText()).contains("officer.MARKET_SUPERVISION.410105000000");
        WebElement option = console.waitSaying("the officer away marked in the dispatch's choice").until(d ->
                d.findElements(By.cssSelector("[data-testid=action-officer] option[value='" + away + "'][data-away=true]"))
                        .stream().findFirst().orElse(null));
        assertThat(option.isEnabled()).isFalse();
        assertThat(option.getText()).contains("离岗");

        // back at work (返岗): the form again, and they may be given work
        console.open("/units/" + JINGBALU + "/roster");
        console.waitSaying("the officer's back button").until(d -> d.findElements(
                By.cssSelector(row + "[data-testid=away-back]")).stream().findFirst().orElse(null)).click();
        assertThat(console.awaitText("handover-done", "Back at work")).contains(away);
        console.waitSaying("the officer no longer shown away").until(d -> d.findElements(
                By.cssSelector(row + "[data-testid=away-form]")).size() == 1
                && d.findElements(By.cssSelector(row + "[data-testid=officer-away]")).isEmpty());
        assertThat(new Api(platform).loadsAt(JINGBALU)).noneMatch(l -> l.get("away") != null);
        // the record of absences (请假记录) keeps it: marked back, by the supervisor
        WebElement kept = console.waitSaying("the absence in the record, marked back").until(d -> d.findElements(
                By.cssSelector("[data-testid=absence][data-officer='" + away + "'][data-state=BACK]")).stream()
                .findFirst().orElse(null));
        assertThat(kept.getText()).contains("病假", "已返岗", supervisor);
        console.screenshot("absence-record", "absence-table");
        assertThat(console.errorShown()).isNull();
    }

    @Test
    void aLeaderWritesAnInstructionOnACaseAndTheHandlerSeesItInTheTimeline() throws Exception {
        String id = api.reportCase(JINGBALU, "console: a collapsed manhole cover");
        // 批示: the township's leader may do nothing to the record but write on it; a note needs its text
        console.openAs("leader." + JINGBALU, "/units/" + JINGBALU + "/cases/" + id);
        console.awaitStatus("REPORTED");
        assertThat(console.find("actions").findElements(By.cssSelector("button[data-action]")))
                .extracting(b -> b.getAttribute("data-action")).containsExactly("COMMENT");
        console.click("action-COMMENT");
        assertThat(console.awaitText("error", "note")).contains("COMMENT needs a note");
        console.type("action-note", "先设围挡，今日修复");
        console.click("action-COMMENT");
        assertThat(console.awaitText("timeline", "先设围挡")).contains("Comment").contains("leader." + JINGBALU);
        console.awaitStatus("REPORTED");
        assertThat(console.awaitText("case-instruction", "先设围挡")).contains("待落实");
        assertThat(console.errorShown()).isNull();
        // the district beside its townships: one waits at 经八路街道
        console.openAs("supervisor.410105000000", "/units/410105000000");
        console.waitSaying("the township's instructions waiting, beside it").until(d -> d.findElements(By.cssSelector(
                "[data-code='" + JINGBALU + "'] [data-testid=child-todo][data-instructed]")).stream()
                .anyMatch(e -> Integer.parseInt(e.getAttribute("data-instructed")) > 0));
        assertThat(console.driver.findElement(By.cssSelector("[data-code='" + JINGBALU + "'] [data-testid=child-todo]"))
                .getText()).contains("批示待落实");

        // the handler: the township's to-do counts it (领导批示), its box lists it; the case page shows it waiting, marked
        // in the timeline, and every action of theirs is still there
        console.openAs("handler." + JINGBALU, "/units/" + JINGBALU);
        console.waitSaying("the to-do counting the instruction").until(d -> Integer.parseInt(
                console.find("todo-INSTRUCTED").getAttribute("data-count")) > 0);
        console.click("todo-INSTRUCTED");
        awaitRows("the records an instruction waits on", rows -> rows.contains(id));
        assertThat(console.find("instructed-filter").isSelected()).isTrue();
        console.openAs("handler." + JINGBALU, "/units/" + JINGBALU + "/cases/" + id);
        console.awaitStatus("REPORTED");
        assertThat(console.awaitText("timeline", "先设围挡")).contains("leader." + JINGBALU).contains("批示待落实");
        assertThat(console.awaitText("instruction-note", "先设围挡")).isEqualTo("先设围挡，今日修复");
        assertThat(console.find("actions").findElements(By.cssSelector("button[data-action]")))
                .extracting(b -> b.getAttribute("data-action")).contains("ACCEPT", "COMMENT");
        console.screenshot("comment", "timeline");
        // taken on: answered, the instruction waits no more
        console.click("action-ACCEPT");
        console.awaitStatus("ACCEPTED");
        console.waitSaying("the instruction answered").until(d -> d.findElements(
                By.cssSelector("[data-testid=case-instruction]")).isEmpty());
        assertThat(console.find("timeline").getText()).contains("先设围挡").doesNotContain("批示待落实");
        assertThat(console.errorShown()).isNull();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aNoticeItsNodeRemindedWhenLateSaysSoInTheIssuersList() throws Exception {
        String district = "410184000000";
        Instant signBy = Instant.now().plus(Duration.ofHours(1));
        String id = (String) platform.gatewayAs("supervisor." + district).post().uri("/api/units/{u}/notices", district)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("title", "console: 逾期通知 " + UUID.randomUUID(),
                        "body", "各镇报送值班表。", "reach", "township", "signBy", signBy.toString()))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody().get("id");
        // its time passes: the district's node reminds the townships by itself (逾期自动催签)
        platform.node(Tier.DISTRICT).getBean(NoticeHandling.class).remindLate(signBy.plusSeconds(60)).block();
        console.openAs("supervisor." + district, "/units/" + district + "/notices");
        WebElement mark = console.waitSaying("the notice reminded by its node").until(d -> d.findElements(By.cssSelector(
                "[data-testid=notice-sent][data-notice-id='" + id + "'] [data-testid=notice-late-reminded]")).stream()
                .findFirst().orElse(null));
        assertThat(mark.getText()).contains("逾期自动催签");
        assertThat(console.driver.findElement(By.cssSelector("[data-testid=notice-sent][data-notice-id='" + id + "']"))
                .getText()).contains("催签 1 次");
        assertThat(console.errorShown()).isNull();

        // a township reminded, not signed: its list says the reminder came from the issuer's node when late
        String township = "410184101000";
        console.openAs("supervisor." + township, "/units/" + township + "/notices");
        WebElement received = console.waitSaying("the notice received, reminded by the district's node").until(d ->
                d.findElements(By.cssSelector("[data-testid=notice-received][data-notice-id='" + id + "']"
                        + " [data-testid=notice-late-reminded]")).stream().findFirst().orElse(null));
        assertThat(received.getText()).contains("逾期自动催签");
        assertThat(console.driver.findElement(By.cssSelector("[data-testid=notice-received][data-notice-id='" + id
                + "'] [data-testid=notice-reminded]")).getText()).contains("已催签 1 次");
        assertThat(console.errorShown()).isNull();
    }

    @Test
    void aDistrictIssuesANoticeATownshipSignsForItAndTheDistrictSeesWhoHas() throws Exception {
        String district = "410184000000";
        String township = "410184101000";
        String title = "console notice " + java.util.UUID.randomUUID();
        // the district's supervisor issues a notice down to its townships
        console.openAs("supervisor." + district, "/units/" + district + "/notices");
        console.waitSaying("the notice form").until(d -> !d.findElements(By.cssSelector("[data-testid=notice-form]"))
                .isEmpty());
        console.find("notice-title").sendKeys(title);
        console.find("notice-body").sendKeys("各镇今日完成秸秆禁烧巡查并回复。");
        console.choose("notice-reach", "township");
        console.click("notice-issue");
        assertThat(console.awaitText("notice-status", "Notice issued")).contains(title).contains("2");
        WebElement sent = console.waitSaying("the notice issued, none signed").until(d -> d.findElements(By.xpath(
                "//tr[@data-testid='notice-sent'][.//a[text()='" + title + "']]")).stream().findFirst().orElse(null));
        String id = sent.getAttribute("data-notice-id");
        assertThat(sent.findElement(By.cssSelector("[data-testid=notice-sent-count]")).getText()).startsWith("0 / 2");
        // sent with an Idempotency-Key: the notice's id is the name-based UUID of the unit, the person and the key
        assertThat(java.util.UUID.fromString(id).version()).isEqualTo(3);

        // a handler of the township finds it in the to-do (待签收通知), follows it to the 通知 tab and signs for it
        console.openAs("handler." + township, "/units/" + township);
        console.waitSaying("the notice to sign for in the to-do").until(d -> count(d, "todo-unsignedNotices") >= 1);
        console.click("todo-unsignedNotices");
        By row = By.cssSelector("[data-testid=notice-received][data-notice-id='" + id + "']");
        WebElement received = console.waitSaying("the notice received").until(d -> d.findElements(row).stream()
                .findFirst().orElse(null));
        assertThat(received.getText()).contains(title).contains("新郑市").contains("秸秆禁烧");
        received.findElement(By.cssSelector("[data-testid=notice-reply]")).sendKeys("收到，已安排");
        console.screenshot("notice-received", "notices-received-panel");
        received.findElement(By.cssSelector("[data-testid=notice-sign]")).click();
        console.waitSaying("the notice signed for").until(d -> "true".equals(d.findElement(row)
                .getAttribute("data-signed")));
        assertThat(console.driver.findElement(row).getText()).contains("handler." + township).contains("收到，已安排");
        assertThat(console.driver.findElements(By.cssSelector("[data-testid=notice-form]"))).isEmpty();
        assertThat(console.errorShown()).isNull();

        // the district sees who has signed and who has not
        console.openAs("supervisor." + district, "/units/" + district + "/notices");
        By open = By.cssSelector("[data-testid=notice-sent][data-notice-id='" + id + "'] [data-testid=notice-sent-open]");
        console.waitSaying("the notice, one of two signed").until(d -> d.findElements(By.cssSelector(
                "[data-testid=notice-sent][data-notice-id='" + id + "'] [data-testid=notice-sent-count]")).stream()
                .anyMatch(c -> c.getText().startsWith("1 / 2")));
        // the township that has not signed is reminded (催签), and sees so
        console.driver.findElement(By.cssSelector("[data-testid=notice-sent][data-notice-id='" + id + "']"
                + " [data-testid=notice-remind]")).click();
        assertThat(console.awaitText("notice-status", "Reminded")).contains("1");
        console.driver.findElement(open).click();
        console.waitSaying("its receipts").until(d -> d.findElements(By.cssSelector(
                "[data-testid=notice-receipt][data-unit='" + township + "'][data-signed=true]")).size() == 1);
        assertThat(console.driver.findElements(By.cssSelector("[data-testid=notice-receipt][data-unit='410184102000']"
                + "[data-signed=false]"))).hasSize(1);
        console.screenshot("notice-receipts", "notices-sent-panel");
        assertThat(console.errorShown()).isNull();
        console.openAs("handler.410184102000", "/units/410184102000/notices");
        console.waitSaying("the reminder shown at the township that has not signed").until(d -> d.findElements(
                By.cssSelector("[data-testid=notice-received][data-notice-id='" + id + "'] [data-testid=notice-reminded]"))
                .size() == 1);
        assertThat(console.errorShown()).isNull();
    }

    @Test
    void aDistrictWithdrawsANoticeAndTheTownshipNoLongerSignsForIt() throws Exception {
        String district = "410184000000";
        String township = "410184102000";
        String id = (String) platform.gatewayAs("supervisor." + district).post().uri("/api/units/{u}/notices", district)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("title", "console: 周六集中清扫",
                        "body", "周六上午各镇集中清扫。", "reach", "township")).exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");

        // 撤回: the district's supervisor says why in the notice's row
        console.openAs("supervisor." + district, "/units/" + district + "/notices");
        By form = By.cssSelector("[data-testid=notice-sent][data-notice-id='" + id + "'] [data-testid=notice-withdraw-form]");
        WebElement withdraw = console.waitSaying("the notice's withdraw form").until(d -> d.findElements(form).stream()
                .findFirst().orElse(null));
        withdraw.findElement(By.cssSelector("[data-testid=notice-withdraw-reason]")).sendKeys("天气原因，改期另行通知");
        withdraw.findElement(By.cssSelector("[data-testid=notice-withdraw]")).click();
        assertThat(console.awaitText("notice-status", "Notice withdrawn")).contains("周六集中清扫");
        console.waitSaying("the notice shown withdrawn, without its form").until(d -> d.findElements(By.cssSelector(
                "[data-testid=notice-sent][data-notice-id='" + id + "'] [data-testid=notice-withdrawn]")).size() == 1
                && d.findElements(form).isEmpty());
        assertThat(console.errorShown()).isNull();

        // the township sees it withdrawn, why, and nothing to sign
        By row = By.cssSelector("[data-testid=notice-received][data-notice-id='" + id + "'][data-withdrawn=true]");
        console.waitSaying("the withdrawal at the township").until(d -> {
            if (d.findElements(row).isEmpty()) {
                console.openAs("handler." + township, "/units/" + township + "/notices");
                return false;
            }
            return true;
        });
        WebElement received = console.driver.findElement(row);
        assertThat(received.getText()).contains("天气原因");
        assertThat(received.findElements(By.cssSelector("[data-testid=notice-sign-form]"))).isEmpty();
        assertThat(console.errorShown()).isNull();
    }

    @Test
    void aTownshipSeesWhichOfItsCommunitiesSignedForTheDistrictsNotice() throws Exception {
        String district = "410184000000";
        String township = "410184101000";
        String community = "410184101001";
        String id = (String) platform.gatewayAs("supervisor." + district).post().uri("/api/units/{u}/notices", district)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("title", "console: 冬季防火检查",
                        "body", "各村（社区）本周完成冬季防火检查。")).exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");
        await().atMost(Duration.ofSeconds(30)).until(() -> platform
                .gatewayAs("handler." + community).get().uri("/api/units/{u}/notices/{id}", community, id).exchange()
                .returnResult(String.class).getStatus().value() == 200);
        platform.gatewayAs("handler." + community).post().uri("/api/units/{u}/notices/{id}/sign", community, id)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("reply", "已安排")).exchange()
                .expectStatus().isOk();

        // the township (逐级督促签收): its own copy to sign, and which of its three communities signed
        console.openAs("supervisor." + township, "/units/" + township + "/notices");
        By row = By.cssSelector("[data-testid=notice-received][data-notice-id='" + id + "']");
        WebElement received = console.waitSaying("the notice received").until(d -> d.findElements(row).stream()
                .findFirst().orElse(null));
        By signedBelow = By.cssSelector("[data-testid=notice-below-receipt][data-unit='" + community + "'][data-signed=true]");
        console.waitSaying("the community's signature, followed at the township").until(d -> {
            d.findElement(row).findElement(By.cssSelector("[data-testid=notice-below-open]")).click();
            return d.findElements(signedBelow).size() == 1;
        });
        assertThat(console.driver.findElements(By.cssSelector("[data-testid=notice-below-receipt]"))).hasSize(3);
        assertThat(console.driver.findElements(By.cssSelector("[data-testid=notice-below-receipt][data-signed=false]")))
                .hasSize(2);
        assertThat(console.awaitText("notice-below-receipts", "1 of 3 signed")).contains("已安排");
        assertThat(received.getAttribute("data-signed")).isEqualTo("false");

        // 逐级催签: the township presses the two that have not signed; each of them sees it, the one that signed not
        console.click("notice-remind-below");
        assertThat(console.awaitText("notice-status", "Reminded the units below")).contains("2");
        assertThat(console.awaitText("notice-reminded-below", "1 次")).contains("已催签下级");
        console.screenshot("notice-below", "notices-received-panel");
        String pressed = "410184101002";
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(platform.gatewayAs("handler." + pressed)
                .get().uri("/api/units/{u}/notices/{id}", pressed, id).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody()).containsEntry("remindersBetween", 1));
        assertThat(platform.gatewayAs("handler." + community).get().uri("/api/units/{u}/notices/{id}", community, id)
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody())
                .containsEntry("remindersBetween", 0);
        console.openAs("handler." + pressed, "/units/" + pressed + "/notices");
        By pressedRow = By.cssSelector("[data-testid=notice-received][data-notice-id='" + id + "']");
        String shown = console.waitSaying("the reminder shown at the community").until(d -> d.findElements(pressedRow)
                .stream().findFirst().map(r -> r.findElements(By.cssSelector("[data-testid=notice-reminded]")))
                .filter(l -> !l.isEmpty()).map(l -> l.get(0).getText()).orElse(null));
        assertThat(shown).contains("已催签 1 次");
        assertThat(console.errorShown()).isNull();
    }

    @Test
    void anActionOnARecordSomeoneChangedSinceItWasShownIsRefusedAndTheLatestOffered() throws Exception {
        String id = (String) api.report(JINGBALU, Api.aReport("ROAD_OCCUPATION", "console: a van on the corner"))
                .get("caseId");
        console.openAs("handler." + JINGBALU, "/units/" + JINGBALU + "/cases/" + id);
        console.awaitStatus("REPORTED");
        console.type("action-note", "signing for it");

        // meanwhile the supervisor recategorises it: still REPORTED, but not the record the handler is looking at
        api.act(JINGBALU, id, Map.of("action", "RECATEGORISE", "category", "GARBAGE_PILE"));
        assertThat(console.awaitText("case-changed", "has changed")).isNotBlank();

        // the handler's ACCEPT was sent on the version shown (If-Match): refused, and the record is as the supervisor left it
        console.click("action-ACCEPT");
        assertThat(console.awaitText("error", "412")).contains("changed since it was read");
        assertThat(console.find("error-detail").getText()).contains("RECATEGORISE by supervisor." + JINGBALU)
                .contains("read it again");
        Map<String, Object> record = api.find(JINGBALU, id);
        assertThat(record.get("status")).isEqualTo("REPORTED");
        assertThat(record.get("categoryCode")).isEqualTo("GARBAGE_PILE");

        // shown the latest, the handler signs for it
        console.click("case-show-latest");
        assertThat(console.awaitText("case-category", "GARBAGE_PILE")).isNotBlank();
        console.click("action-ACCEPT");
        console.awaitStatus("ACCEPTED");
        // the console sent it with an Idempotency-Key: kept under the name-based UUID of the unit, the person and the
        // key, once; the refused try kept nothing
        assertThat(keyedActions(JINGBALU, id)).singleElement().satisfies(kept -> {
            assertThat(kept.getKey().version()).isEqualTo(3);
            assertThat(kept.getValue()).isEqualTo("ACCEPT");
        });
    }

    /** The actions a unit's node kept under an Idempotency-Key on the case: each id with the action. */
    private static List<Map.Entry<java.util.UUID, String>> keyedActions(String unit, String caseId) throws Exception {
        List<Map.Entry<java.util.UUID, String>> kept = new java.util.ArrayList<>();
        try (java.sql.Connection c = platform.jdbc(TestPlatform.database(Tier.TOWNSHIP));
             java.sql.PreparedStatement s = c.prepareStatement(
                     "select id, action from keyed_action where unit_code = ? and case_id = ?")) {
            s.setString(1, unit);
            s.setObject(2, java.util.UUID.fromString(caseId));
            try (java.sql.ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    kept.add(Map.entry(r.getObject(1, java.util.UUID.class), r.getString(2)));
                }
            }
        }
        return kept;
    }

    @Test
    void anAdministratorSeesTheDeadLettersOfACommunityAndSendsThemAgain() throws Exception {
        // a message the community's node could not read, as it lies on its dead-letter topic
        UUID unreadable = UUID.randomUUID();
        try (KafkaProducer<String, byte[]> producer = platform.producer()) {
            ProducerRecord<String, byte[]> record = TestPlatform.handMadeEvent(Tier.COMMUNITY.deadLetterTopic(),
                    JINGBALU_COMMUNITY, unreadable, "gridlink.case.progressed.v1", "{ not json");
            record.headers().add("kafka_dlt-exception-fqcn",
                    "org.gridlink.kernel.support.events.MalformedEventException".getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();
        }
        // the tab is an administrator's alone
        console.openAs("supervisor." + JINGBALU_COMMUNITY, "/units/" + JINGBALU_COMMUNITY);
        console.find("unit-tabs");
        assertThat(console.driver.findElements(By.cssSelector("[data-testid=tab-dead-letters]"))).isEmpty();

        console.openAs("admin.410100000000", "/units/" + JINGBALU_COMMUNITY + "/dead-letters");
        assertThat(console.awaitText("dead-letters", unreadable.toString())).contains("MalformedEventException")
                .contains("gridlink.case.progressed.v1").contains(Tier.COMMUNITY.inboxTopic());
        console.click("dead-letters-replay");
        assertThat(console.awaitText("dead-letters-sent", "sent again")).containsPattern("[1-9][0-9]* sent again");
        console.screenshot("dead-letters", "dead-letters-panel");

        // a community's report its township's node set aside: listed at the township, sent again to that node's own
        // listener, where it fails again at once and is shown as such
        UUID report = UUID.randomUUID();
        try (KafkaProducer<String, byte[]> producer = platform.producer()) {
            producer.send(TestPlatform.handMadeEvent("gridlink.unit-reports.dlt", JINGBALU_COMMUNITY, report,
                    "gridlink.unit.reported.v1", "{ not a report")).get();
        }
        console.openAs("admin.410100000000", "/units/" + JINGBALU + "/dead-letters");
        assertThat(console.awaitText("dead-letters", report.toString())).contains("gridlink.unit-reports", "统计上报");
        // sent again by itself, with its row's button
        console.driver.findElement(By.cssSelector("[data-testid=dead-letters] [data-testid=dead-letter][data-event='"
                + report + "'] [data-testid=dead-letter-replay]")).click();
        assertThat(console.awaitText("dead-letters-failed", "failed again")).containsPattern("[1-9][0-9]* failed again");
        assertThat(console.find("dead-letters-failed-again").getText()).contains(report.toString());
        assertThat(console.find("dead-letters").getText()).contains(report.toString());
    }

    @Test
    void theRosterTheFiguresAndTheAssessmentOfAUnit() throws Exception {
        api.reportCase(JINGBALU_COMMUNITY, "console: counted in the figures");
        console.openAs("supervisor." + JINSHUI, "/units/" + JINSHUI + "/stats");

        // the subtree's figures arrive from below within seconds: shown once the page is asked again
        console.waitSaying("the district's figures count the case reported below").until(d -> {
            List<WebElement> cells = d.findElements(By.cssSelector("[data-testid=figure-reported] td"));
            if (cells.size() == 3 && !cells.get(1).getText().isBlank() && Long.parseLong(cells.get(1).getText()) >= 1) {
                return true;
            }
            d.findElement(By.cssSelector("[data-testid=stats-load]")).click();
            return false;
        });
        assertThat(console.find("stats-counts").getText()).contains("新报数").contains("Reported");
        assertThat(console.find("stats-rates").getText()).contains("Handling rate");
        WebElement township = console.waitSaying("经八路街道's row").until(d -> d.findElement(
                By.cssSelector("[data-testid=stats-child][data-code='" + JINGBALU + "']")));
        assertThat(township.getText()).contains("经八路街道").containsPattern("(fresh|stale|never reported)");
        assertThat(township.getText()).contains("ago");
        console.screenshot("stats", "stats-panel");

        // this month's assessment of the district's townships: rank, band and score
        String ranking = console.awaitText("assessment-table", JINGBALU);
        assertThat(ranking).containsPattern("(Commended|Normal|Warned|No data)");
        assertThat(console.driver.findElements(By.cssSelector("[data-testid=assessment-row]"))).hasSizeGreaterThanOrEqualTo(2);
        console.screenshot("assessment", "assessment-panel");
        // the CSV exports are fetched with the person's token: no problem shown
        console.click("stats-csv");
        console.click("assessment-csv");
        // a bad month is the node's 400, its detail shown
        ((JavascriptExecutor) console.driver).executeScript(
                "arguments[0].type = 'text'; arguments[0].value = '2024-13';", console.find("assessment-period"));
        console.click("assessment-load");
        assertThat(console.awaitText("error", "400")).contains("period");

        // the roster: who answers for the township
        console.open("/units/" + JINGBALU + "/roster");
        assertThat(console.awaitText("roster-officers", OFFICER)).contains("URBAN_MANAGEMENT");
        // and each officer's work now (在办), as GET …/todo/officers says it
        console.waitSaying("the officers' workloads").until(d -> d.findElements(By.cssSelector(
                "[data-testid=roster-officers] [data-testid=officer-workload][data-workload]")).size()
                == d.findElements(By.cssSelector("[data-testid=roster-officers] tr[data-username]")).size());
        assertThat(console.find("roster-officers").getText()).contains("待签收").contains("待处置");
        assertThat(console.awaitText("roster-leaders", "leader." + JINSHUI)).contains("LEADER");
        assertThat(console.find("roster-departments").getText()).contains("ROAD_OCCUPATION");
        console.screenshot("roster", "roster-panel");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aHandlerMergesADuplicateAndRecordsTheReportersVerdictInTheConsole() throws Exception {
        String handler = "handler." + JINGBALU_COMMUNITY;
        // one heap of rubbish, two hotline calls 20 m apart
        String kept = reportAs(handler, "console: rubbish heaped at the corner", 34.7710);
        String duplicate = reportAs(handler, "console: rubbish by the corner shop", 34.77118);

        // MERGE: the node offers the open record of the same category nearby; one case only, from the list or typed
        console.openAs(handler, "/units/" + JINGBALU_COMMUNITY + "/cases/" + duplicate);
        console.awaitStatus("REPORTED");
        console.choose("action-into", kept);
        console.screenshot("merge", "form-MERGE");
        console.type("action-into-id", kept);
        console.click("action-MERGE");
        assertThat(console.awaitText("error", "One case only")).contains("not both");
        console.type("action-into-id", "");
        console.click("action-MERGE");
        console.awaitStatus("CLOSED");
        assertThat(console.awaitText("timeline", "Merge into")).contains(handler);
        assertThat(Api.timeline(api.find(JINGBALU_COMMUNITY, kept)))
                .anySatisfy(e -> assertThat(e.get("action")).isEqualTo("MERGED_IN"));

        // the kept case handled and closed at the community; the hotline records the caller's verdict
        for (String action : List.of("ACCEPT", "START")) {
            api.act(JINGBALU_COMMUNITY, kept, action);
        }
        api.act(JINGBALU_COMMUNITY, kept, "RESOLVE", "cleared", null);
        api.act(JINGBALU_COMMUNITY, kept, "VERIFY");
        api.act(JINGBALU_COMMUNITY, kept, "CLOSE");
        console.open("/units/" + JINGBALU_COMMUNITY + "/cases/" + kept);
        console.awaitStatus("CLOSED");
        // a closed record takes no more evidence: no upload form, though the verdict is open
        assertThat(console.driver.findElements(By.cssSelector("[data-testid=evidence-file]"))).isEmpty();
        console.click("action-VERDICT");
        assertThat(console.awaitText("error", "A verdict is required")).contains("satisfied or not fixed");
        console.choose("action-verdict", "SATISFIED");
        console.screenshot("verdict", "form-VERDICT");
        console.type("action-note", "both callers thanked us");
        console.click("action-VERDICT");
        assertThat(console.awaitText("timeline", "Verdict: satisfied")).contains("both callers thanked us");
        console.awaitStatus("CLOSED");
        assertThat(console.driver.findElements(By.cssSelector("[data-testid=action-VERDICT]"))).isEmpty();
        assertThat(Api.timeline(api.find(JINGBALU_COMMUNITY, kept)))
                .filteredOn(e -> "VERDICT_SATISFIED".equals(e.get("action"))).singleElement()
                .satisfies(e -> assertThat(e.get("actor")).isEqualTo(handler));
    }

    @Test
    void aCitizenFindsTheirOwnReportsOnTheirCommunitysPage() throws Exception {
        Map<String, Object> own = new java.util.HashMap<>(Api.aReport("GARBAGE_PILE", "console: my report, a heap"));
        own.remove("reporter");
        String mine = (String) platform.gatewayAs("citizen.1").post().uri("/api/units/{u}/cases", JINGBALU_COMMUNITY)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(own).exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("caseId");
        Map<String, Object> other = new java.util.HashMap<>(Api.aReport("GARBAGE_PILE", "console: another caller's"));
        other.put("reporter", "a caller who gave no name");
        String notMine = (String) api.report(JINGBALU_COMMUNITY, other).get("caseId");

        console.openAs("citizen.1", "/units/" + JINGBALU_COMMUNITY);
        assertThat(console.find("own-reports").getText()).contains("我的上报").contains("My reports");
        awaitRows("the citizen's own report and no one else's", rows -> rows.contains(mine) && !rows.contains(notMine));
        assertThat(console.errorShown()).isNull();
        // the staff's tabs and the ledger's buttons are not offered to a resident
        assertThat(console.driver.findElements(By.cssSelector("[data-testid=tab-stats], [data-testid=tab-overdue],"
                + " [data-testid=export-cases-csv], [data-testid=grid-filter], [data-testid=grid-map-panel]"))).isEmpty();
        console.screenshot("own-reports", "case-list");
        assertThat(new Select(console.find("report-source")).getFirstSelectedOption().getAttribute("value"))
                .as("a resident's report comes from the app").isEqualTo("CITIZEN_APP");
        // the sources offered are the node's, each marked as the figures count it: the hotline's is the one they count
        List<WebElement> sources = new Select(console.find("report-source")).getOptions();
        assertThat(sources).extracting(o -> o.getAttribute("value")).contains("HOTLINE_12345", "GRID_PATROL")
                .doesNotContain("CITIZEN_HOTLINE");
        assertThat(sources).filteredOn(o -> "HOTLINE_12345".equals(o.getAttribute("value"))).singleElement()
                .extracting(WebElement::getText).asString().contains("12345热线", "热线 hotline");
        console.driver.findElement(By.cssSelector("[data-case-id='" + mine + "'] a")).click();
        console.awaitStatus("REPORTED");
    }

    @Test
    void theCitysAdministratorPublishesAYearOfTheWorkingCalendar() throws Exception {
        // June 2032 by the nodes' clock: 2033 may be published (no other test's time limits run in it); the days are
        // made up for the test
        try {
            platform.clock().set(java.time.Instant.parse("2032-06-01T02:00:00Z"));
            console.openAs("admin.410100000000", "/units/410100000000/calendar");
            // the panel says it is loading until the calendar came
            console.waitSaying("the calendar's years shown").until(d -> !d.findElements(
                    By.cssSelector("[data-testid=calendar-year]")).isEmpty());
            assertThat(console.find("calendar-panel").findElements(By.cssSelector("[data-testid=calendar-year]")))
                    .extracting(e -> e.getAttribute("data-year")).contains("2025", "2026");
            assertThat(console.find("calendar-coverage").getText()).contains("今年的法定节假日未知");
            console.type("calendar-year-input", "2033");
            console.type("calendar-source", "测试通知 (ConsoleOperationsIT)");
            console.type("calendar-holidays", "2033-05-02 2033-05-04 测试假日 Test holiday");
            // a make-up working day on a Wednesday: refused, said, and nothing published
            console.type("calendar-working-days", "2033-05-04 测试调休上班");
            console.click("calendar-publish");
            assertThat(console.awaitText("error", "422")).contains("WEDNESDAY");
            console.type("calendar-working-days", "2033-05-07 测试调休上班 Test make-up day");
            console.click("calendar-publish");
            assertThat(console.awaitText("calendar-published", "2033")).contains("第 1 版");
            var year = console.driver.findElement(By.cssSelector("[data-testid=calendar-year][data-year='2033']"));
            assertThat(year.getText()).contains("市级发布 第 1 版", "admin.410100000000", "测试通知 (ConsoleOperationsIT)",
                    "2033-05-02 – 2033-05-04", "测试假日", "2033-05-07", "测试调休上班");
            console.screenshot("calendar-published", "calendar-panel");

            // corrected: the year's edit button fills the form, a holiday renamed is revision 2, and the year's
            // publications (发布记录) list both, newest first
            year.findElement(By.cssSelector("[data-testid=calendar-edit-year]")).click();
            assertThat(console.find("calendar-year-input").getAttribute("value")).isEqualTo("2033");
            console.type("calendar-holidays", "2033-05-02 2033-05-04 测试假日（更正） Test holiday corrected");
            console.click("calendar-publish");
            assertThat(console.awaitText("calendar-published", "第 2 版")).contains("2033");
            console.driver.findElement(By.cssSelector("[data-testid=calendar-year][data-year='2033']"
                    + " [data-testid=calendar-show-revisions]")).click();
            console.waitSaying("2033's two revisions listed").until(d -> d.findElements(
                    By.cssSelector("[data-testid=calendar-revisions][data-year='2033'] [data-testid=calendar-revision]"))
                    .size() == 2);
            var revisions = console.driver.findElements(By.cssSelector(
                    "[data-testid=calendar-revisions][data-year='2033'] [data-testid=calendar-revision]"));
            assertThat(revisions).extracting(r -> r.getAttribute("data-revision")).containsExactly("2", "1");
            assertThat(revisions.get(0).getText()).contains("测试假日（更正）", "admin.410100000000");
            assertThat(revisions.get(1).getText()).contains("测试假日", "2033-05-07").doesNotContain("更正");

            // a community's staff read it (no form: the calendar is the city's to publish)
            console.openAs("supervisor." + JINGBALU_COMMUNITY, "/units/" + JINGBALU_COMMUNITY + "/calendar");
            console.waitSaying("2033 shown at the community").until(d -> !d.findElements(
                    By.cssSelector("[data-testid=calendar-year][data-year='2033']")).isEmpty());
            assertThat(console.driver.findElements(By.cssSelector("[data-testid=calendar-form]"))).isEmpty();
        } finally {
            platform.clock().release();
        }
    }

    @Test
    void theStaffAreWarnedBeforeTheWorkingCalendarEnds() throws Exception {
        // the sample city's calendar carries 2025 and 2026
        try {
            platform.clock().set(java.time.Instant.parse("2026-12-05T02:00:00Z"));
            console.openAs("supervisor." + JINGBALU, "/units/" + JINGBALU);
            String notice = console.find("calendar-notice").getText();
            assertThat(notice).contains("工作日历的法定节假日只到 2026-12-31（还剩 27 天）", "2027 年部分节假日安排",
                    "27 days left");
            // it leads to where the city publishes the year
            assertThat(console.find("calendar-notice-link").getAttribute("href")).endsWith("#/units/410100000000/calendar");
            console.screenshot("calendar-notice", "calendar-notice");

            platform.clock().set(java.time.Instant.parse("2026-06-01T02:00:00Z"));
            console.open("/units/" + JINGBALU + "/roster");
            console.waitSaying("the unit's roster tab shown").until(d -> !d.findElements(
                    By.cssSelector("[data-testid=tab-roster].current")).isEmpty());
            assertThat(console.driver.findElements(By.cssSelector("[data-testid=calendar-notice]"))).isEmpty();

            // a resident is not told: the calendar is the staff's to mend
            platform.clock().set(java.time.Instant.parse("2027-01-04T02:00:00Z"));
            console.openAs("citizen.1", "/units/" + JINGBALU_COMMUNITY);
            console.find("own-reports");
            assertThat(console.driver.findElements(By.cssSelector("[data-testid=calendar-notice]"))).isEmpty();
            console.openAs("supervisor." + JINGBALU, "/units/" + JINGBALU);
            assertThat(console.find("calendar-notice").getText()).contains("工作日历没有 2027 年的法定节假日");
        } finally {
            platform.clock().release();
        }
    }

    /** A hotline call the community's handler takes for citizen.1: a rubbish heap at the latitude given. */
    @SuppressWarnings("unchecked")
    private static String reportAs(String person, String title, double lat) {
        Map<String, Object> body = Map.of("categoryCode", "GARBAGE_PILE", "title", title, "reporter", "citizen.1",
                "location", Map.of("lat", lat, "lon", 113.6720));
        return (String) platform.gatewayAs(person).post().uri("/api/units/{u}/cases", JINGBALU_COMMUNITY)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("caseId");
    }

    private static WebElement awaitOverdueRow(String id) {
        By row = By.cssSelector("[data-testid=overdue-row][data-case-id='" + id + "']");
        return console.waitSaying("case " + id + " in the overdue list").until(d -> {
            List<WebElement> found = d.findElements(row);
            if (!found.isEmpty()) {
                return found.get(0);
            }
            d.findElement(By.cssSelector("[data-testid=overdue-refresh]")).click();
            return null;
        });
    }
}
