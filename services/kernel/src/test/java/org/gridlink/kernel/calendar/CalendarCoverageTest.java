package org.gridlink.kernel.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How far ahead the calendar knows the holidays, and the warning an operator gets before it ends. */
class CalendarCoverageTest {

    @Test
    void earlyInDecemberTheSeedsLastYearEndsWithinTheWarningAndNamesTheNoticeToAdd() {
        // the sample city carries 2025 and 2026
        CalendarCoverage coverage = CalendarCoverage.of(Calendars.zhengzhou(), LocalDate.of(2026, 12, 5), 60);
        assertThat(coverage.years()).containsExactly(2025, 2026);
        assertThat(coverage.coveredUntil()).isEqualTo(LocalDate.of(2026, 12, 31));
        assertThat(coverage.daysLeft()).isEqualTo(27);
        assertThat(coverage.nextYear()).isEqualTo(2027);
        assertThat(coverage.warning()).contains("until 2026-12-31 (27 days left)", "from 2027-01-01",
                "holiday notice of 2027");
    }

    @Test
    void noWarningWhileMoreDaysThanWarnedAheadAreLeft() {
        CalendarCoverage june = CalendarCoverage.of(Calendars.zhengzhou(), LocalDate.of(2026, 6, 1), 60);
        assertThat(june.daysLeft()).isEqualTo(214);
        assertThat(june.warning()).isNull();
        // the last day warned about, and the day before it
        assertThat(CalendarCoverage.of(Calendars.zhengzhou(), LocalDate.of(2026, 11, 2), 60).warning()).isNull();
        assertThat(CalendarCoverage.of(Calendars.zhengzhou(), LocalDate.of(2026, 11, 3), 60).warning()).isNotNull();
    }

    @Test
    void aYearNotCoveredIsSaidSoFromItsFirstDay() {
        CalendarCoverage coverage = CalendarCoverage.of(Calendars.zhengzhou(), LocalDate.of(2027, 1, 1), 60);
        assertThat(coverage.coveredUntil()).isNull();
        assertThat(coverage.daysLeft()).isZero();
        assertThat(coverage.nextYear()).isEqualTo(2027);
        assertThat(coverage.warning()).contains("no public holidays of 2027");
    }

    @Test
    void theRunOfYearsEndsAtTheFirstGap() {
        WorkingCalendar gap = new WorkingCalendar(Calendars.SHANGHAI, List.of(new OfficePeriod(LocalTime.of(9, 0),
                LocalTime.of(17, 0))), EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY), Set.of(2025, 2027), List.of(),
                List.of());
        CalendarCoverage coverage = CalendarCoverage.of(gap, LocalDate.of(2025, 12, 20), 30);
        assertThat(coverage.coveredUntil()).isEqualTo(LocalDate.of(2025, 12, 31));
        assertThat(coverage.nextYear()).isEqualTo(2026);
        assertThat(coverage.warning()).contains("holiday notice of 2026");
    }
}
