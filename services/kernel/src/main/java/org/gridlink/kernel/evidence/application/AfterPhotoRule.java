package org.gridlink.kernel.evidence.application;

import java.util.List;
import org.gridlink.kernel.cases.CaseAction;
import org.gridlink.kernel.cases.CaseRecord;
import org.gridlink.kernel.cases.TimelineEntry;
import org.gridlink.kernel.cases.application.InvalidRequestException;
import org.gridlink.kernel.evidence.EvidenceRef;
import org.gridlink.kernel.evidence.EvidenceStage;
import org.gridlink.kernel.units.Category;
import org.gridlink.kernel.units.UnitDirectory;

/**
 * A RESOLVE of a case whose category says {@code afterPhotoRequired} (seeds: categories.json) needs an AFTER photo
 * (处置后照片) that the record knows of: uploaded at this unit, or anywhere along the chain (its EVIDENCE entry).
 */
public class AfterPhotoRule {

    private final UnitDirectory directory;

    public AfterPhotoRule(UnitDirectory directory) {
        this.directory = directory;
    }

    /**
     * Passes when the action may go ahead on the record with this timeline (as read with the record's lock); a 422
     * naming {@code evidence} when an AFTER photo is missing.
     */
    public void check(CaseRecord record, CaseAction action, List<TimelineEntry> timeline) {
        String category = record.details().categoryCode();
        if (action != CaseAction.RESOLVE
                || !directory.category(category).map(Category::afterPhotoRequired).orElse(false)) {
            return;
        }
        boolean hasAfter = EvidenceRef.of(record.caseId(), timeline).stream()
                .anyMatch(e -> EvidenceStage.AFTER.name().equals(e.stage()));
        if (!hasAfter) {
            throw InvalidRequestException.unprocessable("evidence", "a case of category " + category
                    + " is resolved with an AFTER photo: upload one with POST /api/units/" + record.unit() + "/cases/"
                    + record.caseId() + "/evidence (stage AFTER), then RESOLVE");
        }
    }
}
