package org.gridlink.kernel.cases;

import java.time.Duration;
import org.gridlink.contracts.UnitCode;

/**
 * A person's action on a record. {@code handlingTime} is the category's time limit, used when a dispatch
 * starts a new clock.
 */
public record Command(CaseAction action, String note, UnitCode target, String actor, Duration handlingTime) {
}
