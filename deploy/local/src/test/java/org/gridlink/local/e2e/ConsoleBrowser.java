package org.gridlink.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.ElementNotInteractableException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.PageLoadStrategy;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.chromium.ChromiumDriverLogLevel;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.remote.http.ClientConfig;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.util.FileSystemUtils;

/**
 * The web console in a real headless Chromium (Debian's chromium + chromium-driver, installed by .ci/run), driven as
 * a person would: signing in at the identity server's page, clicking and typing, reading what the page shows.
 */
final class ConsoleBrowser implements AutoCloseable {

    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    final TestPlatform platform;
    /** The browser being driven; a new one after a stalled sign-in ({@link #logIn}), so read it afresh each time. */
    WebDriver driver;
    WebDriverWait wait;
    private ChromeDriverService service;
    /** The browser's profile, a fresh directory for each browser, deleted when the browser ends. */
    private Path profile;

    static boolean available() {
        return Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM);
    }

    ConsoleBrowser(TestPlatform platform) throws IOException {
        this.platform = platform;
        start();
    }

    private void start() throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        profile = Files.createTempDirectory("gridlink-chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=1400,1000");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        // the console is one page whose script runs before DOMContentLoaded, and every step waits for what it needs
        // to see; a navigation that never finishes fails in 30 s, and a command the driver never answers in 60 s
        // (Selenium's own limit is 180 s)
        options.setPageLoadStrategy(PageLoadStrategy.EAGER);
        options.setPageLoadTimeout(Duration.ofSeconds(30));
        service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .withLogFile(Path.of("target", "chromedriver.log").toFile()).withLogLevel(ChromiumDriverLogLevel.INFO)
                .withAppendLog(true).build();
        driver = new ChromeDriver(service, options, ClientConfig.defaultConfig().readTimeout(Duration.ofSeconds(60)));
        wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        // the console re-renders as records change; an element read during a re-render is simply read again
        wait.ignoring(StaleElementReferenceException.class);
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } catch (RuntimeException wedged) {
            // a browser that answers nothing would otherwise outlive the tests
            kill();
        }
        deleteProfile();
    }

    /** Deletes the ended browser's profile directory (a few MB each; CI runs left dozens in /tmp). */
    private void deleteProfile() {
        try {
            FileSystemUtils.deleteRecursively(profile);
        } catch (IOException e) {
            System.err.printf("ConsoleBrowser: cannot delete the browser's profile %s: %s%n", profile, e);
        }
    }

    /**
     * Ends a browser that stopped answering: its driver and every Chromium process of it, without asking either (a
     * wedged session answers nothing, not even quit).
     */
    private void kill() {
        Object pid = ((ChromeDriver) driver).getCapabilities().getCapability("goog:processID");
        service.stop();
        if (pid != null) {
            ProcessHandle.of(Long.parseLong(pid.toString())).ifPresent(chromium -> {
                chromium.descendants().forEach(ProcessHandle::destroyForcibly);
                chromium.destroyForcibly();
            });
        }
    }

    /** Opens a console route, e.g. {@code /units/410105001000/stats}. */
    void open(String route) {
        driver.get(platform.gatewayUrl() + "/#" + route);
    }

    /**
     * Signs in through the identity server's login page, as a person would. Twice in CI, Chromium never finished the
     * navigation after the login form's submit, and the driver then answered nothing more: the click or the next
     * command waited past Selenium's limit, and the next test failed with it. Such a stall now ends within a minute,
     * the browser is replaced by a new one, and the sign-in starts once more there, from the same console page.
     */
    void logIn(String username) {
        String consolePage = driver.getCurrentUrl();
        try {
            signIn(username, false);
        } catch (TimeoutException stalled) {
            System.err.printf("ConsoleBrowser: signing in as %s stalled (%s); once more in a new browser from %s%n",
                    username, String.valueOf(stalled.getMessage()).lines().findFirst().orElse(""), consolePage);
            kill();
            deleteProfile();
            try {
                start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            driver.get(consolePage);
            signIn(username, true);
        }
    }

    private void signIn(String username, boolean again) {
        click("login-panel-button");
        By signedIn = By.cssSelector("[data-testid=user]");
        By userField = By.name("username");
        wait.until(d -> d.findElements(userField).stream().anyMatch(WebElement::isDisplayed)
                || again && d.findElements(signedIn).stream().anyMatch(e -> e.getText().contains(username)));
        if (!driver.findElements(userField).isEmpty()) {
            assertThat(driver.getCurrentUrl()).startsWith(platform.identityIssuer());
            driver.findElement(userField).sendKeys(username);
            driver.findElement(By.name("password")).sendKeys(TestPlatform.demoPassword(username));
            driver.findElement(By.cssSelector("button[type=submit], input[type=submit]")).click();
        }
        new WebDriverWait(driver, Duration.ofSeconds(30))
                .withMessage(() -> "not signed in as " + username + "; at " + driver.getCurrentUrl() + ", the page says: "
                        + driver.findElement(By.tagName("body")).getText() + "; browser log: "
                        + driver.manage().logs().get(LogType.BROWSER).getAll())
                .until(ExpectedConditions.textToBePresentInElementLocated(signedIn, username));
    }

    /** Signs out of the console, which ends the identity server's session too: the next login asks again. */
    void logOut() {
        click("logout");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-testid=login-panel]")));
        assertThat(driver.getCurrentUrl()).startsWith(platform.gatewayUrl());
    }

    /** Opens the route signed in as the person, signing whoever is signed in out first. */
    void openAs(String username, String route) {
        open(route);
        wait.until(d -> !d.findElements(By.cssSelector("[data-testid=login-panel]")).isEmpty()
                || d.findElement(By.id("logout")).isDisplayed());
        if (driver.findElements(By.cssSelector("[data-testid=login-panel]")).isEmpty()) {
            logOut();
            open(route);
        }
        logIn(username);
    }

    /** A wait whose failure says what was expected and what the page showed instead. */
    WebDriverWait waitSaying(String expectation) {
        WebDriverWait saying = new WebDriverWait(driver, Duration.ofSeconds(30));
        saying.ignoring(StaleElementReferenceException.class);
        saying.withMessage(() -> expectation + "; the page says: " + driver.findElement(By.tagName("body")).getText());
        return saying;
    }

    WebElement find(String testId) {
        return wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-testid=" + testId + "]")));
    }

    /** The visible text of the element, once it shows the expected text. */
    String awaitText(String testId, String expected) {
        waitSaying("[data-testid=" + testId + "] never said '" + expected + "'")
                .until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-testid=" + testId + "]"), expected));
        return find(testId).getText();
    }

    String statusShown() {
        try {
            List<WebElement> found = driver.findElements(By.cssSelector("[data-testid=case-status]"));
            return found.isEmpty() ? null : found.get(0).getAttribute("textContent");
        } catch (StaleElementReferenceException e) {
            return null;
        }
    }

    void awaitStatus(String status) {
        waitSaying("status " + status + " not shown").until(d -> status.equals(statusShown()));
    }

    /** Types into a field once it can take input; typed again if the page re-rendered under the first try. */
    void type(String testId, String text) {
        wait.ignoring(ElementNotInteractableException.class).until(d -> {
            WebElement field = d.findElement(By.cssSelector("[data-testid=" + testId + "]"));
            if (!field.isDisplayed() || !field.isEnabled()) {
                return false;
            }
            field.clear();
            field.sendKeys(text);
            return text.equals(field.getAttribute("value"));
        });
    }

    /** Chooses an option of a select once the option is there (some lists load after the page). */
    void choose(String testId, String value) {
        wait.until(d -> {
            WebElement field = d.findElement(By.cssSelector("[data-testid=" + testId + "]"));
            if (field.findElements(By.cssSelector("option[value='" + value + "']")).isEmpty()) {
                return false;
            }
            new Select(field).selectByValue(value);
            return value.equals(field.getAttribute("value"));
        });
    }

    /** Sets a date or time input as the browser's own picker would (typing into one depends on the locale). */
    void setValue(WebElement input, String value) {
        ((JavascriptExecutor) driver).executeScript("arguments[0].value = arguments[1];"
                + " arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
                + " arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", input, value);
    }

    /** Clicks the element, found again if the page drew it anew between finding and clicking (a refresh). */
    void click(String testId) {
        for (int attempt = 1; ; attempt++) {
            try {
                wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-testid=" + testId + "]")))
                        .click();
                return;
            } catch (StaleElementReferenceException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    String errorShown() {
        WebElement banner = driver.findElement(By.id("error"));
        return banner.isDisplayed() ? banner.getText() : null;
    }

    /** Saves what the window shows, scrolled to the element, as /tmp/console-{name}.png (a person checks the layout). */
    void screenshot(String name, String testId) throws IOException {
        ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView(true); window.scrollBy(0, -10);", find(testId));
        Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, Path.of("/tmp/console-" + name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
