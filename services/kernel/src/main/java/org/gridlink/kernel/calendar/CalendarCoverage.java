package org.gridlink.kernel.calendar;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * How far ahead the working calendar knows the public holidays, as of a day. Past the years it carries, only weekends
 * are days off (every time limit that runs there counts a holiday as a working day), so a city adds each year's State
 * Council notice before the year begins (the notice comes out in November or December): its administrator publishes
 * it, and every node takes it up.
 *
 * @param years        the years whose holidays the calendar carries
 * @param coveredUntil the last day of the unbroken run of such years from today's on; null when today's is not one
 * @param daysLeft     the days from today until the first day the calendar does not cover (0: today is not covered)
 * @param nextYear     the first year from today's on that the calendar does not cover
 * @param warning      what to do, when fewer than the days warned ahead are left; null otherwise
 */
public record CalendarCoverage(List<Integer> years, LocalDate coveredUntil, long daysLeft, int nextYear,
                               String warning) {

    public static CalendarCoverage of(WorkingCalendar calendar, LocalDate today, long warnDaysAhead) {
        int year = today.getYear();
        while (calendar.years().contains(year)) {
            year++;
        }
        LocalDate firstUncovered = LocalDate.of(year, 1, 1);
        LocalDate coveredUntil = year == today.getYear() ? null : firstUncovered.minusDays(1);
        long daysLeft = coveredUntil == null ? 0 : ChronoUnit.DAYS.between(today, firstUncovered);
        String warning = null;
        if (daysLeft < warnDaysAhead) {
            String what = coveredUntil == null
                    ? "the working calendar has no public holidays of " + year + ": every day but the weekend counts"
                    + " as a working day in the time limits"
                    : "the working calendar has the public holidays until " + coveredUntil + " (" + daysLeft
                    + " days left): from " + firstUncovered + " every day but the weekend counts as a working day in"
                    + " the time limits, also for a limit that starts before";
            warning = what + "; the city's administrator publishes the State Council's holiday notice of " + year
                    + " (日历发布: the console's calendar, or PUT /api/units/{city}/calendar/" + year + ")";
        }
        return new CalendarCoverage(List.copyOf(calendar.years()), coveredUntil, daysLeft, year, warning);
    }
}
