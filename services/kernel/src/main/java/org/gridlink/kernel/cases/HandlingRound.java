package org.gridlink.kernel.cases;

import java.time.Instant;
import java.util.List;
import org.gridlink.contracts.UnitCode;

/**
 * What a record's timeline says about the latest round of handling, for the reporter's verdict: when this unit's
 * record was last closed, which unit resolved the case (the last person's RESOLVE anywhere on the chain), and the
 * verdict already given on that close, if any.
 */
public record HandlingRound(Instant closedAt, UnitCode resolver, TimelineEntry verdict) {

    public static HandlingRound of(UnitCode unit, List<TimelineEntry> timeline) {
        Instant closedAt = null;
        UnitCode resolver = null;
        TimelineEntry verdict = null;
        for (TimelineEntry e : timeline) {
            if (e.unit().equals(unit) && e.toStatus() == CaseStatus.CLOSED && e.fromStatus() != CaseStatus.CLOSED) {
                closedAt = e.at();
                verdict = null;
            }
            if (CaseAction.RESOLVE.name().equals(e.action()) && !TimelineEntry.SYSTEM.equals(e.actor())) {
                resolver = e.unit();
            }
            if (e.unit().equals(unit) && e.action() != null && e.action().startsWith("VERDICT_")) {
                verdict = e;
            }
        }
        return new HandlingRound(closedAt, resolver, verdict);
    }
}
