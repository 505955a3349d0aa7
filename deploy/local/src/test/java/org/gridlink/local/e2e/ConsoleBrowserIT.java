package org.gridlink.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gridlink.local.e2e.CrossTierFlowIT.JINGBALU;
import static org.gridlink.local.e2e.CrossTierFlowIT.JINGBALU_COMMUNITY;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real headless Chromium (Debian's chromium + chromium-driver, installed by .ci/run):
 * a grid worker reports a case at a community, accepts and escalates it, and sees it arrive at the township.
 */
class ConsoleBrowserIT {

    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    static TestPlatform platform;
    static WebDriver browser;
    static WebDriverWait wait;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM),
                "the console browser test needs Debian's chromium and chromium-driver (.ci/run installs them)");
        platform = TestPlatform.get();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + Files.createTempDirectory("gridlink-chromium"), "--window-size=1400,1000");
        org.openqa.selenium.logging.LoggingPreferences logs = new org.openqa.selenium.logging.LoggingPreferences();
        logs.enable(org.openqa.selenium.logging.LogType.BROWSER, java.util.logging.Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        // the console re-renders as records change; an element read during a re-render is simply read again
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
    }

    /** Signs in through the identity server's login page, as a person would. */
    private static void logIn(String username) {
        click("login-panel-button");
        WebElement user = wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("username")));
        assertThat(browser.getCurrentUrl()).startsWith(platform.identityIssuer());
        user.sendKeys(username);
        browser.findElement(By.name("password")).sendKeys(TestPlatform.demoPassword(username));
        browser.findElement(By.cssSelector("button[type=submit], input[type=submit]")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30))
                .withMessage(() -> "not signed in as " + username + "; at " + browser.getCurrentUrl() + ", the page says: "
                        + browser.findElement(By.tagName("body")).getText() + "; browser log: "
                        + browser.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll())
                .until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-testid=user]"), username));
    }

    /** Signs out of the console, which ends the identity server's session too: the next login asks again. */
    private static void logOut() {
        click("logout");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-testid=login-panel]")));
        assertThat(browser.getCurrentUrl()).startsWith(platform.gatewayUrl());
    }

    @Test
    void aGridWorkerReportsAcceptsAndEscalatesACaseInTheConsoleAndTheTownshipSeesIt() {
        browser.get(platform.gatewayUrl() + "/#/units/" + JINGBALU_COMMUNITY);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-testid=login-panel]")));
        logIn("gridworker.410105001001-01");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-testid=unit-name]"), "经八路社区"));
        assertThat(browser.findElements(By.cssSelector("[data-testid=grid-cells] li"))).hasSize(3);

        WebElement form = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-testid=report-form]")));
        new Select(form.findElement(By.name("categoryCode"))).selectByValue("ROAD_OCCUPATION");
        form.findElement(By.name("title")).sendKeys("占道经营 at the market gate");
        form.findElement(By.name("address")).sendKeys("经八路 8号");
        new Select(form.findElement(By.name("gridCode"))).selectByValue(JINGBALU_COMMUNITY + "-01");
        form.findElement(By.cssSelector("[data-testid=report-submit]")).click();

        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-testid=case-title]"),
                "占道经营 at the market gate"));
        String caseUrl = browser.getCurrentUrl();
        String caseId = caseUrl.substring(caseUrl.lastIndexOf('/') + 1);
        assertThat(statusShown()).isEqualTo("REPORTED");

        click("action-ACCEPT");
        wait.until(d -> "ACCEPTED".equals(statusShown()));
        type("action-note", "needs the street office");
        click("action-ESCALATE");
        wait.until(d -> "ESCALATED".equals(statusShown()));
        assertThat(browser.findElements(By.cssSelector("[data-testid=timeline-entry]"))).hasSizeGreaterThanOrEqualTo(3);

        // the grid worker may not read the township's records; its supervisor may
        browser.get(platform.gatewayUrl() + "/#/units/" + JINGBALU + "/cases/" + caseId);
        WebElement refused = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("error")));
        assertThat(refused.getText()).contains("403");
        logOut();
        logIn("supervisor.410105001000");
        browser.get(platform.gatewayUrl() + "/#/units/" + JINGBALU + "/cases/" + caseId);
        wait.until(d -> "REPORTED".equals(statusShown()));
        assertThat(browser.findElement(By.cssSelector("[data-testid=chain]")).getText())
                .contains(JINGBALU_COMMUNITY).contains(JINGBALU);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-testid=action-RETURN]")));

        browser.get(platform.gatewayUrl() + "/#/units/410105001009");
        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("error")));
        assertThat(error.getText()).contains("404").contains("410105001009");
    }

    private static String statusShown() {
        try {
            var found = browser.findElements(By.cssSelector("[data-testid=case-status]"));
            return found.isEmpty() ? null : found.get(0).getAttribute("textContent");
        } catch (org.openqa.selenium.StaleElementReferenceException e) {
            return null;
        }
    }

    /** Types into a field once it can take input; typed again if the page re-rendered under the first try. */
    private static void type(String testId, String text) {
        wait.ignoring(org.openqa.selenium.ElementNotInteractableException.class).until(d -> {
            WebElement field = d.findElement(By.cssSelector("[data-testid=" + testId + "]"));
            if (!field.isDisplayed() || !field.isEnabled()) {
                return false;
            }
            field.clear();
            field.sendKeys(text);
            return text.equals(field.getAttribute("value"));
        });
    }

    private static void click(String testId) {
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-testid=" + testId + "]"))).click();
    }
}
