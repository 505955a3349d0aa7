package org.gridlink.kernel.cases.application;

import java.time.Instant;
import org.gridlink.kernel.cases.CaseRecord;
import org.gridlink.kernel.cases.CaseStatus;
import org.gridlink.kernel.cases.TimelineEntry;

/**
 * An action sent on a version of the record that is no longer its own (its {@code If-Match}): someone changed the
 * record since the person read it, so what they decided on is not what the record says now. Nothing is changed.
 */
public class RecordChangedException extends RuntimeException {

    private final CaseStatus current;
    private final Instant changedAt;
    private final TimelineEntry latest;

    /**
     * @param record the record as it is now
     * @param latest the latest entry in the record's timeline (who did what last), or null if not read
     */
    public RecordChangedException(CaseRecord record, TimelineEntry latest) {
        super("the record of case " + record.caseId() + " at " + record.unit() + " changed at " + record.updatedAt()
                + ", after the version this action was sent on (If-Match); it is " + record.status() + " now"
                + (latest == null ? "" : " (its latest entry: " + latest.action() + " by " + latest.actor() + " at "
                        + latest.unit() + ")")
                + ": read it again and decide on what it says now");
        this.current = record.status();
        this.changedAt = record.updatedAt();
        this.latest = latest;
    }

    /** The record's status now. */
    public CaseStatus current() {
        return current;
    }

    /** When the record last changed: its version now. */
    public Instant changedAt() {
        return changedAt;
    }

    /** The latest entry in the record's timeline, or null. */
    public TimelineEntry latest() {
        return latest;
    }
}
