package org.gridlink.kernel.evidence.application;

import org.gridlink.kernel.cases.CaseAction;
import org.gridlink.kernel.cases.CaseRecord;
import org.gridlink.kernel.cases.application.InvalidRequestException;
import org.gridlink.kernel.cases.persistence.CaseStore;
import org.gridlink.kernel.evidence.EvidenceRef;
import org.gridlink.kernel.evidence.EvidenceStage;
import org.gridlink.kernel.units.Category;
import org.gridlink.kernel.units.UnitDirectory;
import reactor.core.publisher.Mono;

/**
 * A RESOLVE of a case whose category says {@code afterPhotoRequired} (seeds: categories.json) needs an AFTER photo
 * (处置后照片) that the record knows of: uploaded at this unit, or anywhere along the chain (its EVIDENCE entry).
 */
public class AfterPhotoRule {

    private final UnitDirectory directory;
    private final CaseStore store;

    public AfterPhotoRule(UnitDirectory directory, CaseStore store) {
        this.directory = directory;
        this.store = store;
    }

    /** Completes when the action may go ahead; a 422 naming {@code evidence} when an AFTER photo is missing. */
    public Mono<Void> check(CaseRecord record, CaseAction action) {
        String category = record.details().categoryCode();
        if (action != CaseAction.RESOLVE
                || !directory.category(category).map(Category::afterPhotoRequired).orElse(false)) {
            return Mono.empty();
        }
        return store.timeline(record.unit(), record.caseId()).collectList().flatMap(timeline -> {
            boolean hasAfter = EvidenceRef.of(record.caseId(), timeline).stream()
                    .anyMatch(e -> EvidenceStage.AFTER.name().equals(e.stage()));
            return hasAfter ? Mono.<Void>empty() : Mono.error(InvalidRequestException.unprocessable("evidence",
                    "a case of category " + category + " is resolved with an AFTER photo: upload one with POST /api/units/"
                            + record.unit() + "/cases/" + record.caseId() + "/evidence (stage AFTER), then RESOLVE"));
        });
    }
}
