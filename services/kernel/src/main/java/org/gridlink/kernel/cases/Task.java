package org.gridlink.kernel.cases;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The work a unit's record waits on from the unit's own people (待办): what the record's status and shape let them do
 * next, the unit's to-do list. A record waits on at most one of the first five, and may also wait on a decision
 * ({@link #DECIDE}); a record that waits on another unit (dispatched to a child, escalated), or is finished, waits on
 * none. A parked record (挂账) waits on nothing but a decision until its review date. {@code CaseStore.TASKS} says
 * the same in SQL.
 */
public enum Task {

    /** 待受理: a report or an escalation nobody here accepted (立案) yet; ACCEPT, REJECT, RETURN. */
    ACCEPT("待受理", "To accept"),
    /** 待签收: dispatched to one of the unit's department officers, who has not signed for it. */
    SIGN("待签收", "To sign for"),
    /** 待处置: accepted, sent back, in progress, reworked or reopened: START or RESOLVE (or pass it on). */
    HANDLE("待处置", "To handle"),
    /** 待核查: resolved here or below, and this unit verifies the outcome: VERIFY or REWORK. */
    VERIFY("待核查", "To verify"),
    /** 待结案: verified, and nobody dispatched it here: CLOSE. */
    CLOSE("待结案", "To close"),
    /** 待审批: a return, extension or park request that this unit decides: APPROVE or OVERRULE. */
    DECIDE("待审批", "To decide");

    private final String name;
    private final String nameEn;

    Task(String name, String nameEn) {
        this.name = name;
        this.nameEn = nameEn;
    }

    /** The task's name as the console shows it (待受理). */
    public String displayName() {
        return name;
    }

    public String nameEn() {
        return nameEn;
    }

    /** The tasks the record waits on at {@code now}: none, one, or one and DECIDE. */
    public static Set<Task> of(CaseRecord r, Instant now) {
        EnumSet<Task> tasks = EnumSet.noneOf(Task.class);
        if (r.status().isTerminal()) {
            return tasks;
        }
        PendingRequest pending = r.pending();
        if (pending != null && pending.decidedAt(r.unit())) {
            tasks.add(DECIDE);
        }
        Instant parkedUntil = r.accountability().parkedUntil();
        if (parkedUntil != null && parkedUntil.isAfter(now)) {
            return tasks;
        }
        switch (r.status()) {
            case REPORTED -> tasks.add(ACCEPT);
            case DISPATCHED -> {
                if (r.assignee() != null) {
                    tasks.add(SIGN);
                }
            }
            case ACCEPTED, RETURNED, IN_PROGRESS, REWORK, REOPENED -> tasks.add(HANDLE);
            case RESOLVED -> {
                if (r.ownsOutcome()) {
                    tasks.add(VERIFY);
                }
            }
            case VERIFIED -> {
                if (r.dispatchedBy() == null) {
                    tasks.add(CLOSE);
                }
            }
            default -> {
                // ESCALATED waits on the parent; CLOSED and REJECTED are final
            }
        }
        return tasks;
    }

    /**
     * Whether a supervision notice (督办) was sent about the record and it still waits on the unit's people at
     * {@code now}: the supervised work the unit has yet to do (a record handed on since waits elsewhere).
     */
    public static boolean supervised(CaseRecord r, Instant now) {
        return r.accountability().supervisions() > 0 && !of(r, now).isEmpty();
    }

    /** The task a query names, in any case; empty for none of them. */
    public static Optional<Task> parse(String value) {
        try {
            return Optional.of(valueOf(value.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
