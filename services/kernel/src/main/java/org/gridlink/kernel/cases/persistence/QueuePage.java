package org.gridlink.kernel.cases.persistence;

import java.util.List;
import org.gridlink.kernel.cases.CaseRecord;

/** A page of a unit's queue and the keyset cursor of the next page (null on the last page). */
public record QueuePage(List<CaseRecord> records, Long nextSeq) {

    record Row(Long seq, CaseRecord record) {
    }
}
