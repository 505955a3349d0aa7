package org.gridlink.kernel.cases;

import java.util.Locale;

/** The status of one node's record of a case (DESIGN §4); UNKNOWN stands for a value sent by a newer peer. */
public enum CaseStatus {
    REPORTED, ACCEPTED, REJECTED, DISPATCHED, IN_PROGRESS, RESOLVED, VERIFIED, REWORK, ESCALATED, RETURNED,
    /** Reopened at the unit that resolved it, on the reporter's NOT_FIXED verdict (回访): the handler starts again. */
    REOPENED, CLOSED, UNKNOWN;

    public boolean isTerminal() {
        return this == CLOSED || this == REJECTED;
    }

    /** Lenient parse for values arriving from other tiers. */
    public static CaseStatus parse(String value) {
        if (value == null) {
            return UNKNOWN;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }
}
