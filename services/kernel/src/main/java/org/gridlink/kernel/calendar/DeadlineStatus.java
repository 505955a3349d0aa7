package org.gridlink.kernel.calendar;

import java.time.Duration;

/**
 * Where a deadline stands at a moment.
 *
 * @param elapsed  the fraction of the time used, from 0 to 1
 * @param timeLeft the time left until due, in the deadline's measure; negative once overdue
 * @param overdue  whether the moment is after the due time
 * @param warning  the level to show: half or three quarters of the time used, or overdue
 */
public record DeadlineStatus(double elapsed, Duration timeLeft, boolean overdue, Warning warning) {

    /** The warning levels: from half the time used (≥ 50%), from three quarters (≥ 75%), and past due. */
    public enum Warning {
        NONE, HALF, THREE_QUARTERS, OVERDUE;

        static Warning of(double elapsed, boolean overdue) {
            if (overdue) {
                return OVERDUE;
            }
            if (elapsed >= 0.75) {
                return THREE_QUARTERS;
            }
            return elapsed >= 0.5 ? HALF : NONE;
        }
    }
}
