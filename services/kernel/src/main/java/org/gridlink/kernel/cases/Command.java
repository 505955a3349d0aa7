package org.gridlink.kernel.cases;

import java.time.Instant;
import org.gridlink.contracts.UnitCode;

/**
 * A person's action on a record. {@code dispatchDue} is when a dispatched case must be handled: the category's
 * handling limit on the working calendar from now, the moment of the dispatch (used by DISPATCH only).
 */
public record Command(CaseAction action, String note, UnitCode target, String actor, Instant dispatchDue) {
}
