package org.gridlink.kernel.calendar;

import java.time.LocalTime;
import java.util.Objects;

/** One stretch of office hours on a working day, such as 09:00–12:00; {@code from} inclusive, {@code to} exclusive. */
public record OfficePeriod(LocalTime from, LocalTime to) {

    public OfficePeriod {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("office period " + from + "–" + to + " must end after it starts");
        }
    }

    public static OfficePeriod of(String from, String to) {
        return new OfficePeriod(LocalTime.parse(from), LocalTime.parse(to));
    }
}
