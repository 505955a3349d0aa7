package org.gridlink.kernel.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.gridlink.kernel.calendar.Calendars.at;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class TimeLimitTest {

    private final WorkingCalendar calendar = Calendars.zhengzhou();

    @Test
    void parsesTheSeedForm() {
        assertThat(TimeLimit.parse("2 WORKING_HOURS")).isEqualTo(TimeLimit.workingHours(2));
        assertThat(TimeLimit.parse("5 WORKING_DAYS")).isEqualTo(TimeLimit.workingDays(5));
        assertThat(TimeLimit.parse(" 24  calendar_hours ")).isEqualTo(TimeLimit.calendarHours(24));
        assertThat(TimeLimit.workingDays(5)).hasToString("5 WORKING_DAYS");
        assertThat(TimeLimit.parse(TimeLimit.workingHours(3).toString())).isEqualTo(TimeLimit.workingHours(3));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"2", "WORKING_HOURS", "two WORKING_HOURS", "2 FORTNIGHTS", "0 WORKING_DAYS", "-1 WORKING_HOURS",
            "1.5 WORKING_HOURS", "2WORKING_HOURS"})
    void refusesAnythingElse(String text) {
        assertThatThrownBy(() -> TimeLimit.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("time limit");
    }

    @Test
    void workingHoursRunOnTheCalendar() {
        assertThat(TimeLimit.workingHours(2).dueFrom(at("2026-03-06T16:30"), calendar)).isEqualTo(at("2026-03-09T10:00"));
    }

    @Test
    void workingDaysEndAtTheCloseOfTheLastDay() {
        assertThat(TimeLimit.workingDays(2).dueFrom(at("2026-03-06T10:00"), calendar)).isEqualTo(at("2026-03-10T17:30"));
    }

    @Test
    void calendarHoursIgnoreTheCalendar() {
        assertThat(TimeLimit.calendarHours(24).dueFrom(at("2026-02-13T16:30"), calendar)).isEqualTo(at("2026-02-14T16:30"));
        assertThat(TimeLimit.calendarHours(4).dueFrom(at("2026-02-17T22:00"), calendar))
                .as("a night in 春节").isEqualTo(at("2026-02-18T02:00"));
    }

    @Test
    void aDeadlineKnowsWhetherItRunsInWorkingTime() {
        assertThat(TimeLimit.workingHours(2).deadlineFrom(at("2026-03-06T16:30"), calendar))
                .isEqualTo(new Deadline(at("2026-03-06T16:30"), at("2026-03-09T10:00"), true));
        assertThat(TimeLimit.calendarHours(2).deadlineFrom(at("2026-03-06T16:30"), calendar))
                .isEqualTo(new Deadline(at("2026-03-06T16:30"), at("2026-03-06T18:30"), false));
    }

    @Test
    void stageLimitsAnswerPerStage() {
        StageLimits limits = new StageLimits(TimeLimit.workingHours(2), TimeLimit.workingDays(5), TimeLimit.workingDays(1));
        assertThat(limits.of(Stage.ACCEPTANCE)).isEqualTo(TimeLimit.workingHours(2));
        assertThat(limits.of(Stage.HANDLING)).isEqualTo(TimeLimit.workingDays(5));
        assertThat(limits.of(Stage.VERIFICATION)).isEqualTo(TimeLimit.workingDays(1));
    }
}
