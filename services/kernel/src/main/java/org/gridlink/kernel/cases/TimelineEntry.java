package org.gridlink.kernel.cases;

import java.time.Instant;
import java.util.UUID;
import org.gridlink.contracts.UnitCode;

/**
 * One transition in a case's history, made at {@code unit} by {@code actor}. Entries travel along the
 * case's chain, so every node ends up holding the whole history; the id makes copies idempotent.
 * {@code action} is a string because history may carry actions of a newer peer.
 */
public record TimelineEntry(UUID id, Instant at, UnitCode unit, String actor, String action,
                            CaseStatus fromStatus, CaseStatus toStatus, String note) {

    public static final String SYSTEM = "system";

    public static TimelineEntry of(Instant at, UnitCode unit, String actor, String action,
                                   CaseStatus from, CaseStatus to, String note) {
        return new TimelineEntry(UUID.randomUUID(), at, unit, actor, action, from, to, note);
    }
}
