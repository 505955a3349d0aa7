package org.gridlink.kernel.cases;

import java.time.Instant;

/**
 * What a record answers for beyond its status: the department officer who holds it inside the unit, the request
 * waiting on a decision, and the counts assessment reads — bounces (流转次数: approved returns), extensions,
 * re-categorisations, supervision notices (督办, and whether a leader sent one: 领导督办) — and, while parked (挂账),
 * the review date until which no clock is overdue.
 */
public record Accountability(String assignee, PendingRequest pending, int bounces, int extensions,
                             int recategorisations, int supervisions, boolean leaderSupervised, Instant parkedUntil) {

    public static final Accountability NONE = new Accountability(null, null, 0, 0, 0, 0, false, null);

    public boolean parkedAt(Instant now) {
        return parkedUntil != null && now.isBefore(parkedUntil);
    }

    public Accountability withAssignee(String officer) {
        return new Accountability(officer, pending, bounces, extensions, recategorisations, supervisions,
                leaderSupervised, parkedUntil);
    }

    public Accountability withPending(PendingRequest request) {
        return new Accountability(assignee, request, bounces, extensions, recategorisations, supervisions,
                leaderSupervised, parkedUntil);
    }

    public Accountability bounced() {
        return new Accountability(assignee, pending, bounces + 1, extensions, recategorisations, supervisions,
                leaderSupervised, parkedUntil);
    }

    public Accountability extended() {
        return new Accountability(assignee, pending, bounces, extensions + 1, recategorisations, supervisions,
                leaderSupervised, parkedUntil);
    }

    public Accountability recategorised() {
        return new Accountability(assignee, pending, bounces, extensions, recategorisations + 1, supervisions,
                leaderSupervised, parkedUntil);
    }

    public Accountability supervised(boolean byLeader) {
        return new Accountability(assignee, pending, bounces, extensions, recategorisations, supervisions + 1,
                leaderSupervised || byLeader, parkedUntil);
    }

    public Accountability parkedUntil(Instant reviewAt) {
        return new Accountability(assignee, pending, bounces, extensions, recategorisations, supervisions,
                leaderSupervised, reviewAt);
    }
}
