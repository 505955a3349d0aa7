package org.gridlink.kernel.cases;

import java.time.Instant;
import org.gridlink.contracts.UnitCode;

/**
 * A person's action on a record with its arguments, the due times already worked out on the working calendar by
 * the application (the state machine does no calendar arithmetic).
 *
 * @param target      DISPATCH: the child unit
 * @param dispatchDue DISPATCH: when the case must be handled (the category's limit from now); RECATEGORISE: the
 *                    new category's handling due time from the record's clock start
 * @param officer     DISPATCH: the department officer of (or assigned to) the unit, instead of a child unit
 * @param category    RECATEGORISE: the new category
 * @param reason      RETURN_REQUEST: the reason code from the list; other requests: an optional reason code
 * @param until       EXTEND_REQUEST: the due time asked for; PARK_REQUEST: the review date; APPROVE: the granted
 *                    due time or review date (null: as asked)
 * @param acceptDue   DISPATCH to an officer: when they must sign for it; RECATEGORISE: the new acceptance due time
 * @param verifyDue   RESOLVE: when the outcome must be verified (the category's verification limit from now), for a
 *                    unit that verifies its own work
 */
public record Command(CaseAction action, String note, UnitCode target, String actor, Instant dispatchDue,
                      String officer, String category, String reason, Instant until, Instant acceptDue,
                      Instant verifyDue) {

    public Command(CaseAction action, String note, UnitCode target, String actor, Instant dispatchDue,
                   String officer, String category, String reason, Instant until, Instant acceptDue) {
        this(action, note, target, actor, dispatchDue, officer, category, reason, until, acceptDue, null);
    }

    public Command(CaseAction action, String note, UnitCode target, String actor, Instant dispatchDue) {
        this(action, note, target, actor, dispatchDue, null, null, null, null, null);
    }
}
