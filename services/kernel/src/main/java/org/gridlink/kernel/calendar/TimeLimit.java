package org.gridlink.kernel.calendar;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A time limit (时限) such as {@code 2 WORKING_HOURS}, {@code 5 WORKING_DAYS} or {@code 24 CALENDAR_HOURS}. */
public record TimeLimit(int amount, LimitUnit unit) {

    private static final Pattern TEXT = Pattern.compile("\\s*(\\d{1,6})\\s+([A-Za-z_]+)\\s*");

    public TimeLimit {
        Objects.requireNonNull(unit, "unit");
        if (amount < 1) {
            throw new IllegalArgumentException("a time limit must be at least 1 " + unit + ", not " + amount);
        }
    }

    public static TimeLimit workingHours(int hours) {
        return new TimeLimit(hours, LimitUnit.WORKING_HOURS);
    }

    public static TimeLimit workingDays(int days) {
        return new TimeLimit(days, LimitUnit.WORKING_DAYS);
    }

    public static TimeLimit calendarHours(int hours) {
        return new TimeLimit(hours, LimitUnit.CALENDAR_HOURS);
    }

    /** Reads the seed form: a positive whole number, a space, and a unit, e.g. {@code "2 WORKING_HOURS"}. */
    public static TimeLimit parse(String text) {
        Matcher m = TEXT.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException("time limit '" + text + "' is not '<amount> <unit>' with a unit among "
                    + Arrays.toString(LimitUnit.values()) + ", e.g. '2 WORKING_HOURS'");
        }
        LimitUnit unit;
        try {
            unit = LimitUnit.valueOf(m.group(2).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("time limit '" + text + "' has unknown unit '" + m.group(2)
                    + "'; known: " + Arrays.toString(LimitUnit.values()), e);
        }
        return new TimeLimit(Integer.parseInt(m.group(1)), unit);
    }

    /** When a clock started at {@code start} under this limit runs out. */
    public Instant dueFrom(Instant start, WorkingCalendar calendar) {
        return switch (unit) {
            case WORKING_HOURS -> calendar.addWorking(start, Duration.ofHours(amount));
            case WORKING_DAYS -> calendar.addWorkingDays(start, amount);
            case CALENDAR_HOURS -> start.plus(Duration.ofHours(amount));
        };
    }

    /** The deadline of a clock started at {@code start} under this limit. */
    public Deadline deadlineFrom(Instant start, WorkingCalendar calendar) {
        return new Deadline(start, dueFrom(start, calendar), unit.working());
    }

    /** The seed form, e.g. {@code 2 WORKING_HOURS}. */
    @Override
    public String toString() {
        return amount + " " + unit;
    }
}
