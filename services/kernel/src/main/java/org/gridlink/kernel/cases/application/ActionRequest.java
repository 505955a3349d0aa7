package org.gridlink.kernel.cases.application;

import java.time.Instant;
import org.gridlink.kernel.cases.CaseAction;

/**
 * A person's action on a record as the API received it: {@code target} (a child unit) or {@code officer} for DISPATCH,
 * {@code category} for RECATEGORISE, {@code reason} for RETURN_REQUEST, {@code until} for EXTEND_REQUEST and
 * PARK_REQUEST (the due time or review date asked for) and for APPROVE (granted instead of the one asked for),
 * {@code into} for MERGE (the surviving case's id), {@code verdict} for VERDICT (SATISFIED or NOT_FIXED).
 */
public record ActionRequest(CaseAction action, String note, String target, String officer, String category,
                            String reason, Instant until, String into, String verdict) {

    public ActionRequest(CaseAction action, String note, String target, String officer, String category,
                         String reason, Instant until) {
        this(action, note, target, officer, category, reason, until, null, null);
    }

    public static ActionRequest of(CaseAction action, String note, String target) {
        return new ActionRequest(action, note, target, null, null, null, null);
    }
}
