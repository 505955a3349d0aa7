package org.gridlink.kernel.calendar;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * One year's public holidays and make-up working days (调休上班) as the State Council's notice (节假日安排通知) sets them,
 * with where they come from ({@code source}, the notice's title and date; may be null). A holiday or a make-up working
 * day is listed under its year; a notice may start its 元旦 holiday in the last days of the year before (as the 2024
 * notice did), so each must have a day in the year.
 */
public record HolidayNotice(int year, String source, List<Holiday> holidays, List<MakeUpWorkingDay> workingDays) {

    public HolidayNotice {
        if (year < 1949 || year > 9999) {
            throw new IllegalArgumentException("year " + year + " is not a year of the calendar");
        }
        holidays = List.copyOf(Objects.requireNonNull(holidays, "holidays"));
        workingDays = List.copyOf(Objects.requireNonNull(workingDays, "workingDays"));
        for (Holiday h : holidays) {
            requireYear(year, h.from(), h.to(), h.name());
        }
        for (MakeUpWorkingDay w : workingDays) {
            requireYear(year, w.date(), w.date(), w.name());
        }
    }

    private static void requireYear(int year, LocalDate from, LocalDate to, String name) {
        if (from.getYear() != year && to.getYear() != year) {
            throw new IllegalArgumentException(name + " (" + from + (from.equals(to) ? "" : " to " + to)
                    + ") is listed under year " + year);
        }
    }
}
