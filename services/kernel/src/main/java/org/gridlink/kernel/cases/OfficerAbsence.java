package org.gridlink.kernel.cases;

import java.time.Instant;
import java.util.Objects;
import org.gridlink.contracts.UnitCode;

/**
 * A department officer away from a unit's work (请假, 离岗), as a supervisor of the unit marked it: from {@code from},
 * until {@code until} (null: until marked back, 返岗), and why. While it lasts ({@link #awayAt}) nobody gives the
 * officer work at the unit: a dispatch or a reassignment to them, a handover to them is refused, saying this.
 */
public record OfficerAbsence(UnitCode unit, String officer, Instant from, Instant until, String reason,
                             String markedBy, Instant markedAt) {

    public OfficerAbsence {
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(officer, "officer");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(reason, "reason");
        if (until != null && !until.isAfter(from)) {
            throw new IllegalArgumentException("an absence ends after it begins: " + until + " is not after " + from);
        }
    }

    /** Whether the officer is away at {@code now}: on or after its beginning, before its end (if it has one). */
    public boolean awayAt(Instant now) {
        return !now.isBefore(from) && !over(now);
    }

    /** Whether it has ended by {@code now}: it had an end, and that has come. */
    public boolean over(Instant now) {
        return until != null && !now.isBefore(until);
    }

    /** The absence as a refusal says it: "away from … until … (why), marked by …". */
    public String describe() {
        return "away from " + from + (until == null ? " until marked back" : " until " + until) + " (" + reason
                + "), marked by " + markedBy;
    }
}
