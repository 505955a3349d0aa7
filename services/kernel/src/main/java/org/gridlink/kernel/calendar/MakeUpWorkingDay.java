package org.gridlink.kernel.calendar;

import java.time.LocalDate;
import java.util.Objects;

/** A weekend day that is a working day because a holiday was moved (调休上班). */
public record MakeUpWorkingDay(String name, String nameEn, LocalDate date) {

    public MakeUpWorkingDay {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(date, "date");
    }
}
