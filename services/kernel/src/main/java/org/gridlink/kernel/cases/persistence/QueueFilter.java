package org.gridlink.kernel.cases.persistence;

import java.time.Instant;
import org.gridlink.kernel.cases.CaseStatus;

/**
 * What a page of a unit's queue is narrowed to; a null component narrows nothing.
 *
 * @param status    records in this status
 * @param category  records of this category
 * @param overdueAt records whose running clock ran out before this instant
 * @param grid      records found in this grid cell (a community's)
 * @param assignee  records given to this department officer of the unit and not taken back from them (escalated,
 *                  returned on their request), open or handled
 */
public record QueueFilter(CaseStatus status, String category, Instant overdueAt, String grid, String assignee) {

    /** The whole queue. */
    public static final QueueFilter NONE = new QueueFilter(null, null, null, null, null);
}
