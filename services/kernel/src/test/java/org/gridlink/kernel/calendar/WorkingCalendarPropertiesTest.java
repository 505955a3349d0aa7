package org.gridlink.kernel.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Laws of working-time arithmetic, checked on many generated starts and durations: starts anywhere in time
 * (nights, weekends, holidays, 调休 days, the years around the calendar's), durations to the second. The generator is
 * seeded, so a failure names a sample that fails again on every run.
 */
class WorkingCalendarPropertiesTest {

    private static final long SEED = 20260214L;
    private static final int SAMPLES = 1000;
    private static final Instant FROM = Calendars.at("2024-12-20T00:00");
    private static final Instant TO = Calendars.at("2027-01-10T00:00");

    private final WorkingCalendar calendar = Calendars.zhengzhou();

    static Stream<Arguments> samples() {
        Random random = new Random(SEED);
        return IntStream.range(0, SAMPLES).mapToObj(i -> Arguments.of(instant(random), duration(random), duration(random),
                1 + random.nextInt(30)));
    }

    private static Instant instant(Random random) {
        long span = TO.getEpochSecond() - FROM.getEpochSecond();
        // half the starts on a whole quarter hour, to hit period boundaries (09:00, 12:00, 13:30, 17:30) often
        long seconds = (long) (random.nextDouble() * span);
        return FROM.plusSeconds(random.nextBoolean() ? seconds - seconds % 900 : seconds);
    }

    private static Duration duration(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> Duration.ZERO.plusMinutes(30L * random.nextInt(8)); // 0 to 3.5 hours in half hours, 0 included
            case 1 -> Duration.ofHours(random.nextInt(8));                   // whole hours up to a working day
            case 2 -> Duration.ofSeconds(random.nextInt(60 * 60 * 60));      // up to 60 hours, to the second
            default -> Duration.ofMinutes(random.nextInt(60 * 24 * 3));      // up to 72 hours in minutes
        };
    }

    @ParameterizedTest(name = "[{index}] start {0}, d1 {1}, d2 {2}")
    @MethodSource("samples")
    void addingInTwoStepsIsAddingOnce(Instant start, Duration d1, Duration d2, int days) {
        assertThat(calendar.addWorking(calendar.addWorking(start, d1), d2)).isEqualTo(calendar.addWorking(start, d1.plus(d2)));
    }

    @ParameterizedTest(name = "[{index}] start {0}, d {1}")
    @MethodSource("samples")
    void theWorkingTimeToWhatWasAddedIsWhatWasAdded(Instant start, Duration d, Duration unused, int days) {
        assertThat(calendar.workingTimeBetween(start, calendar.addWorking(start, d))).isEqualTo(d);
    }

    @ParameterizedTest(name = "[{index}] start {0}, d {1}, {3} days")
    @MethodSource("samples")
    void dueIsNeverBeforeStart(Instant start, Duration d, Duration unused, int days) {
        assertThat(calendar.addWorking(start, d)).isAfterOrEqualTo(start);
        assertThat(calendar.addWorkingDays(start, days)).isAfter(start);
        for (LimitUnit unit : LimitUnit.values()) {
            assertThat(new TimeLimit(days, unit).dueFrom(start, calendar)).as(unit.name()).isAfter(start);
        }
    }

    @ParameterizedTest(name = "[{index}] start {0}, d {1}")
    @MethodSource("samples")
    void addedWorkingTimeEndsInsideOfficeHoursOfAWorkingDay(Instant start, Duration d, Duration unused, int days) {
        if (d.isZero()) {
            return;
        }
        Instant due = calendar.addWorking(start, d);
        assertThat(calendar.workingIntervals(due.atZone(calendar.zone()).toLocalDate()))
                .anySatisfy(i -> assertThat(due).isAfter(i.start()).isBeforeOrEqualTo(i.end()));
    }

    @ParameterizedTest(name = "[{index}] start {0}, {3} days")
    @MethodSource("samples")
    void workingDaysEndAtCloseOfTheNthWorkingDayAfterTheStartDay(Instant start, Duration unused1, Duration unused2,
                                                                 int days) {
        Instant due = calendar.addWorkingDays(start, days);
        var startDay = start.atZone(calendar.zone()).toLocalDate();
        var dueDay = due.atZone(calendar.zone()).toLocalDate();
        assertThat(calendar.isWorkingDay(dueDay)).isTrue();
        assertThat(startDay.plusDays(1).datesUntil(dueDay.plusDays(1)).filter(calendar::isWorkingDay).count()).isEqualTo(days);
        assertThat(due.atZone(calendar.zone()).toLocalTime()).isEqualTo(LocalTime.of(17, 30));
    }
}
