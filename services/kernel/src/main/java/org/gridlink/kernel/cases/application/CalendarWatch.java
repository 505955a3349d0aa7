package org.gridlink.kernel.cases.application;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.LocalDate;
import org.gridlink.kernel.calendar.CalendarCoverage;
import org.gridlink.kernel.calendar.WorkingCalendar;
import org.gridlink.kernel.units.UnitDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Watches how far ahead the working calendar knows the public holidays: the gauge
 * {@code gridlink.calendar.covered.days} (the days until the first day it does not cover; the alert
 * GridlinkCalendarEndsSoon reads it), a warning in the log at start and every
 * {@code gridlink.calendar.check-interval} while fewer than {@code gridlink.calendar.warn-ahead} days are left, and the
 * same warning in every unit's description, which the console shows.
 */
public class CalendarWatch {

    private static final Logger log = LoggerFactory.getLogger(CalendarWatch.class);

    private final UnitDirectory directory;
    private final Clock clock;
    private final long warnDaysAhead;

    public CalendarWatch(UnitDirectory directory, Clock clock, long warnDaysAhead, MeterRegistry meters) {
        this.directory = directory;
        this.clock = clock;
        this.warnDaysAhead = warnDaysAhead;
        Gauge.builder("gridlink.calendar.covered.days", this, w -> w.coverage().daysLeft())
                .description("days until the first day whose public holidays the working calendar does not know")
                .register(meters);
    }

    /** The coverage of the calendar in use (the years the city published included) as of today in its zone. */
    public CalendarCoverage coverage() {
        WorkingCalendar calendar = directory.calendar();
        return CalendarCoverage.of(calendar, LocalDate.now(clock.withZone(calendar.zone())), warnDaysAhead);
    }

    @Scheduled(initialDelay = 0, fixedDelayString = "${gridlink.calendar.check-interval:24h}")
    public void check() {
        CalendarCoverage coverage = coverage();
        if (coverage.warning() != null) {
            log.warn("{}", coverage.warning());
        }
    }
}
