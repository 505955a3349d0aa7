package org.gridlink.kernel.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.gridlink.kernel.calendar.Calendars.at;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkingCalendarTest {

    private final WorkingCalendar calendar = Calendars.zhengzhou();

    @Nested
    class WorkingDays {

        @ParameterizedTest(name = "{0} ({1}) is a working day: {2}")
        @CsvSource({
                "2026-03-06, an ordinary Friday,                     true",
                "2026-03-07, an ordinary Saturday,                   false",
                "2026-03-08, an ordinary Sunday,                     false",
                "2026-02-14, a 调休 Saturday before 春节,             true",
                "2026-02-28, a 调休 Saturday after 春节,              true",
                "2026-02-16, a Monday in 春节,                        false",
                "2026-02-23, the last day of 春节 (a Monday),         false",
                "2026-02-24, the Tuesday after 春节,                  true",
                "2025-01-26, a 调休 Sunday before 春节 2025,          true",
                "2025-01-28, 除夕 2025 (a Tuesday),                   false",
                "2025-10-08, the last day of 国庆 2025 (a Wednesday), false",
                "2025-10-11, a 调休 Saturday after 国庆 2025,         true",
                "2026-01-02, 元旦 2026 (a Friday),                    false",
                "2026-01-04, a 调休 Sunday after 元旦 2026,           true",
        })
        void followTheNoticeAndTheWeekend(LocalDate date, String what, boolean working) {
            assertThat(calendar.isWorkingDay(date)).as("%s, %s", date, what).isEqualTo(working);
        }

        @Test
        void holidaysAndMakeUpDaysHaveNames() {
            assertThat(calendar.holiday(LocalDate.parse("2026-02-17"))).get().extracting(Holiday::name).isEqualTo("春节");
            assertThat(calendar.makeUpWorkingDay(LocalDate.parse("2026-02-14"))).get()
                    .extracting(MakeUpWorkingDay::name).isEqualTo("春节调休上班");
            assertThat(calendar.holiday(LocalDate.parse("2026-03-06"))).isEmpty();
        }

        @Test
        void outsideTheCoveredYearsOnlyWeekendsAreDaysOff() {
            LocalDate nationalDay2027 = LocalDate.parse("2027-10-01");
            assertThat(calendar.covers(nationalDay2027)).isFalse();
            assertThat(calendar.covers(LocalDate.parse("2026-10-01"))).isTrue();
            assertThat(calendar.isWorkingDay(nationalDay2027)).as("a Friday the calendar knows no holiday on").isTrue();
            assertThat(calendar.isWorkingDay(LocalDate.parse("2027-10-02"))).isFalse();
        }

        @Test
        void workingIntervalsAreTheOfficeHoursInZhengzhouTime() {
            assertThat(calendar.workingIntervals(LocalDate.parse("2026-03-06"))).containsExactly(
                    new WorkingInterval(at("2026-03-06T09:00"), at("2026-03-06T12:00")),
                    new WorkingInterval(at("2026-03-06T13:30"), at("2026-03-06T17:30")));
            assertThat(calendar.workingIntervals(LocalDate.parse("2026-03-06")).get(0).start())
                    .hasToString("2026-03-06T01:00:00Z");
            assertThat(calendar.workingIntervals(LocalDate.parse("2026-02-17"))).isEmpty();
            assertThat(calendar.workingIntervals(LocalDate.parse("2026-03-07"))).isEmpty();
        }
    }

    @Nested
    class AddWorking {

        @ParameterizedTest(name = "{0} + {1} working hours = {2} ({3})")
        @CsvSource({
                "2026-03-06T16:30, 2,  2026-03-09T10:00, Friday afternoon into Monday morning",
                "2026-03-03T10:00, 2,  2026-03-03T12:00, ends exactly at lunch: at 12:00 not 13:30",
                "2026-03-03T11:30, 1,  2026-03-03T14:00, over the lunch break",
                "2026-03-03T12:30, 1,  2026-03-03T14:30, started in the lunch break",
                "2026-03-03T20:00, 1,  2026-03-04T10:00, started in the evening",
                "2026-03-04T07:00, 1,  2026-03-04T10:00, started before office hours",
                "2026-03-07T10:00, 1,  2026-03-09T10:00, started on a Saturday",
                "2026-03-03T09:00, 7,  2026-03-03T17:30, one full working day",
                "2026-03-03T09:00, 14, 2026-03-04T17:30, two full working days",
                "2026-02-13T16:30, 2,  2026-02-14T10:00, into the 调休 Saturday before 春节",
                "2026-02-14T16:30, 2,  2026-02-24T10:00, across 春节 2026",
                "2026-02-17T10:00, 2,  2026-02-24T11:00, started in 春节 2026",
                "2025-01-27T16:30, 2,  2025-02-05T10:00, across 春节 2025",
                "2025-01-25T10:00, 1,  2025-01-26T10:00, a Saturday start reaches the 调休 Sunday",
                "2025-10-03T10:00, 2,  2025-10-09T11:00, started in 国庆 2025",
                "2025-12-31T16:30, 2,  2026-01-04T10:00, across 元旦 2026 into the 调休 Sunday",
        })
        void countsOnlyOfficeHoursOfWorkingDays(String start, int hours, String due, String what) {
            assertThat(calendar.addWorking(at(start), Duration.ofHours(hours))).as(what).isEqualTo(at(due));
        }

        @Test
        void zeroWorkingTimeIsTheStartItself() {
            assertThat(calendar.addWorking(at("2026-03-07T22:00"), Duration.ZERO)).isEqualTo(at("2026-03-07T22:00"));
        }

        @Test
        void minutesAndSecondsCount() {
            assertThat(calendar.addWorking(at("2026-03-06T17:29:30"), Duration.ofSeconds(45)))
                    .isEqualTo(at("2026-03-09T09:00:15"));
        }

        @Test
        void negativeWorkingTimeIsRefused() {
            assertThatThrownBy(() -> calendar.addWorking(at("2026-03-06T10:00"), Duration.ofMinutes(-1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
        }
    }

    @Nested
    class AddWorkingDays {

        @ParameterizedTest(name = "{0} + {1} working days = {2} ({3})")
        @CsvSource({
                "2026-03-06T10:00, 2, 2026-03-10T17:30, the start day does not count; ends at close of office hours",
                "2026-03-06T08:00, 1, 2026-03-09T17:30, even when started before office hours",
                "2026-03-06T23:00, 1, 2026-03-09T17:30, or in the evening",
                "2026-03-07T10:00, 1, 2026-03-09T17:30, started on a Saturday",
                "2026-03-02T09:00, 5, 2026-03-09T17:30, a working week",
                "2026-02-13T10:00, 1, 2026-02-14T17:30, the 调休 Saturday counts",
                "2026-02-13T10:00, 2, 2026-02-24T17:30, then 春节",
                "2026-02-17T10:00, 1, 2026-02-24T17:30, started in 春节",
                "2025-09-30T10:00, 1, 2025-10-09T17:30, 国庆 2025",
                "2025-09-26T10:00, 1, 2025-09-28T17:30, the 调休 Sunday before 国庆 2025 counts",
        })
        void countWholeWorkingDaysAfterTheStartDay(String start, int days, String due, String what) {
            assertThat(calendar.addWorkingDays(at(start), days)).as(what).isEqualTo(at(due));
        }

        @Test
        void zeroDaysIsTheStartItselfAndNegativeIsRefused() {
            assertThat(calendar.addWorkingDays(at("2026-03-06T10:00"), 0)).isEqualTo(at("2026-03-06T10:00"));
            assertThatThrownBy(() -> calendar.addWorkingDays(at("2026-03-06T10:00"), -1))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class WorkingTimeBetween {

        @Test
        void countsOnlyOfficeHoursOfWorkingDays() {
            assertThat(calendar.workingTimeBetween(at("2026-03-06T16:30"), at("2026-03-09T10:00"))).isEqualTo(Duration.ofHours(2));
            assertThat(calendar.workingTimeBetween(at("2026-03-03T00:00"), at("2026-03-04T00:00"))).isEqualTo(Duration.ofHours(7));
            assertThat(calendar.workingTimeBetween(at("2026-03-03T11:00"), at("2026-03-03T14:00"))).isEqualTo(Duration.ofMinutes(90));
            assertThat(calendar.workingTimeBetween(at("2026-02-15T00:00"), at("2026-02-23T23:59"))).as("春节 2026").isZero();
            assertThat(calendar.workingTimeBetween(at("2026-02-13T00:00"), at("2026-02-25T00:00")))
                    .as("Friday, the 调休 Saturday and the Tuesday after 春节").isEqualTo(Duration.ofHours(21));
        }

        @Test
        void isNegativeBackwardsAndZeroForTheSameInstant() {
            assertThat(calendar.workingTimeBetween(at("2026-03-09T10:00"), at("2026-03-06T16:30"))).isEqualTo(Duration.ofHours(-2));
            assertThat(calendar.workingTimeBetween(at("2026-03-09T10:00"), at("2026-03-09T10:00"))).isZero();
        }
    }

    @Nested
    class Validation {

        private final List<OfficePeriod> office = List.of(OfficePeriod.of("09:00", "12:00"), OfficePeriod.of("13:30", "17:30"));
        private final Set<DayOfWeek> weekend = Set.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
        private final ZoneId zone = Calendars.SHANGHAI;

        @Test
        void aMakeUpWorkingDayMustBeAWeekendDay() {
            assertThatThrownBy(() -> new WorkingCalendar(zone, office, weekend, Set.of(2026), List.of(),
                    List.of(new MakeUpWorkingDay("调休", null, LocalDate.parse("2026-03-06")))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("FRIDAY");
        }

        @Test
        void aDayCannotBeBothHolidayAndMakeUpWorkingDay() {
            assertThatThrownBy(() -> new WorkingCalendar(zone, office, weekend, Set.of(2026),
                    List.of(new Holiday("春节", null, LocalDate.parse("2026-02-15"), LocalDate.parse("2026-02-23"))),
                    List.of(new MakeUpWorkingDay("调休", null, LocalDate.parse("2026-02-21")))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2026-02-21");
        }

        @Test
        void officeHoursMustNotOverlapNorBeMissing() {
            assertThatThrownBy(() -> WorkingCalendar.weekdays(zone,
                    List.of(OfficePeriod.of("09:00", "12:30"), OfficePeriod.of("12:00", "17:00"))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("overlap");
            assertThatThrownBy(() -> WorkingCalendar.weekdays(zone, List.of()))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new OfficePeriod(LocalTime.NOON, LocalTime.of(9, 0)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
