package org.gridlink.kernel.calendar;

/** The stages of handling a case that each run against their own time limit. */
public enum Stage {
    /** Signing for and accepting a case (签收/受理). */
    ACCEPTANCE,
    /** Handling it (处置). */
    HANDLING,
    /** Verifying the result (核查). */
    VERIFICATION
}
