package org.gridlink.security;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.logging.LogbackMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.logging.logback.LogbackMetricsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The logback.events counters count what is logged, by level, with no turbo filter in Logback's way. */
class LogEventMetricsTest {

    /** An application with metrics and Spring Boot's own LogbackMetricsAutoConfiguration. */
    private static final ApplicationContextRunner WITH_BOOTS_OWN = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LogbackMetricsAutoConfiguration.class,
                    MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                    SimpleMetricsExportAutoConfiguration.class));

    private final LoggerContext context = new LoggerContext();
    private final Logger logger = context.getLogger("org.gridlink.security.LogEventMetricsTest.subject");
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final LogEventMetrics metrics = new LogEventMetrics(List.of(), context);

    @AfterEach
    void close() {
        metrics.close();
        context.stop();
    }

    @Test
    void countsEachLoggedEventByItsLevelAndNothingTheLevelLeavesOut() {
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.INFO);
        metrics.bindTo(registry);

        logger.error("one");
        logger.error("two");
        logger.warn("three");
        logger.info("four");
        logger.debug("not logged at INFO");
        logger.trace("nor this");

        assertThat(count("error")).isEqualTo(2);
        assertThat(count("warn")).isEqualTo(1);
        assertThat(count("info")).isEqualTo(1);
        assertThat(count("debug")).isZero();
        assertThat(count("trace")).isZero();
    }

    @Test
    void installsNoTurboFilterSoALevelCheckAsksNoFilter() {
        metrics.bindTo(registry);

        assertThat(context.getTurboFilterList()).isEmpty();
        assertThat(logger.isDebugEnabled()).isTrue(); // the context's default level is DEBUG
        assertThat(count("debug")).as("a level check logs nothing").isZero();
    }

    @Test
    void keepsCountingAfterLogbackIsReconfigured() {
        metrics.bindTo(registry);
        logger.error("before");

        context.reset(); // what a reconfiguration does first: every appender detached

        logger.error("after");
        assertThat(count("error")).isEqualTo(2);
    }

    @Test
    void stopsCountingWhenClosed() {
        metrics.bindTo(registry);
        logger.warn("counted");

        metrics.close();
        logger.warn("not counted");

        assertThat(count("warn")).isEqualTo(1);
        assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext()).isFalse();
    }

    @Test
    void takesThePlaceOfSpringBootsTurboFilterInAnApplication() {
        LoggerContext global = (LoggerContext) LoggerFactory.getILoggerFactory();
        WITH_BOOTS_OWN.withConfiguration(AutoConfigurations.of(LogEventMetricsAutoConfiguration.class))
                .run(app -> {
                    assertThat(app).hasSingleBean(LogbackMetrics.class);
                    assertThat(app.getBean(LogbackMetrics.class)).isInstanceOf(LogEventMetrics.class);
                    assertThat(global.getTurboFilterList()).isEmpty();

                    MeterRegistry appRegistry = app.getBean(MeterRegistry.class);
                    double before = count(appRegistry, "error");
                    LoggerFactory.getLogger("org.gridlink.security.LogEventMetricsTest.app").error("counted");
                    assertThat(count(appRegistry, "error")).isEqualTo(before + 1);
                });
    }

    @Test
    void springBootsOwnWouldHaveInstalledATurboFilter() {
        // the other side of the test above: without LogEventMetrics, Spring Boot's auto-configuration binds
        // Micrometer's LogbackMetrics, whose turbo filter every level check then goes through
        LoggerContext global = (LoggerContext) LoggerFactory.getILoggerFactory();
        WITH_BOOTS_OWN.run(app -> {
            assertThat(app.getBean(LogbackMetrics.class)).isNotInstanceOf(LogEventMetrics.class);
            assertThat(global.getTurboFilterList()).isNotEmpty();
        });
        assertThat(global.getTurboFilterList()).as("removed when the application closed").isEmpty();
    }

    private double count(String level) {
        return count(registry, level);
    }

    private static double count(MeterRegistry registry, String level) {
        var counter = registry.find(LogEventMetrics.METER).tag("level", level).counter();
        return counter == null ? 0 : counter.count();
    }
}
