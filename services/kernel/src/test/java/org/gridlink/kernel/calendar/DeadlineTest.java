package org.gridlink.kernel.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;
import static org.gridlink.kernel.calendar.Calendars.at;

import java.time.Duration;
import org.gridlink.kernel.calendar.DeadlineStatus.Warning;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeadlineTest {

    private final WorkingCalendar calendar = Calendars.zhengzhou();

    // 4 working hours from Tuesday 09:00: 3 in the morning, 1 after lunch, due 14:30
    private final Deadline fourWorkingHours = TimeLimit.workingHours(4).deadlineFrom(at("2026-03-03T09:00"), calendar);

    @ParameterizedTest(name = "at {0}: {1} used, {2} minutes left, {3}")
    @CsvSource({
            "2026-03-03T08:00, 0.0,   240, NONE",
            "2026-03-03T09:00, 0.0,   240, NONE",
            "2026-03-03T10:59, 0.4958, 121, NONE",
            "2026-03-03T11:00, 0.5,   120, HALF",
            "2026-03-03T12:00, 0.75,   60, THREE_QUARTERS",
            "2026-03-03T13:00, 0.75,   60, THREE_QUARTERS",
            "2026-03-03T14:30, 1.0,     0, THREE_QUARTERS",
            "2026-03-03T14:31, 1.0,    -1, OVERDUE",
            "2026-03-04T09:00, 1.0,  -180, OVERDUE",
    })
    void warnsAtHalfAndThreeQuartersOfTheWorkingTimeAndWhenOverdue(String now, double elapsed, long minutesLeft,
                                                                  Warning warning) {
        DeadlineStatus status = fourWorkingHours.statusAt(at(now), calendar);
        assertThat(status.elapsed()).isCloseTo(elapsed, offset(0.0001));
        assertThat(status.timeLeft()).isEqualTo(Duration.ofMinutes(minutesLeft));
        assertThat(status.warning()).isEqualTo(warning);
        assertThat(status.overdue()).isEqualTo(warning == Warning.OVERDUE);
    }

    @Test
    void aWeekendUsesNoWorkingTime() {
        Deadline deadline = TimeLimit.workingHours(2).deadlineFrom(at("2026-03-06T16:30"), calendar);
        DeadlineStatus saturday = deadline.statusAt(at("2026-03-07T12:00"), calendar);
        assertThat(saturday.elapsed()).isEqualTo(0.5);
        assertThat(saturday.timeLeft()).isEqualTo(Duration.ofHours(1));
        assertThat(saturday.warning()).isEqualTo(Warning.HALF);
        assertThat(deadline.statusAt(at("2026-03-09T09:45"), calendar).warning()).isEqualTo(Warning.THREE_QUARTERS);
        assertThat(deadline.statusAt(at("2026-03-09T10:00:01"), calendar).warning()).isEqualTo(Warning.OVERDUE);
    }

    @Test
    void aCalendarHoursDeadlineCountsNightsAndHolidays() {
        Deadline deadline = TimeLimit.calendarHours(24).deadlineFrom(at("2026-02-13T16:30"), calendar);
        DeadlineStatus status = deadline.statusAt(at("2026-02-14T10:30"), calendar);
        assertThat(status.elapsed()).isEqualTo(0.75);
        assertThat(status.timeLeft()).isEqualTo(Duration.ofHours(6));
        assertThat(status.warning()).isEqualTo(Warning.THREE_QUARTERS);
        assertThat(deadline.statusAt(at("2026-02-15T10:30"), calendar).timeLeft()).isEqualTo(Duration.ofHours(-18));
    }

    @Test
    void overdueAfterDueEvenWhenNoWorkingTimeHasPassedSince() {
        // due Friday 17:30; on Saturday no working time has passed since, but the clock has run out
        Deadline deadline = TimeLimit.workingDays(1).deadlineFrom(at("2026-03-05T10:00"), calendar);
        assertThat(deadline.due()).isEqualTo(at("2026-03-06T17:30"));
        DeadlineStatus saturday = deadline.statusAt(at("2026-03-07T10:00"), calendar);
        assertThat(saturday.overdue()).isTrue();
        assertThat(saturday.warning()).isEqualTo(Warning.OVERDUE);
        assertThat(saturday.timeLeft()).isZero();
        assertThat(saturday.elapsed()).isEqualTo(1.0);
    }

    @Test
    void aWorkingDaysDeadlineMeasuresItsFractionInWorkingTime() {
        // Thursday 10:00 to Friday 17:30 is 13 working hours (6 on Thursday, 7 on Friday)
        Deadline deadline = TimeLimit.workingDays(1).deadlineFrom(at("2026-03-05T10:00"), calendar);
        assertThat(deadline.statusAt(at("2026-03-06T10:00"), calendar).elapsed()).isCloseTo(7.0 / 13,
                offset(1e-9));
        assertThat(deadline.statusAt(at("2026-03-06T10:00"), calendar).warning()).isEqualTo(Warning.HALF);
    }

    @Test
    void dueBeforeStartIsRefused() {
        assertThatThrownBy(() -> new Deadline(at("2026-03-06T10:00"), at("2026-03-06T09:00"), true))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
