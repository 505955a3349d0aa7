package org.gridlink.kernel.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A year the city publishes after the seeds (日历发布): it is added, or replaces what was listed under that year, and
 * nothing else. The holidays here are made up for the test (测试), not any year's notice.
 */
class PublishedYearTest {

    static final HolidayNotice TEST_2027 = new HolidayNotice(2027, "测试通知 (a test)",
            List.of(new Holiday("测试假日", "Test holiday", LocalDate.parse("2027-01-01"), LocalDate.parse("2027-01-03")),
                    new Holiday("测试长假", "Test week", LocalDate.parse("2027-02-08"), LocalDate.parse("2027-02-14"))),
            List.of(new MakeUpWorkingDay("测试调休上班", "Test make-up day", LocalDate.parse("2027-02-06"))));

    @Test
    void aYearNotCoveredIsAddedAndTheOthersStay() {
        WorkingCalendar seeds = Calendars.zhengzhou();
        assertThat(seeds.covers(LocalDate.parse("2027-01-01"))).isFalse();
        assertThat(seeds.isWorkingDay(LocalDate.parse("2027-01-01"))).isTrue(); // a Friday, no holiday known

        WorkingCalendar published = seeds.withYear(TEST_2027);

        assertThat(published.years()).containsExactly(2025, 2026, 2027);
        assertThat(published.isWorkingDay(LocalDate.parse("2027-01-01"))).isFalse();
        assertThat(published.holiday(LocalDate.parse("2027-02-10"))).map(Holiday::name).contains("测试长假");
        assertThat(published.isWorkingDay(LocalDate.parse("2027-02-06"))).isTrue(); // a Saturday worked
        assertThat(published.isWorkingDay(LocalDate.parse("2027-02-13"))).isFalse(); // a Saturday in the holiday
        assertThat(published.notices().get(2027)).isEqualTo(TEST_2027);
        // the seeds' years as they were
        assertThat(published.notices().get(2026)).isEqualTo(seeds.notices().get(2026));
        assertThat(published.isWorkingDay(LocalDate.parse("2026-10-01"))).isFalse();
        assertThat(published.isWorkingDay(LocalDate.parse("2026-10-10"))).isTrue();
        assertThat(seeds.years()).containsExactly(2025, 2026); // a calendar is not changed, a new one is made
        assertThat(CalendarCoverage.of(published, LocalDate.parse("2026-12-06"), 60).warning()).isNull();
        assertThat(CalendarCoverage.of(seeds, LocalDate.parse("2026-12-06"), 60).warning())
                .contains("publishes the State Council's holiday notice of 2027");
    }

    @Test
    void aDaysWorkingIntervalsAreTheCalendarsOwn() {
        WorkingCalendar seeds = Calendars.zhengzhou();
        LocalDate newYear = LocalDate.parse("2027-01-01");
        // the seeds' calendar keeps the day it computed, as a working day; the calendar with the year published does
        // not take it from there
        assertThat(seeds.workingIntervals(newYear)).hasSize(2);
        assertThat(seeds.workingIntervals(newYear)).isSameAs(seeds.workingIntervals(newYear));
        assertThat(seeds.withYear(TEST_2027).workingIntervals(newYear)).isEmpty();
        assertThat(seeds.workingIntervals(newYear)).hasSize(2);
    }

    @Test
    void aYearListedBeforeIsReplacedWhole() {
        WorkingCalendar seeds = Calendars.zhengzhou();
        assertThat(seeds.notices().get(2026).source()).contains("2026");
        HolidayNotice corrected = new HolidayNotice(2026, "更正 (a test)",
                List.of(new Holiday("测试国庆", "Test National Day", LocalDate.parse("2026-10-01"),
                        LocalDate.parse("2026-10-08"))), List.of());

        WorkingCalendar published = seeds.withYear(corrected);

        assertThat(published.notices().get(2026)).isEqualTo(corrected);
        assertThat(published.isWorkingDay(LocalDate.parse("2026-10-08"))).isFalse(); // the new listing's day
        assertThat(published.isWorkingDay(LocalDate.parse("2026-02-16"))).isTrue(); // the old Spring Festival is gone
        assertThat(published.isWorkingDay(LocalDate.parse("2026-10-10"))).isFalse(); // its make-up Saturday too
        assertThat(published.holidays()).noneMatch(h -> h.from().getYear() == 2026 && h.name().equals("春节"));
        assertThat(published.notices().get(2025)).isEqualTo(seeds.notices().get(2025));
    }

    @Test
    void aNoticeThatDoesNotFitIsRefused() {
        WorkingCalendar seeds = Calendars.zhengzhou();
        assertThatThrownBy(() -> seeds.withYear(new HolidayNotice(2027, null, List.of(TEST_2027.holidays().get(0)),
                List.of(new MakeUpWorkingDay("测试", null, LocalDate.parse("2027-01-05"))))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TUESDAY");
        assertThatThrownBy(() -> seeds.withYear(new HolidayNotice(2027, null, List.of(TEST_2027.holidays().get(0),
                new Holiday("重叠", null, LocalDate.parse("2027-01-03"), LocalDate.parse("2027-01-04"))), List.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2027-01-03 is in two holidays");
        assertThatThrownBy(() -> new HolidayNotice(2027, null, List.of(new Holiday("去年", null,
                LocalDate.parse("2026-10-01"), LocalDate.parse("2026-10-02"))), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is listed under year 2027");
        // a 元旦 that starts in the last days of the year before is the year's
        assertThat(new HolidayNotice(2027, null, List.of(new Holiday("跨年", null, LocalDate.parse("2026-12-31"),
                LocalDate.parse("2027-01-01"))), List.of()).holidays()).hasSize(1);
    }
}
