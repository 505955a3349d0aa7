package org.gridlink.kernel.calendar;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A running clock: when it started, when it is due, and whether its time is measured in working time (limits in
 * working hours or days) or on the clock (calendar hours). What a record keeps to tell its status at any moment.
 */
public record Deadline(Instant start, Instant due, boolean workingTime) {

    public Deadline {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(due, "due");
        if (due.isBefore(start)) {
            throw new IllegalArgumentException("due " + due + " is before start " + start);
        }
    }

    /**
     * Where the clock stands at {@code now}: the fraction of its time used (0 to 1), the time left (negative once
     * overdue, by how much), whether it is overdue (now is after due) and the warning level. Working-time clocks
     * measure both in working time, so a night or a holiday uses none of it.
     */
    public DeadlineStatus statusAt(Instant now, WorkingCalendar calendar) {
        Duration total = measure(start, due, calendar);
        Duration used = now.isBefore(start) ? Duration.ZERO : measure(start, now, calendar);
        Duration left = measure(now, due, calendar);
        boolean overdue = now.isAfter(due);
        double fraction;
        if (total.isZero()) {
            fraction = now.isBefore(due) ? 0 : 1;
        } else {
            fraction = Math.min(1.0, Math.max(0.0, seconds(used) / seconds(total)));
        }
        return new DeadlineStatus(fraction, left, overdue, DeadlineStatus.Warning.of(fraction, overdue));
    }

    private Duration measure(Instant a, Instant b, WorkingCalendar calendar) {
        return workingTime ? calendar.workingTimeBetween(a, b) : Duration.between(a, b);
    }

    private static double seconds(Duration d) {
        return d.getSeconds() + d.getNano() / 1e9;
    }
}
