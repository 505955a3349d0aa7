package org.gridlink.kernel.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link WorkingCalendar#workingTimeBetween} counts the days between the first and the last instead of measuring
 * each: it must give what measuring each day gives, on generated pairs of instants up to 200 days apart (nights,
 * weekends, holidays, 调休 days, the years around the calendar's), in the sample city's calendar and in one whose
 * zone changes its offset inside office hours. The generator is seeded, so a failure names a sample that fails again
 * on every run.
 */
class WorkingTimeBetweenTest {

    private static final long SEED = 20261203L;
    private static final int SAMPLES = 2000;
    private static final Instant FROM = Calendars.at("2024-10-01T00:00");
    private static final Instant TO = Calendars.at("2027-03-01T00:00");

    /** Office hours across the night, in a zone whose clocks go forward and back at 02:00 and 03:00. */
    private static final WorkingCalendar BERLIN_NIGHTS = new WorkingCalendar(ZoneId.of("Europe/Berlin"),
            List.of(OfficePeriod.of("01:00", "04:00"), OfficePeriod.of("09:00", "17:00")),
            EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY), Set.of(2025, 2026),
            List.of(new Holiday("Tag der Arbeit", "Labour Day", LocalDate.parse("2026-05-01"), LocalDate.parse("2026-05-01")),
                    new Holiday("Weihnachten", "Christmas", LocalDate.parse("2025-12-24"), LocalDate.parse("2025-12-28"))),
            List.of(new MakeUpWorkingDay("ein Samstag", "a Saturday", LocalDate.parse("2026-03-28"))));

    static Stream<Arguments> pairs() {
        Random random = new Random(SEED);
        return IntStream.range(0, SAMPLES).mapToObj(i -> {
            Instant a = instant(random);
            // half within a few days (the first and last day and few between), half up to 200 days on
            long apart = random.nextBoolean() ? random.nextInt(4 * 24 * 3600) : (long) (random.nextDouble() * 200 * 24 * 3600);
            Instant b = a.plusSeconds(random.nextBoolean() ? apart - apart % 900 : apart);
            return Arguments.of(a, b);
        });
    }

    private static Instant instant(Random random) {
        long seconds = (long) (random.nextDouble() * (TO.getEpochSecond() - FROM.getEpochSecond()));
        // half on a whole quarter hour, to hit the office hours' bounds often
        return FROM.plusSeconds(random.nextBoolean() ? seconds - seconds % 900 : seconds);
    }

    @ParameterizedTest(name = "[{index}] {0} to {1}")
    @MethodSource("pairs")
    void countingTheDaysBetweenGivesWhatMeasuringEachGives(Instant a, Instant b) {
        for (WorkingCalendar calendar : List.of(Calendars.zhengzhou(), BERLIN_NIGHTS)) {
            assertThat(calendar.workingTimeBetween(a, b)).as(calendar.toString())
                    .isEqualTo(calendar.workingTimeDayByDay(a, b));
            assertThat(calendar.workingTimeBetween(b, a)).as(calendar.toString())
                    .isEqualTo(calendar.workingTimeDayByDay(a, b).negated());
        }
    }

    @Test
    void theDaysBetweenCountTheirHolidaysAndMakeUpWorkingDays() {
        WorkingCalendar zhengzhou = Calendars.zhengzhou();
        // Thursday 2026-09-17 09:00 (office hours begin) to Monday 2026-10-12 09:00 in the sample city: 25 days, 17
        // of them weekdays; the seeds' Mid-Autumn Festival (09-25 to 27) and National Day (10-01 to 07) take 6 of
        // those, and their make-up working days give back Sunday 09-20 and Saturday 10-10: 13 working days
        Instant a = Calendars.at("2026-09-17T09:00");
        Instant b = Calendars.at("2026-10-12T09:00");
        Duration day = zhengzhou.workingTimeDayByDay(Calendars.at("2026-09-17T00:00"), Calendars.at("2026-09-18T00:00"));

        assertThat(day).isPositive();
        assertThat(zhengzhou.workingTimeBetween(a, b)).isEqualTo(day.multipliedBy(13))
                .isEqualTo(zhengzhou.workingTimeDayByDay(a, b));
    }
}
