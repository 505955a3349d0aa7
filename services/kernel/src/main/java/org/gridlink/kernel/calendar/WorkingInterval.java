package org.gridlink.kernel.calendar;

import java.time.Duration;
import java.time.Instant;

/** A stretch of working time on the time line, {@code start} inclusive, {@code end} exclusive. */
public record WorkingInterval(Instant start, Instant end) {

    public Duration length() {
        return Duration.between(start, end);
    }

    /** How much of this interval lies between {@code a} and {@code b} (with {@code a <= b}). */
    Duration overlap(Instant a, Instant b) {
        Instant from = a.isAfter(start) ? a : start;
        Instant to = b.isBefore(end) ? b : end;
        return from.isBefore(to) ? Duration.between(from, to) : Duration.ZERO;
    }
}
