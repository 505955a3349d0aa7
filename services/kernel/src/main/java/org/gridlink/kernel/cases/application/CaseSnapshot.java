package org.gridlink.kernel.cases.application;

import java.util.List;
import java.util.Set;
import org.gridlink.kernel.cases.CaseAction;
import org.gridlink.kernel.cases.CaseRecord;
import org.gridlink.kernel.cases.TimelineEntry;

/** A record as read for a person: its timeline and what may be done to it now. */
public record CaseSnapshot(CaseRecord record, List<TimelineEntry> timeline, Set<CaseAction> allowedActions) {
}
