package org.gridlink.kernel.cases.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.gridlink.contracts.UnitCode;
import org.gridlink.kernel.cases.Accountability;
import org.gridlink.kernel.cases.CaseAction;
import org.gridlink.kernel.cases.PendingRequest;
import org.gridlink.kernel.cases.CaseRecord;
import org.gridlink.kernel.cases.CaseStateMachine;
import org.gridlink.kernel.cases.CaseStatus;
import org.gridlink.kernel.cases.Instruction;
import org.gridlink.kernel.cases.Location;
import org.gridlink.kernel.cases.TimelineEntry;
import org.gridlink.kernel.calendar.Deadline;
import org.gridlink.kernel.calendar.DeadlineStatus;
import org.gridlink.kernel.calendar.Stage;
import org.gridlink.kernel.cases.application.CaseSnapshot;
import org.gridlink.kernel.duplicates.DuplicateFinder;
import org.gridlink.kernel.evidence.EvidenceRef;
import org.gridlink.kernel.units.UnitDirectory;

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
                           boolean overdue, Instant createdAt, Instant updatedAt, Instant clockFrom,
                           Instant acceptDueAt, Instant verifyDueAt, DeadlineView deadline, String assignee,
                           PendingView pending, CountsView counts, Instant parkedUntil, ProposalView proposedDispatch,
                           InstructionView instruction, List<String> chain,
                           List<String> allowedActions, List<EntryView> timeline, List<EvidenceRef> evidence,
                           List<DuplicateFinder.Candidate> duplicateCandidates) {

        /** The answer to a report: the new record with its possible duplicates (none for a citizen). */
        public CaseView withDuplicateCandidates(List<DuplicateFinder.Candidate> candidates) {
            return new CaseView(caseId, unitCode, status, origin, categoryCode, title, description, location, gridCode,
                    source, reporter, reportedAt, escalatedFrom, escalatedTo, dispatchedBy, dispatchedTo, resolution,
                    dueAt, overdue, createdAt, updatedAt, clockFrom, acceptDueAt, verifyDueAt, deadline, assignee,
                    pending, counts, parkedUntil, proposedDispatch, instruction, chain, allowedActions, timeline,
                    evidence, List.copyOf(candidates));
        }

        public static CaseView of(CaseSnapshot s, Instant now, UnitDirectory directory) {
            return of(s, now, directory, Set.of(), null);
        }

        /**
         * {@code away}: the unit's officers away now, whom a dispatch does not propose; {@code instruction}: the
         * leader's instruction that waits on the unit's people, or null.
         */
        public static CaseView of(CaseSnapshot s, Instant now, UnitDirectory directory, Set<String> away,
                                  Instruction instruction) {
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
                    r.resolution(), r.dueAt(), r.overdueAt(now), r.createdAt(), r.updatedAt(), r.clockFrom(),
                    r.acceptDueAt(), r.verifyDueAt(), DeadlineView.of(r, now, directory), r.assignee(),
                    PendingView.of(r.pending()),
                    CountsView.of(r.accountability()), r.accountability().parkedUntil(),
                    s.allowedActions().contains(CaseAction.DISPATCH) ? ProposalView.of(r, directory, away) : null,
                    InstructionView.of(instruction), chain,
                    s.allowedActions().stream().map(CaseAction::name).toList(),
                    s.timeline().stream().map(EntryView::of).toList(), s.evidence(), null);
        }
    }

    /**
     * A leader's instruction (领导批示) that waits on the unit's people (待落实) until one of them acts on the record or
     * writes on it.
     *
     * @param entryId its entry in the timeline (a COMMENT)
     */
    public record InstructionView(UUID entryId, Instant at, String leader, String note) {

        static InstructionView of(Instruction i) {
            return i == null ? null : new InstructionView(i.entry(), i.at(), i.leader(), i.note());
        }
    }

    /** The request waiting on a decision: what, from whom, who decides. */
    public record PendingView(String kind, String fromUnit, String decider, String requestedBy, String reason,
                              String note, Instant until, Instant at) {

        static PendingView of(PendingRequest p) {
            return p == null ? null : new PendingView(p.kind().name(), p.fromUnit().value(), p.decider().value(),
                    p.requestedBy(), p.reason(), p.note(), p.until(), p.at());
        }
    }

    /**
     * What this record counts for assessment: approved returns (流转次数), approved extensions, re-categorisations,
     * supervision notices and whether a leader sent one (领导督办).
     */
    public record CountsView(int bounces, int extensions, int recategorisations, int supervisions,
                             boolean leaderSupervised) {

        static CountsView of(Accountability a) {
            return new CountsView(a.bounces(), a.extensions(), a.recategorisations(), a.supervisions(),
                    a.leaderSupervised());
        }
    }

    /**
     * Whom a dispatch goes to by default: the category's department and its officers who serve the unit and are at
     * work; {@code away}: those of them marked away now (请假, 离岗), whom a dispatch may not name.
     */
    public record ProposalView(String department, List<String> officers, List<String> away) {

        static ProposalView of(CaseRecord r, UnitDirectory directory, Set<String> awayNow) {
            String department = directory.category(r.details().categoryCode()).map(c -> c.department()).orElse(null);
            List<String> serving = directory.roster().officersFor(r.unit()).stream()
                    .filter(o -> department != null && department.equals(o.department()))
                    .map(o -> o.username()).toList();
            return new ProposalView(department, serving.stream().filter(o -> !awayNow.contains(o)).toList(),
                    serving.stream().filter(awayNow::contains).toList());
        }
    }

    /** One line of a unit's queue. */
    public record CaseSummary(UUID caseId, String unitCode, String status, String categoryCode, String title,
                              String gridCode, Location location, Instant dueAt, boolean overdue, Instant reportedAt,
                              Instant createdAt,
                              Instant updatedAt,
                              DeadlineView deadline, String assignee, String pendingRequest, Instant parkedUntil,
                              int supervisions, boolean leaderSupervised) {

        public static CaseSummary of(CaseRecord r, Instant now, UnitDirectory directory) {
            return new CaseSummary(r.caseId(), r.unit().value(), r.status().name(), r.details().categoryCode(),
                    r.details().title(), r.details().gridCode(), r.details().location(), r.dueAt(), r.overdueAt(now), r.details().reportedAt(),
                    r.createdAt(),
                    r.updatedAt(), DeadlineView.of(r, now, directory), r.assignee(),
                    r.pending() == null ? null : r.pending().kind().name(), r.accountability().parkedUntil(),
                    r.accountability().supervisions(), r.accountability().leaderSupervised());
        }
    }

    /**
     * The clock running on a record now (null when none runs: the record waits on another unit or is finished):
     * which one, when it runs out, the time left (working time for limits in working hours or days, negative once
     * overdue), the share used, and the warning level (from 50% and 75% of the time, and past due).
     */
    public record DeadlineView(String clock, Instant dueAt, String timeLeft, double elapsed, boolean overdue,
                               String warning, boolean workingTime) {

        static DeadlineView of(CaseRecord r, Instant now, UnitDirectory directory) {
            CaseRecord.RunningClock clock = r.runningClock();
            Instant due = r.stageDueAt();
            if (clock == CaseRecord.RunningClock.NONE || due == null || r.accountability().parkedAt(now)) {
                return null;
            }
            Stage stage = switch (clock) {
                case ACCEPTANCE -> r.acceptDueAt() != null ? Stage.ACCEPTANCE : Stage.HANDLING;
                case VERIFICATION -> Stage.VERIFICATION;
                default -> Stage.HANDLING;
            };
            boolean working = directory.limits(r.details().categoryCode())
                    .map(l -> l.of(stage).unit().working()).orElse(false);
            Instant from = clock == CaseRecord.RunningClock.VERIFICATION ? r.verifyFrom() : r.clockFrom();
            Instant start = from == null || from.isAfter(due) ? r.createdAt() : from;
            DeadlineStatus status = new Deadline(start.isAfter(due) ? due : start, due, working)
                    .statusAt(now, directory.calendar());
            return new DeadlineView(clock.name(), due, status.timeLeft().toString(),
                    Math.round(status.elapsed() * 1000) / 1000.0, status.overdue(), status.warning().name(), working);
        }
    }

    /** An overdue record below this unit, as its unit told it. */
    public record OverdueView(UUID caseId, String unitCode, String clock, Instant dueAt, Instant detectedAt, String status,
                              String categoryCode, String title, String gridCode) {

        static OverdueView of(org.gridlink.kernel.cases.persistence.CaseStore.OverdueNotice n) {
            return new OverdueView(n.caseId(), n.unit().value(), n.clock(), n.dueAt(), n.detectedAt(), n.status(),
                    n.categoryCode(), n.title(), n.gridCode());
        }
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record CasePage(List<CaseSummary> items, String nextCursor) {
    }

    private static String code(UnitCode c) {
        return c == null ? null : c.value();
    }
}
