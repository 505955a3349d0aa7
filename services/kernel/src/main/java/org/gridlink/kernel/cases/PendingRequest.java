package org.gridlink.kernel.cases;

import java.time.Instant;
import java.util.Locale;
import org.gridlink.contracts.UnitCode;

/**
 * A request waiting on the dispatcher's decision: to send a dispatched case back (退回申请), for more time (延期申请) or
 * to park it (挂账). {@code fromUnit} is the unit whose record asked, {@code decider} the unit that decides: the
 * dispatcher above for a dispatched unit's request, the unit itself for its officer's request or for a case nobody
 * dispatched to it (its supervisor decides). {@code until} is the due time asked for or the review date of a park.
 */
public record PendingRequest(Kind kind, UnitCode fromUnit, UnitCode decider, String requestedBy, String reason,
                             String note, Instant until, Instant at) {

    /** Whether the unit that holds {@code record} decides this request (else it waits on the dispatcher above). */
    public boolean decidedAt(UnitCode unit) {
        return unit.equals(decider);
    }

    /** How the request reads in a timeline. */
    public String describe() {
        StringBuilder s = new StringBuilder();
        if (reason != null) {
            s.append('[').append(reason).append("] ");
        }
        if (note != null) {
            s.append(note);
        }
        if (until != null) {
            s.append(kind == Kind.PARK ? " (review on " : " (until ").append(until).append(')');
        }
        return s.toString().trim();
    }

    public enum Kind {
        RETURN, EXTENSION, PARK, UNKNOWN;

        /** Lenient parse for values arriving from other tiers. */
        public static Kind parse(String value) {
            if (value == null) {
                return UNKNOWN;
            }
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return UNKNOWN;
            }
        }

        /** The timeline action of a decision on a request of this kind. */
        public String decision(boolean approved) {
            return switch (this) {
                case RETURN -> approved ? "RETURN_APPROVED" : "RETURN_OVERRULED";
                case EXTENSION -> approved ? "EXTENSION_APPROVED" : "EXTENSION_REFUSED";
                case PARK -> approved ? "PARK_APPROVED" : "PARK_REFUSED";
                case UNKNOWN -> approved ? "APPROVED" : "OVERRULED";
            };
        }
    }
}
