package org.gridlink.kernel.cases;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;
import org.gridlink.contracts.UnitCode;

/**
 * One node's own record of a case. The case id is global; every unit the case touches keeps a record,
 * linked to its neighbours: the child that escalated it here, the parent it was escalated to, the parent
 * that dispatched it here and the child it was dispatched to.
 */
public record CaseRecord(UUID caseId, UnitCode unit, CaseStatus status, Origin origin, CaseDetails details,
                         UnitCode escalatedFrom, UnitCode escalatedTo, UnitCode dispatchedBy, UnitCode dispatchedTo,
                         String resolution, Instant dueAt, Instant createdAt, Instant updatedAt,
                         Instant clockFrom, Instant acceptDueAt, Accountability accountability,
                         Instant verifyFrom, Instant verifyDueAt) {

    public CaseRecord {
        accountability = accountability == null ? Accountability.NONE : accountability;
    }

    /** A record whose outcome has no verification clock (not resolved here, or not yet). */
    public CaseRecord(UUID caseId, UnitCode unit, CaseStatus status, Origin origin, CaseDetails details,
                      UnitCode escalatedFrom, UnitCode escalatedTo, UnitCode dispatchedBy, UnitCode dispatchedTo,
                      String resolution, Instant dueAt, Instant createdAt, Instant updatedAt,
                      Instant clockFrom, Instant acceptDueAt, Accountability accountability) {
        this(caseId, unit, status, origin, details, escalatedFrom, escalatedTo, dispatchedBy, dispatchedTo, resolution,
                dueAt, createdAt, updatedAt, clockFrom, acceptDueAt, accountability, null, null);
    }

    /** A record without what it answers for (none yet, or a test's). */
    public CaseRecord(UUID caseId, UnitCode unit, CaseStatus status, Origin origin, CaseDetails details,
                      UnitCode escalatedFrom, UnitCode escalatedTo, UnitCode dispatchedBy, UnitCode dispatchedTo,
                      String resolution, Instant dueAt, Instant createdAt, Instant updatedAt,
                      Instant clockFrom, Instant acceptDueAt) {
        this(caseId, unit, status, origin, details, escalatedFrom, escalatedTo, dispatchedBy, dispatchedTo, resolution,
                dueAt, createdAt, updatedAt, clockFrom, acceptDueAt, Accountability.NONE);
    }

    /*
     * The clocks (时限): clockFrom is when this unit's clock started — the report at intake, the receipt of an
     * escalation, the moment of the dispatch for a dispatched case (not when the receiver signs for it: a receiver
     * cannot stop the clock by not signing). acceptDueAt is when the record must be accepted (签收), dueAt when it
     * must be handled (处置), both on the working calendar from clockFrom. verifyFrom and verifyDueAt are the
     * verification clock (核查) of a unit that verifies the outcome: it starts when the record is RESOLVED here (the
     * unit resolved what nobody dispatched to it, or the child or officer it dispatched the case to finished) and runs
     * until the unit VERIFIes it or sends it back for REWORK.
     */

    /** A record without its clocks (a record of an earlier version, or a test's). */
    public CaseRecord(UUID caseId, UnitCode unit, CaseStatus status, Origin origin, CaseDetails details,
                      UnitCode escalatedFrom, UnitCode escalatedTo, UnitCode dispatchedBy, UnitCode dispatchedTo,
                      String resolution, Instant dueAt, Instant createdAt, Instant updatedAt) {
        this(caseId, unit, status, origin, details, escalatedFrom, escalatedTo, dispatchedBy, dispatchedTo, resolution,
                dueAt, createdAt, updatedAt, createdAt, null);
    }

    /** A new record for a case found at this unit: its clocks start with the report. */
    public static CaseRecord intake(UUID caseId, UnitCode unit, CaseDetails details, Instant dueAt, Instant now) {
        return intake(caseId, unit, details, dueAt, null, now);
    }

    public static CaseRecord intake(UUID caseId, UnitCode unit, CaseDetails details, Instant dueAt, Instant acceptDueAt,
                                    Instant now) {
        return new CaseRecord(caseId, unit, CaseStatus.REPORTED, Origin.INTAKE, details,
                null, null, null, null, null, dueAt, now, now, now, acceptDueAt, Accountability.NONE);
    }

    /** Which of this record's clocks runs now: none once the record waits on another unit or is finished. */
    public RunningClock runningClock() {
        return switch (status) {
            case REPORTED -> RunningClock.ACCEPTANCE;
            // dispatched to an officer of the unit: waiting for them to sign for it
            case DISPATCHED -> accountability.assignee() != null ? RunningClock.ACCEPTANCE : RunningClock.HANDLING;
            case ACCEPTED, IN_PROGRESS, REWORK, RETURNED, REOPENED -> RunningClock.HANDLING;
            case RESOLVED -> ownsOutcome() ? RunningClock.VERIFICATION : RunningClock.NONE;
            default -> RunningClock.NONE;
        };
    }

    /** The officer of a department who holds the record inside the unit, or null. */
    public String assignee() {
        return accountability.assignee();
    }

    public PendingRequest pending() {
        return accountability.pending();
    }

    /** When the running clock runs out, or null. */
    public Instant stageDueAt() {
        return switch (runningClock()) {
            case ACCEPTANCE -> acceptDueAt != null ? acceptDueAt : dueAt;
            case HANDLING -> dueAt;
            case VERIFICATION -> verifyDueAt;
            case NONE -> null;
        };
    }

    /** Overdue: the running clock ran out, and the record is not parked (挂账) until a later review date. */
    public boolean overdueAt(Instant now) {
        Instant due = stageDueAt();
        return due != null && now.isAfter(due) && !accountability.parkedAt(now);
    }

    /** The clocks a record can have running: one at a time, or none. */
    public enum RunningClock { ACCEPTANCE, HANDLING, VERIFICATION, NONE }

    /** The units this record exchanges progress with: along these links every timeline entry travels. */
    public Set<UnitCode> neighbours() {
        Set<UnitCode> result = new LinkedHashSet<>();
        if (escalatedTo != null) {
            result.add(escalatedTo);
        }
        if (dispatchedBy != null) {
            result.add(dispatchedBy);
        }
        if (escalatedFrom != null) {
            result.add(escalatedFrom);
        }
        if (dispatchedTo != null) {
            result.add(dispatchedTo);
        }
        return result;
    }

    /**
     * Whether this unit verifies the outcome when the record is RESOLVED: it dispatched the work and the
     * child finished, or it handled the case itself and nobody dispatched it here.
     */
    public boolean ownsOutcome() {
        return dispatchedTo != null || dispatchedBy == null;
    }

    /**
     * The record in {@code newStatus}, changed {@code now}. Its {@code updatedAt} is its version (an action's
     * {@code If-Match}), so it moves on with every change even if the clock did not (a clock set back, or held still by
     * a test): at least a microsecond, what the database keeps, after the last.
     */
    CaseRecord withStatus(CaseStatus newStatus, Instant now) {
        Instant changed = updatedAt == null || now.isAfter(updatedAt) ? now : updatedAt.plus(1, ChronoUnit.MICROS);
        return new CaseRecord(caseId, unit, newStatus, origin, details, escalatedFrom, escalatedTo, dispatchedBy,
                dispatchedTo, resolution, dueAt, createdAt, changed, clockFrom, acceptDueAt, accountability,
                verifyFrom, verifyDueAt);
    }

    CaseRecord withResolution(String newResolution) {
        return new CaseRecord(caseId, unit, status, origin, details, escalatedFrom, escalatedTo, dispatchedBy,
                dispatchedTo, newResolution, dueAt, createdAt, updatedAt, clockFrom, acceptDueAt, accountability,
                verifyFrom, verifyDueAt);
    }

    CaseRecord withLinks(Origin newOrigin, UnitCode newEscalatedFrom, UnitCode newEscalatedTo,
                         UnitCode newDispatchedBy, UnitCode newDispatchedTo) {
        return new CaseRecord(caseId, unit, status, newOrigin, details, newEscalatedFrom, newEscalatedTo,
                newDispatchedBy, newDispatchedTo, resolution, dueAt, createdAt, updatedAt, clockFrom, acceptDueAt,
                accountability, verifyFrom, verifyDueAt);
    }

    CaseRecord withDueAt(Instant newDueAt) {
        return new CaseRecord(caseId, unit, status, origin, details, escalatedFrom, escalatedTo, dispatchedBy,
                dispatchedTo, resolution, newDueAt, createdAt, updatedAt, clockFrom, acceptDueAt, accountability,
                verifyFrom, verifyDueAt);
    }

    /** This unit's clocks start (again) at {@code from}: accept by {@code acceptBy}, handle by {@code handleBy}. */
    CaseRecord withClocks(Instant from, Instant acceptBy, Instant handleBy) {
        return new CaseRecord(caseId, unit, status, origin, details, escalatedFrom, escalatedTo, dispatchedBy,
                dispatchedTo, resolution, handleBy, createdAt, updatedAt, from, acceptBy, accountability,
                verifyFrom, verifyDueAt);
    }

    CaseRecord withAccountability(Accountability newAccountability) {
        return new CaseRecord(caseId, unit, status, origin, details, escalatedFrom, escalatedTo, dispatchedBy,
                dispatchedTo, resolution, dueAt, createdAt, updatedAt, clockFrom, acceptDueAt, newAccountability,
                verifyFrom, verifyDueAt);
    }

    /**
     * The record without the officer holding it and the request waiting on a decision, as a resident reads it
     * (application.ResidentView); itself when it has neither.
     */
    public CaseRecord withoutStaff() {
        Accountability a = accountability;
        return a.assignee() == null && a.pending() == null ? this
                : withAccountability(a.withAssignee(null).withPending(null));
    }

    CaseRecord withDetails(CaseDetails newDetails) {
        return new CaseRecord(caseId, unit, status, origin, newDetails, escalatedFrom, escalatedTo, dispatchedBy,
                dispatchedTo, resolution, dueAt, createdAt, updatedAt, clockFrom, acceptDueAt, accountability,
                verifyFrom, verifyDueAt);
    }

    CaseRecord withAcceptDueAt(Instant newAcceptDueAt) {
        return new CaseRecord(caseId, unit, status, origin, details, escalatedFrom, escalatedTo, dispatchedBy,
                dispatchedTo, resolution, dueAt, createdAt, updatedAt, clockFrom, newAcceptDueAt, accountability,
                verifyFrom, verifyDueAt);
    }

    /** The verification clock starts at {@code from} and runs out at {@code due}. */
    CaseRecord withVerification(Instant from, Instant due) {
        return new CaseRecord(caseId, unit, status, origin, details, escalatedFrom, escalatedTo, dispatchedBy,
                dispatchedTo, resolution, dueAt, createdAt, updatedAt, clockFrom, acceptDueAt, accountability, from,
                due);
    }
}
