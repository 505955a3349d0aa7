package org.gridlink.kernel.cases;

import java.time.Instant;
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
                         String resolution, Instant dueAt, Instant createdAt, Instant updatedAt) {

    /** A new record for a case found at this unit. */
    public static CaseRecord intake(UUID caseId, UnitCode unit, CaseDetails details, Instant dueAt, Instant now) {
        return new CaseRecord(caseId, unit, CaseStatus.REPORTED, Origin.INTAKE, details,
                null, null, null, null, null, dueAt, now, now);
    }

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

    CaseRecord withStatus(CaseStatus newStatus, Instant now) {
        return new CaseRecord(caseId, unit, newStatus, origin, details, escalatedFrom, escalatedTo, dispatchedBy,
                dispatchedTo, resolution, dueAt, createdAt, now);
    }

    CaseRecord withResolution(String newResolution) {
        return new CaseRecord(caseId, unit, status, origin, details, escalatedFrom, escalatedTo, dispatchedBy,
                dispatchedTo, newResolution, dueAt, createdAt, updatedAt);
    }

    CaseRecord withLinks(Origin newOrigin, UnitCode newEscalatedFrom, UnitCode newEscalatedTo,
                         UnitCode newDispatchedBy, UnitCode newDispatchedTo) {
        return new CaseRecord(caseId, unit, status, newOrigin, details, newEscalatedFrom, newEscalatedTo,
                newDispatchedBy, newDispatchedTo, resolution, dueAt, createdAt, updatedAt);
    }

    CaseRecord withDueAt(Instant newDueAt) {
        return new CaseRecord(caseId, unit, status, origin, details, escalatedFrom, escalatedTo, dispatchedBy,
                dispatchedTo, resolution, newDueAt, createdAt, updatedAt);
    }
}
