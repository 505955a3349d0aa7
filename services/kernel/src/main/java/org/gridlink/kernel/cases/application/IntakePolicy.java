package org.gridlink.kernel.cases.application;

import org.gridlink.kernel.cases.CaseDetails;
import org.gridlink.kernel.units.Unit;

/** A tier's own checks on a new report (the community checks grid cells); throws {@link InvalidRequestException}. */
public interface IntakePolicy {

    IntakePolicy NONE = (unit, details) -> {
    };

    void check(Unit unit, CaseDetails details);
}
