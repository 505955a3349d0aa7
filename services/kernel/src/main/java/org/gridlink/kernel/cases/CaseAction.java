package org.gridlink.kernel.cases;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** What a person can do to this node's record of a case. */
public enum CaseAction {
    ACCEPT, REJECT, RETURN, START, DISPATCH, ESCALATE, RESOLVE, VERIFY, REWORK, CLOSE,
    /** 退回申请: the receiver of a dispatched case asks the dispatcher to take it back (reason from a list, and a note). */
    RETURN_REQUEST,
    /** 延期申请: the handler asks for more time, until a due time they name. */
    EXTEND_REQUEST,
    /** 挂账: the handler asks to park a case that cannot be solved now, until a review date. */
    PARK_REQUEST,
    /** The dispatcher (or the unit's supervisor) grants the pending request. */
    APPROVE,
    /** The dispatcher refuses the pending request: the receiver keeps the case (首接负责制). */
    OVERRULE,
    /** 改类: a handler corrects the category; the time limits follow the new one. */
    RECATEGORISE,
    /** A new record that duplicates an open case of the same unit is merged into it ({@code into}: the surviving case). */
    MERGE,
    /** 回访: the reporter (or a handler of the unit where it was reported, for them) judges a closed case. */
    VERDICT,
    /**
     * 撤回: the unit takes back a case it dispatched to one of its department officers who has not signed for it yet
     * (away, or the wrong officer), to handle it or dispatch it again (改派).
     */
    RECALL,
    /**
     * 改派: a supervisor of the unit gives a case one of its department officers holds (signed for or not, started or
     * not) to another officer serving the unit (the first away, on leave, gone), who signs for it anew.
     */
    REASSIGN,
    /**
     * 留言: a note on the record that changes nothing else, and travels the case's chain as every entry does: the
     * holder's progress so far (阶段反馈), a leader's instruction (领导批示), the unit waiting below asking after it (催办).
     */
    COMMENT;

    /** The requests that wait on a decision. */
    public static final Set<CaseAction> REQUESTS = EnumSet.of(RETURN_REQUEST, EXTEND_REQUEST, PARK_REQUEST);
    /** The decisions on a pending request. */
    public static final Set<CaseAction> DECISIONS = EnumSet.of(APPROVE, OVERRULE);

    public boolean requiresNote() {
        return this == REJECT || this == RETURN || this == RESOLVE || this == REWORK || this == OVERRULE
                || this == RECALL || this == REASSIGN || this == COMMENT || REQUESTS.contains(this);
    }

    public boolean requiresTarget() {
        return this == DISPATCH;
    }

    public static Optional<CaseAction> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String wanted = value.trim().toUpperCase(Locale.ROOT);
        return Arrays.stream(values()).filter(a -> a.name().equals(wanted)).findFirst();
    }
}
