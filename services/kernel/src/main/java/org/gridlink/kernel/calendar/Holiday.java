package org.gridlink.kernel.calendar;

import java.time.LocalDate;
import java.util.Objects;

/** A public holiday period (法定节假日, weekends it swallows included), {@code from} and {@code to} both inclusive. */
public record Holiday(String name, String nameEn, LocalDate from, LocalDate to) {

    public Holiday {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("holiday " + name + " ends (" + to + ") before it starts (" + from + ")");
        }
    }

    public boolean contains(LocalDate date) {
        return !date.isBefore(from) && !date.isAfter(to);
    }
}
