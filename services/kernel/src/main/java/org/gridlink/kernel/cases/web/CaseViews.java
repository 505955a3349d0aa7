package org.gridlink.kernel.cases.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.gridlink.contracts.UnitCode;
import org.gridlink.kernel.cases.CaseAction;
import org.gridlink.kernel.cases.CaseRecord;
import org.gridlink.kernel.cases.CaseStateMachine;
import org.gridlink.kernel.cases.CaseStatus;
import org.gridlink.kernel.cases.Location;
import org.gridlink.kernel.cases.TimelineEntry;
import org.gridlink.kernel.cases.application.CaseSnapshot;

/** Response bodies of the case API. */
public final class CaseViews {

    private CaseViews() {
    }

    public record EntryView(UUID id, Instant at, String unitCode, String actor, String action, String fromStatus,
                            String toStatus, String note) {

        static EntryView of(TimelineEntry e) {
            return new EntryView(e.id(), e.at(), e.unit().value(), e.actor(), e.action(),
                    e.fromStatus() == null ? null : e.fromStatus().name(),
                    e.toStatus() == null ? null : e.toStatus().name(), e.note());
        }
    }

    /** A unit's record of a case, with its timeline, the chain of units it passed and the actions allowed now. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record CaseView(UUID caseId, String unitCode, String status, String origin, String categoryCode,
                           String title, String description, Location location, String gridCode, String source,
                           String reporter, Instant reportedAt, String escalatedFrom, String escalatedTo,
                           String dispatchedBy, String dispatchedTo, String resolution, Instant dueAt,
                           boolean overdue, Instant createdAt, Instant updatedAt, List<String> chain,
                           List<String> allowedActions, List<EntryView> timeline) {

        public static CaseView of(CaseSnapshot s, Instant now) {
            CaseRecord r = s.record();
            // the chain is the units the case was handed to, in order: where it was reported, then every receipt
            List<String> chain = new ArrayList<>();
            for (TimelineEntry e : s.timeline()) {
                if (CaseStateMachine.REPORT.equals(e.action()) || CaseStateMachine.RECEIVE.equals(e.action())) {
                    chain.add(e.unit().value());
                }
            }
            return new CaseView(r.caseId(), r.unit().value(), r.status().name(), r.origin().name(),
                    r.details().categoryCode(), r.details().title(), r.details().description(), r.details().location(),
                    r.details().gridCode(), r.details().source(), r.details().reporter(), r.details().reportedAt(),
                    code(r.escalatedFrom()), code(r.escalatedTo()), code(r.dispatchedBy()), code(r.dispatchedTo()),
                    r.resolution(), r.dueAt(), isOverdue(r, now), r.createdAt(), r.updatedAt(), chain,
                    s.allowedActions().stream().map(CaseAction::name).toList(),
                    s.timeline().stream().map(EntryView::of).toList());
        }
    }

    /** One line of a unit's queue. */
    public record CaseSummary(UUID caseId, String unitCode, String status, String categoryCode, String title,
                              String gridCode, Instant dueAt, boolean overdue, Instant createdAt, Instant updatedAt) {

        public static CaseSummary of(CaseRecord r, Instant now) {
            return new CaseSummary(r.caseId(), r.unit().value(), r.status().name(), r.details().categoryCode(),
                    r.details().title(), r.details().gridCode(), r.dueAt(), isOverdue(r, now), r.createdAt(),
                    r.updatedAt());
        }
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record CasePage(List<CaseSummary> items, String nextCursor) {
    }

    /** Past its due time and not yet resolved here. */
    static boolean isOverdue(CaseRecord r, Instant now) {
        return r.dueAt() != null && now.isAfter(r.dueAt()) && !r.status().isTerminal()
                && r.status() != CaseStatus.RESOLVED && r.status() != CaseStatus.VERIFIED;
    }

    private static String code(UnitCode c) {
        return c == null ? null : c.value();
    }
}
