package org.gridlink.kernel.cases.application;

import java.util.List;
import org.gridlink.kernel.evidence.EvidenceRef;
import java.util.Set;
import org.gridlink.kernel.cases.CaseAction;
import org.gridlink.kernel.cases.CaseRecord;
import org.gridlink.kernel.cases.TimelineEntry;

/** A record as read for a person: its timeline and what may be done to it now. */
public record CaseSnapshot(CaseRecord record, List<TimelineEntry> timeline, Set<CaseAction> allowedActions,
                           List<EvidenceRef> mergedEvidence) {

    /** The record as read, without the evidence of the reports merged into it. */
    public CaseSnapshot(CaseRecord record, List<TimelineEntry> timeline, Set<CaseAction> allowedActions) {
        this(record, timeline, allowedActions, List.of());
    }

    /** The record's own evidence, and that of the reports merged into it when they were looked up. */
    public List<EvidenceRef> evidence() {
        List<EvidenceRef> own = EvidenceRef.of(record.caseId(), timeline);
        if (mergedEvidence.isEmpty()) {
            return own;
        }
        List<EvidenceRef> all = new java.util.ArrayList<>(own);
        all.addAll(mergedEvidence);
        return all;
    }
}
