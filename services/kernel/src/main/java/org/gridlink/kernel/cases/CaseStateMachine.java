package org.gridlink.kernel.cases;

import static org.gridlink.kernel.cases.CaseAction.ACCEPT;
import static org.gridlink.kernel.cases.CaseAction.APPROVE;
import static org.gridlink.kernel.cases.CaseAction.EXTEND_REQUEST;
import static org.gridlink.kernel.cases.CaseAction.OVERRULE;
import static org.gridlink.kernel.cases.CaseAction.PARK_REQUEST;
import static org.gridlink.kernel.cases.CaseAction.REASSIGN;
import static org.gridlink.kernel.cases.CaseAction.RECALL;
import static org.gridlink.kernel.cases.CaseAction.RECATEGORISE;
import static org.gridlink.kernel.cases.CaseAction.RETURN_REQUEST;
import static org.gridlink.kernel.cases.CaseAction.CLOSE;
import static org.gridlink.kernel.cases.CaseAction.DISPATCH;
import static org.gridlink.kernel.cases.CaseAction.ESCALATE;
import static org.gridlink.kernel.cases.CaseAction.REJECT;
import static org.gridlink.kernel.cases.CaseAction.RESOLVE;
import static org.gridlink.kernel.cases.CaseAction.RETURN;
import static org.gridlink.kernel.cases.CaseAction.REWORK;
import static org.gridlink.kernel.cases.CaseAction.START;
import static org.gridlink.kernel.cases.CaseAction.VERIFY;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.gridlink.contracts.Tier;
import org.gridlink.contracts.UnitCode;

/**
 * The per-node state machine of a case (docs/state-machine.md). Pure functions: a record and an input in,
 * a {@link CaseChange} out. Person actions go through {@link #decide}; what other units tell this node goes
 * through the {@code receive*} methods. Every change yields a timeline entry, which is sent to every
 * neighbour of the record so that each unit along the chain holds the whole history.
 */
public final class CaseStateMachine {

    /** Timeline actions recorded by the system when another unit's change moves this record. */
    public static final String RECEIVE = "RECEIVE";
    public static final String CHILD_RESOLVED = "CHILD_RESOLVED";
    public static final String RETURNED = "RETURNED";
    public static final String CLOSED = "CLOSED";
    public static final String REPORT = "REPORT";
    /** The receiver's record after the dispatcher approved its return request. */
    public static final String HANDED_BACK = "HANDED_BACK";
    /** A parked record's review date came. */
    public static final String PARK_REVIEW = "PARK_REVIEW";
    /** The resolving unit's record reopened on the reporter's NOT_FIXED verdict. */
    public static final String REOPEN = "REOPEN";
    /** Another record of the chain follows a reopen: it waits on the unit it handed the case to again. */
    public static final String REOPENED = "REOPENED";
    /** The surviving case's entry for a record merged into it (the merged record's own entry is MERGE). */
    public static final String MERGED_IN = "MERGED_IN";
    /** A MERGED_IN entry's note: {@code "case <id>" + MERGED_INTO_THIS}, then its reporter and the note, if any. */
    public static final String MERGED_INTO_THIS = " merged into this one";
    /** The statuses in which the unit holds a record itself, so that it may merge it into another case. */
    private static final Set<CaseStatus> MERGEABLE = EnumSet.of(CaseStatus.REPORTED, CaseStatus.ACCEPTED,
            CaseStatus.RETURNED, CaseStatus.IN_PROGRESS, CaseStatus.REWORK);
    /** The statuses in which an officer of the unit holds a record (given, signed for, started, reworked). */
    private static final Set<CaseStatus> REASSIGNABLE = EnumSet.of(CaseStatus.DISPATCHED, CaseStatus.ACCEPTED,
            CaseStatus.IN_PROGRESS, CaseStatus.REWORK);

    private CaseStateMachine() {
    }

    /** Between the old category and the new in a RECATEGORISE's timeline note: {@code "NOISE -> GARBAGE_PILE: …"}. */
    private static final String RECATEGORISED_TO = " -> ";

    /**
     * The category a record was reported in: the old category of its first RECATEGORISE in the timeline, or, when it
     * was never recategorised, the one it has.
     */
    public static String reportedCategory(CaseRecord r, List<TimelineEntry> timeline) {
        for (TimelineEntry entry : timeline) {
            if (RECATEGORISE.name().equals(entry.action()) && entry.note() != null) {
                int to = entry.note().indexOf(RECATEGORISED_TO);
                if (to > 0) {
                    return entry.note().substring(0, to);
                }
            }
        }
        return r.details().categoryCode();
    }

    /** The actions a person may take on the record now. */
    public static Set<CaseAction> allowedActions(CaseRecord r) {
        EnumSet<CaseAction> allowed = EnumSet.noneOf(CaseAction.class);
        boolean hasParent = r.unit().parent().isPresent();
        PendingRequest pending = r.pending();
        // a dispatched receiver (a child unit, or the officer holding it) may ask to send it back before starting
        boolean mayAskReturn = pending == null && (r.dispatchedBy() != null || r.assignee() != null);
        switch (r.status()) {
            case REPORTED -> {
                allowed.add(ACCEPT);
                allowed.add(RECATEGORISE);
                if (r.origin() == Origin.INTAKE) {
                    allowed.add(REJECT);
                }
                if (r.origin() == Origin.ESCALATION && r.escalatedFrom() != null) {
                    allowed.add(RETURN);
                }
                if (mayAskReturn && r.dispatchedBy() != null) {
                    allowed.add(RETURN_REQUEST);
                }
            }
            case DISPATCHED -> {
                if (r.assignee() != null) {
                    allowed.add(ACCEPT); // the officer signs for it
                    if (mayAskReturn) {
                        allowed.add(RETURN_REQUEST);
                    }
                    if (pending == null) {
                        allowed.add(RECALL); // the unit takes it back before the officer signs
                    }
                }
            }
            case ACCEPTED, RETURNED -> {
                allowed.add(START);
                allowed.add(DISPATCH);
                allowed.add(RECATEGORISE);
                if (hasParent) {
                    allowed.add(ESCALATE);
                }
                if (mayAskReturn) {
                    allowed.add(RETURN_REQUEST);
                }
                if (pending == null) {
                    allowed.add(EXTEND_REQUEST);
                    allowed.add(PARK_REQUEST);
                }
            }
            case IN_PROGRESS, REWORK -> {
                allowed.add(RESOLVE);
                allowed.add(RECATEGORISE);
                if (hasParent) {
                    allowed.add(ESCALATE);
                }
                if (pending == null) {
                    allowed.add(EXTEND_REQUEST);
                    allowed.add(PARK_REQUEST);
                }
            }
            case REOPENED -> {
                allowed.add(START);
                if (hasParent) {
                    allowed.add(ESCALATE);
                }
            }
            case RESOLVED -> {
                if (r.ownsOutcome()) {
                    allowed.add(VERIFY);
                    allowed.add(REWORK);
                }
            }
            case VERIFIED -> {
                if (r.dispatchedBy() == null) {
                    allowed.add(CLOSE);
                }
            }
            default -> {
                // DISPATCHED to a child and ESCALATED follow another unit; CLOSED and REJECTED are final.
            }
        }
        if (pending != null && pending.decidedAt(r.unit()) && !r.status().isTerminal()) {
            allowed.add(APPROVE);
            allowed.add(OVERRULE);
        }
        if (r.assignee() != null && pending == null && REASSIGNABLE.contains(r.status())) {
            allowed.add(REASSIGN); // 改派: to another of the unit's officers, signed for or not
        }
        return allowed;
    }

    /** Applies a person's action, or refuses it with a message that says why. */
    public static CaseChange decide(CaseRecord r, Command c, Instant now) {
        if (c.action() == CaseAction.COMMENT) {
            return comment(r, c.actor(), c.note(), now); // open to every status but a final one
        }
        Set<CaseAction> allowed = allowedActions(r);
        if (!allowed.contains(c.action())) {
            throw new IllegalTransitionException(r.status(), c.action(), allowed, refusal(r, c.action(), allowed));
        }
        String note = c.note() == null || c.note().isBlank() ? null : c.note().trim();
        if (c.action().requiresNote() && note == null) {
            throw new InvalidCommandException("note", c.action() + " needs a note saying why");
        }
        Accountability acc = r.accountability();
        CaseRecord next;
        List<Outgoing> dedicated = new ArrayList<>();
        String action = c.action().name();
        String text = note;
        switch (c.action()) {
            case ACCEPT -> next = r.withStatus(CaseStatus.ACCEPTED, now);
            case RECALL -> {
                next = r.withStatus(CaseStatus.ACCEPTED, now).withAccountability(acc.withAssignee(null));
                text = "from officer " + r.assignee() + ": " + note;
            }
            case REASSIGN -> {
                if (c.officer() == null) {
                    throw new InvalidCommandException("officer", "REASSIGN names the department officer to give the"
                            + " case to (officer)");
                }
                if (c.officer().equals(r.assignee())) {
                    throw new InvalidCommandException("officer", "the case is with " + r.assignee() + " already;"
                            + " REASSIGN gives it to another officer");
                }
                // the new officer signs for it by their own acceptance limit, from now; the unit's handling due time
                // stands (改派 gives nobody more time)
                next = r.withStatus(CaseStatus.DISPATCHED, now)
                        .withClocks(now, c.acceptDue(), r.dueAt() != null ? r.dueAt() : c.dispatchDue())
                        .withAccountability(acc.withAssignee(c.officer()));
                text = "from officer " + r.assignee() + " to officer " + c.officer() + ": " + note;
            }
            case REJECT -> next = r.withStatus(CaseStatus.REJECTED, now).withResolution(note);
            case START -> next = r.withStatus(CaseStatus.IN_PROGRESS, now);
            case RESOLVE -> {
                next = r.withStatus(CaseStatus.RESOLVED, now).withResolution(note);
                if (next.ownsOutcome() && c.verifyDue() != null) {
                    next = next.withVerification(now, c.verifyDue());
                }
            }
            case VERIFY -> next = r.withStatus(CaseStatus.VERIFIED, now);
            case CLOSE -> next = r.withStatus(CaseStatus.CLOSED, now);
            case REWORK -> next = r.withStatus(r.dispatchedTo() != null ? CaseStatus.DISPATCHED : CaseStatus.REWORK, now);
            case RETURN -> {
                next = r.withStatus(CaseStatus.CLOSED, now)
                        .withResolution("returned to " + r.escalatedFrom() + ": " + note);
                if (c.reason() != null && !c.reason().isBlank()) {
                    text = "[" + c.reason().trim() + "] " + note;
                }
            }
            case ESCALATE -> {
                UnitCode parent = r.unit().parent().orElseThrow();
                next = r.withStatus(CaseStatus.ESCALATED, now)
                        .withLinks(r.origin(), r.escalatedFrom(), parent, r.dispatchedBy(), null)
                        .withAccountability(acc.withAssignee(null));
            }
            case DISPATCH -> {
                if (c.officer() != null) {
                    if (c.target() != null) {
                        throw new InvalidCommandException("officer", "DISPATCH goes to a child unit (target) or to a"
                                + " department officer (officer), not both");
                    }
                    // the officer signs by their own acceptance limit; the unit's handling due time stands (an
                    // internal dispatch gives nobody more time)
                    next = r.withStatus(CaseStatus.DISPATCHED, now)
                            .withLinks(r.origin(), r.escalatedFrom(), r.escalatedTo(), r.dispatchedBy(), null)
                            .withClocks(now, c.acceptDue(), r.dueAt() != null ? r.dueAt() : c.dispatchDue())
                            .withAccountability(acc.withAssignee(c.officer()));
                    text = "to officer " + c.officer() + (note == null ? "" : ": " + note);
                    break;
                }
                UnitCode target = c.target();
                if (target == null) {
                    throw new InvalidCommandException("target", r.unit().tier() == Tier.COMMUNITY
                            ? "a community dispatches to a department officer: name them in officer"
                            : "DISPATCH needs a target (the code of a child unit of " + r.unit()
                            + ") or an officer (a department officer of the unit)");
                }
                if (r.unit().tier() == Tier.COMMUNITY) {
                    throw new InvalidCommandException("target", "a community has no child units to dispatch to; name"
                            + " a department officer who serves it in officer");
                }
                if (!r.unit().isParentOf(target)) {
                    throw new InvalidCommandException("target", target + " is not a child unit of " + r.unit()
                            + "; a case is dispatched to a child unit (to forward it sideways, dispatch it to the sibling)");
                }
                Instant due = c.dispatchDue() == null ? r.dueAt() : c.dispatchDue();
                next = r.withStatus(CaseStatus.DISPATCHED, now)
                        .withLinks(r.origin(), r.escalatedFrom(), r.escalatedTo(), r.dispatchedBy(), target)
                        .withDueAt(due)
                        .withAccountability(acc.withAssignee(null));
            }
            case RETURN_REQUEST, EXTEND_REQUEST, PARK_REQUEST -> {
                PendingRequest request = request(r, c, note, now);
                next = r.withStatus(r.status(), now).withAccountability(acc.withPending(request));
                text = request.describe();
            }
            case APPROVE, OVERRULE -> {
                PendingRequest p = r.pending();
                boolean approved = c.action() == APPROVE;
                Instant granted = approved && p.kind() != PendingRequest.Kind.RETURN
                        ? (c.until() != null ? c.until() : p.until()) : null;
                if (approved && p.kind() != PendingRequest.Kind.RETURN && (granted == null || !granted.isAfter(now))) {
                    throw new InvalidCommandException("until", (p.kind() == PendingRequest.Kind.PARK
                            ? "the review date" : "the new due time") + " must be in the future: " + granted);
                }
                boolean local = p.fromUnit().equals(r.unit());
                Accountability decided = acc.withPending(null);
                next = r.withStatus(r.status(), now);
                if (approved) {
                    switch (p.kind()) {
                        case RETURN -> {
                            decided = decided.withAssignee(null).bounced();
                            next = r.withStatus(CaseStatus.ACCEPTED, now)
                                    .withLinks(r.origin(), r.escalatedFrom(), r.escalatedTo(), r.dispatchedBy(), null);
                        }
                        case EXTENSION -> {
                            next = next.withDueAt(granted);
                            decided = local ? decided.extended() : decided;
                        }
                        case PARK -> decided = decided.parkedUntil(granted);
                        default -> {
                        }
                    }
                }
                next = next.withAccountability(decided);
                action = p.kind().decision(approved);
                text = (local ? p.requestedBy() : p.fromUnit().value()) + "'s request"
                        + (granted == null ? "" : (p.kind() == PendingRequest.Kind.PARK ? ", review on " : ", due ") + granted)
                        + (note == null ? "" : ": " + note);
                if (!local) {
                    dedicated.add(new Outgoing.Decision(p.fromUnit(), null, p.kind(), approved, granted, note));
                }
            }
            case RECATEGORISE -> {
                String category = c.category();
                if (category == null) {
                    throw new InvalidCommandException("category", "RECATEGORISE needs the new category");
                }
                String old = r.details().categoryCode();
                if (category.equals(old)) {
                    throw new InvalidCommandException("category", "the case is already in category " + old);
                }
                CaseDetails d = r.details();
                next = r.withStatus(r.status(), now)
                        .withDetails(new CaseDetails(category, d.title(), d.description(), d.location(), d.gridCode(),
                                d.source(), d.reporter(), d.reportedAt()))
                        .withClocks(r.clockFrom(), c.acceptDue(), c.dispatchDue())
                        .withAccountability(acc.recategorised());
                text = old + RECATEGORISED_TO + category + (note == null ? "" : ": " + note);
            }
            default -> throw new IllegalStateException("unhandled action " + c.action());
        }
        TimelineEntry entry = TimelineEntry.of(now, r.unit(), c.actor(), action, r.status(), next.status(), text);
        List<Outgoing> messages = new ArrayList<>();
        switch (c.action()) {
            case ESCALATE -> messages.add(new Outgoing.Escalation(next.escalatedTo(), entry));
            case DISPATCH -> {
                if (next.dispatchedTo() != null) {
                    messages.add(new Outgoing.Dispatch(next.dispatchedTo(), entry, note, next.dueAt()));
                }
            }
            case RETURN -> messages.add(new Outgoing.Return(r.escalatedFrom(), entry, note,
                    c.reason() == null || c.reason().isBlank() ? null : c.reason().trim()));
            case RETURN_REQUEST, EXTEND_REQUEST, PARK_REQUEST -> {
                PendingRequest p = next.pending();
                if (!p.decidedAt(r.unit())) {
                    messages.add(new Outgoing.Request(p.decider(), entry, p));
                }
            }
            default -> {
                for (Outgoing m : dedicated) {
                    if (m instanceof Outgoing.Decision d) {
                        messages.add(new Outgoing.Decision(d.to(), entry, d.kind(), d.approved(), d.until(), d.note()));
                    }
                }
            }
        }
        return change(next, entry, messages, null);
    }

    // ---- a note on the record (留言, 阶段反馈, 批示) ----------------------------------------------------------

    /**
     * Whether a note may be written on the record: while the case is open here, whether this unit holds it or waits on
     * another (a unit waiting below asks after it, a unit above instructs the one handling it).
     */
    public static boolean mayComment(CaseRecord r) {
        return !r.status().isTerminal() && r.status() != CaseStatus.UNKNOWN;
    }

    /**
     * A note on the record ({@link CaseAction#COMMENT}): its status, clocks and links stay as they are; the entry
     * travels to every neighbour of the record, and on along the chain, as every entry does.
     */
    public static CaseChange comment(CaseRecord r, String actor, String note, Instant now) {
        if (!mayComment(r)) {
            Set<CaseAction> allowed = allowedActions(r);
            throw new IllegalTransitionException(r.status(), CaseAction.COMMENT, allowed, "cannot COMMENT a case that is "
                    + r.status() + " at " + r.unit() + " (the case is final here; a note is written while it is open)");
        }
        String text = note == null || note.isBlank() ? null : note.trim();
        if (text == null) {
            throw new InvalidCommandException("note", "COMMENT needs a note: what to say about the case");
        }
        CaseRecord next = r.withStatus(r.status(), now);
        TimelineEntry entry = TimelineEntry.of(now, r.unit(), actor, CaseAction.COMMENT.name(), r.status(), r.status(),
                text);
        return change(next, entry, List.of(), null);
    }

    // ---- merging a duplicate ---------------------------------------------------------------------------

    /** Whether the unit holds the record itself now (not waiting on another unit, not finished), so may merge it. */
    public static boolean mayMerge(CaseRecord r) {
        return MERGEABLE.contains(r.status());
    }

    /** The two sides of a merge: the merged record closes, the surviving case records that it took it in. */
    public record Merge(CaseChange merged, CaseChange survivor) {
    }

    /**
     * Merges {@code merged} (a new record that duplicates an open case) into {@code survivor}, a record of the same
     * unit: the merged record is CLOSED with a resolution naming the surviving case, and each side's entry travels
     * along its own chain (a MERGE closes the merged record's neighbours as a CLOSE does).
     */
    public static Merge merge(CaseRecord merged, CaseRecord survivor, String actor, String note, Instant now) {
        if (!mayMerge(merged)) {
            Set<CaseAction> allowed = allowedActions(merged);
            throw new IllegalTransitionException(merged.status(), CaseAction.MERGE, allowed, "cannot MERGE a case that is "
                    + merged.status() + " at " + merged.unit() + " (only a record the unit holds itself — REPORTED,"
                    + " ACCEPTED, RETURNED, IN_PROGRESS or REWORK — is merged into another case); "
                    + (allowed.isEmpty() ? "no action is allowed now" : "allowed now: "
                    + allowed.stream().map(Enum::name).collect(Collectors.joining(", "))));
        }
        if (survivor.caseId().equals(merged.caseId())) {
            throw new InvalidCommandException("into", "a case cannot be merged into itself");
        }
        if (!survivor.unit().equals(merged.unit())) {
            throw new InvalidCommandException("into", "case " + survivor.caseId() + " is held by " + survivor.unit()
                    + "; a case is merged into an open case of the same unit " + merged.unit());
        }
        if (survivor.status().isTerminal()) {
            throw new InvalidCommandException("into", "case " + survivor.caseId() + " is " + survivor.status() + " at "
                    + survivor.unit() + "; a case is merged into an open case");
        }
        String category = merged.details().categoryCode();
        if (!category.equals(survivor.details().categoryCode())) {
            throw new InvalidCommandException("into", "case " + survivor.caseId() + " is of category "
                    + survivor.details().categoryCode() + ", this one of " + category
                    + "; only a duplicate of the same category is merged (RECATEGORISE it first if it is the same problem)");
        }
        String text = note == null || note.isBlank() ? null : note.trim();
        String reporter = merged.details().reporter();
        CaseRecord closed = merged.withStatus(CaseStatus.CLOSED, now)
                .withResolution("merged into case " + survivor.caseId())
                .withAccountability(merged.accountability().withPending(null));
        TimelineEntry mergedEntry = TimelineEntry.of(now, merged.unit(), actor, CaseAction.MERGE.name(), merged.status(),
                CaseStatus.CLOSED, "merged into case " + survivor.caseId() + (text == null ? "" : ": " + text));
        CaseRecord kept = survivor.withStatus(survivor.status(), now);
        TimelineEntry keptEntry = TimelineEntry.of(now, survivor.unit(), actor, MERGED_IN, survivor.status(),
                survivor.status(), "case " + merged.caseId() + MERGED_INTO_THIS
                        + (reporter == null ? "" : "; its reporter " + reporter + " follows this case")
                        + (text == null ? "" : ": " + text));
        return new Merge(change(closed, mergedEntry, List.of(), null), change(kept, keptEntry, List.of(), null));
    }

    // ---- the reporter's verdict (回访) and reopening ----------------------------------------------------

    /** Whether this record takes the reporter's verdict: the closed record of the unit where the case was reported. */
    public static boolean takesVerdict(CaseRecord r) {
        return r.status() == CaseStatus.CLOSED && r.origin() == Origin.INTAKE;
    }

    /** Where a reopened case is handled again, and by when (the category's handling limit from the reopen). */
    public record Reopening(UnitCode resolver, Instant dueAt) {
    }

    /**
     * The reporter's verdict on the record of the unit where the case was reported, within {@code window} of its
     * close. SATISFIED is recorded; NOT_FIXED (with a note) reopens the case: the entry travels the chain, the unit
     * that resolved it gets it back (REOPENED), every other record waits again on the unit it handed it to.
     */
    public static CaseChange giveVerdict(CaseRecord r, String actor, Verdict verdict, String note, HandlingRound round,
                                         Duration window, Instant reopenDue, Instant now) {
        if (!takesVerdict(r)) {
            Set<CaseAction> allowed = allowedActions(r);
            String why = r.status() != CaseStatus.CLOSED
                    ? "the reporter's verdict comes after the case is CLOSED"
                    : "the verdict is given at the unit where the case was reported, not at " + r.unit();
            throw new IllegalTransitionException(r.status(), CaseAction.VERDICT, allowed, "cannot VERDICT a case that is "
                    + r.status() + " at " + r.unit() + " (" + why + "); " + (allowed.isEmpty() ? "no action is allowed now"
                    : "allowed now: " + allowed.stream().map(Enum::name).collect(Collectors.joining(", "))));
        }
        if (verdict == null) {
            throw new InvalidCommandException("verdict", "VERDICT needs verdict: SATISFIED or NOT_FIXED");
        }
        String text = note == null || note.isBlank() ? null : note.trim();
        if (verdict == Verdict.NOT_FIXED && text == null) {
            throw new InvalidCommandException("note", "a NOT_FIXED verdict needs a note saying what is still wrong");
        }
        if (round.resolver() == null || round.closedAt() == null) {
            throw new IllegalTransitionException(r.status(), CaseAction.VERDICT, Set.of(), "cannot VERDICT case "
                    + r.caseId() + ": it was closed without being resolved (" + r.resolution() + "); no action is allowed now");
        }
        if (round.verdict() != null) {
            throw new IllegalTransitionException(r.status(), CaseAction.VERDICT, Set.of(), "the verdict on this close was"
                    + " given already: " + round.verdict().action() + " by " + round.verdict().actor() + " at "
                    + round.verdict().at() + "; no action is allowed now");
        }
        Instant ends = round.closedAt().plus(window);
        if (now.isAfter(ends)) {
            throw new IllegalTransitionException(r.status(), CaseAction.VERDICT, Set.of(), "the time for a verdict on case "
                    + r.caseId() + " ended at " + ends + " (" + window.toDays() + " days after its close at "
                    + round.closedAt() + "); no action is allowed now");
        }
        if (verdict == Verdict.SATISFIED) {
            TimelineEntry entry = TimelineEntry.of(now, r.unit(), actor, verdict.action(), r.status(), r.status(), text);
            return change(r.withStatus(r.status(), now), entry, List.of(), null);
        }
        Reopening reopening = new Reopening(round.resolver(), reopenDue);
        CaseRecord next = reopened(r, reopening, now);
        TimelineEntry entry = TimelineEntry.of(now, r.unit(), actor, verdict.action(), r.status(), next.status(),
                text + " (reopened at " + round.resolver() + ")");
        CaseChange verdictChange = change(next, entry, List.of(), null);
        if (next.status() != CaseStatus.REOPENED) {
            return verdictChange;
        }
        TimelineEntry own = reopenEntry(r, next, now);
        CaseChange followed = change(next, own, List.of(), null);
        List<Outgoing> all = new ArrayList<>(verdictChange.messages());
        all.addAll(followed.messages());
        return new CaseChange(next, List.of(entry, own), all);
    }

    /**
     * A closed record of a reopened case: the resolving unit's gets the case back with new clocks; a record that
     * dispatched or escalated it waits on that unit again, so that RESOLVE, VERIFY and CLOSE travel as before.
     */
    private static CaseRecord reopened(CaseRecord r, Reopening reopening, Instant now) {
        if (r.unit().equals(reopening.resolver())) {
            return r.withStatus(CaseStatus.REOPENED, now).withResolution(null)
                    .withClocks(now, r.acceptDueAt(), reopening.dueAt());
        }
        if (r.dispatchedTo() != null) {
            return r.withStatus(CaseStatus.DISPATCHED, now).withResolution(null).withDueAt(reopening.dueAt());
        }
        if (r.escalatedTo() != null) {
            return r.withStatus(CaseStatus.ESCALATED, now).withResolution(null);
        }
        return r;
    }

    private static TimelineEntry reopenEntry(CaseRecord before, CaseRecord next, Instant now) {
        boolean here = next.status() == CaseStatus.REOPENED;
        return TimelineEntry.of(now, before.unit(), TimelineEntry.SYSTEM, here ? REOPEN : REOPENED, before.status(),
                next.status(), here ? "reopened here on the reporter's NOT_FIXED verdict: counts as rework of "
                        + before.unit() : "the case was reopened; waiting on "
                        + (next.dispatchedTo() != null ? next.dispatchedTo() : next.escalatedTo()) + " again");
    }

    /** A request from the record's receiver: who decides it, and whether it is complete. */
    private static PendingRequest request(CaseRecord r, Command c, String note, Instant now) {
        PendingRequest.Kind kind = switch (c.action()) {
            case RETURN_REQUEST -> PendingRequest.Kind.RETURN;
            case EXTEND_REQUEST -> PendingRequest.Kind.EXTENSION;
            default -> PendingRequest.Kind.PARK;
        };
        boolean byAssignee = c.actor().equals(r.assignee());
        UnitCode decider = byAssignee ? r.unit() : r.dispatchedBy() != null ? r.dispatchedBy() : r.unit();
        String reason = c.reason() == null || c.reason().isBlank() ? null : c.reason().trim();
        switch (kind) {
            case RETURN -> {
                if (reason == null) {
                    throw new InvalidCommandException("reason", "RETURN_REQUEST needs a reason from the list of return"
                            + " reasons, and a note");
                }
                if (!byAssignee && r.dispatchedBy() == null) {
                    throw new InvalidCommandException("action", "only a case dispatched to this unit (or the officer"
                            + " it was dispatched to) can be sent back");
                }
            }
            case EXTENSION -> {
                if (c.until() == null) {
                    throw new InvalidCommandException("until", "EXTEND_REQUEST needs until: the due time asked for");
                }
                Instant current = r.stageDueAt() != null ? r.stageDueAt() : r.dueAt();
                if (!c.until().isAfter(now) || (current != null && !c.until().isAfter(current))) {
                    throw new InvalidCommandException("until", "an extension moves the due time later: " + c.until()
                            + " is not after " + (current != null && current.isAfter(now) ? "the current due time "
                            + current : "now (" + now + ")"));
                }
            }
            default -> {
                if (c.until() == null || !c.until().isAfter(now)) {
                    throw new InvalidCommandException("until", "PARK_REQUEST needs until: a review date in the future");
                }
            }
        }
        return new PendingRequest(kind, r.unit(), decider, c.actor(), reason, note, c.until(), now);
    }

    /**
     * The overdue scan escalates a record still overdue after its category's grace period (done by the system, with
     * a note saying why); null when the record cannot go up.
     */
    public static CaseChange autoEscalate(CaseRecord r, String note, Instant now) {
        boolean waitsHere = switch (r.status()) {
            case REPORTED, ACCEPTED, RETURNED, IN_PROGRESS, REWORK -> true;
            case DISPATCHED -> r.assignee() != null;
            default -> false;
        };
        UnitCode parent = r.unit().parent().orElse(null);
        if (!waitsHere || parent == null) {
            return null;
        }
        CaseRecord next = r.withStatus(CaseStatus.ESCALATED, now)
                .withLinks(r.origin(), r.escalatedFrom(), parent, r.dispatchedBy(), null)
                .withAccountability(r.accountability().withAssignee(null).withPending(null));
        TimelineEntry entry = TimelineEntry.of(now, r.unit(), TimelineEntry.SYSTEM, ESCALATE.name(), r.status(),
                CaseStatus.ESCALATED, note);
        return change(next, entry, List.of(new Outgoing.Escalation(parent, entry)), null);
    }

    /** A parked record's review date came: its clocks count again (and it is overdue again if it was). */
    public static CaseChange reviewPark(CaseRecord r, Instant now) {
        CaseRecord next = r.withStatus(r.status(), now).withAccountability(r.accountability().parkedUntil(null));
        TimelineEntry entry = TimelineEntry.of(now, r.unit(), TimelineEntry.SYSTEM, PARK_REVIEW, r.status(), r.status(),
                "review date " + r.accountability().parkedUntil() + " reached: the case is back in the overdue count");
        return change(next, entry, List.of(), null);
    }

    /**
     * A request of a child this unit dispatched the case to reached the dispatcher's record: it waits on this unit's
     * decision. A request that no longer fits (the record was re-dispatched) is only kept in the timeline.
     */
    public static CaseChange receiveRequest(CaseRecord r, UnitCode from, PendingRequest request, TimelineEntry e,
                                            boolean isNew, Instant now) {
        if (!isNew) {
            return CaseChange.none(r);
        }
        List<Outgoing> out = forward(r, from, e);
        if (r.status() != CaseStatus.DISPATCHED || !from.equals(r.dispatchedTo()) || !request.decidedAt(r.unit())) {
            return new CaseChange(r, List.of(e), out);
        }
        CaseRecord next = r.withStatus(r.status(), now).withAccountability(r.accountability().withPending(request));
        return new CaseChange(next, List.of(e), out);
    }

    /** The dispatcher decided this unit's request. */
    public static CaseChange receiveDecision(CaseRecord r, UnitCode from, PendingRequest.Kind kind, boolean approved,
                                             Instant until, TimelineEntry e, boolean isNew, Instant now) {
        if (!isNew) {
            return CaseChange.none(r);
        }
        List<Outgoing> out = forward(r, from, e);
        PendingRequest p = r.pending();
        if (p == null || p.kind() != kind || !from.equals(p.decider())) {
            return new CaseChange(r, List.of(e), out);
        }
        Accountability acc = r.accountability().withPending(null);
        CaseRecord next = r.withStatus(r.status(), now);
        TimelineEntry own = null;
        if (approved) {
            switch (kind) {
                case RETURN -> {
                    next = r.withStatus(CaseStatus.CLOSED, now).withResolution("sent back to " + from + " (return approved)");
                    own = TimelineEntry.of(now, r.unit(), TimelineEntry.SYSTEM, HANDED_BACK, r.status(), CaseStatus.CLOSED,
                            "the case went back to " + from + ", which approved the return");
                }
                case EXTENSION -> {
                    if (until != null) {
                        next = next.withDueAt(until);
                    }
                    acc = acc.extended();
                }
                case PARK -> acc = acc.parkedUntil(until);
                default -> {
                }
            }
        }
        next = next.withAccountability(acc);
        if (own == null) {
            return new CaseChange(next, List.of(e), out);
        }
        CaseChange followed = change(next, own, List.of(), null);
        List<Outgoing> all = new ArrayList<>(out);
        all.addAll(followed.messages());
        return new CaseChange(next, List.of(e, own), all);
    }

    /**
     * A supervision notice (督办) from a unit above: the running clock gets the new deadline, the notice is counted
     * (and marked when a leader sent it: 领导督办), and its entry travels along the chain.
     */
    public static CaseChange receiveSupervision(CaseRecord r, UnitCode from, TimelineEntry e, Instant newDue,
                                                boolean byLeader, boolean isNew, Instant now) {
        if (!isNew) {
            return CaseChange.none(r);
        }
        List<Outgoing> out = forward(r, from, e);
        CaseRecord next = r.withStatus(r.status(), now).withAccountability(r.accountability().supervised(byLeader));
        if (newDue != null) {
            switch (r.runningClock()) {
                case ACCEPTANCE -> next = next.withAcceptDueAt(newDue).withDueAt(
                        r.dueAt() == null || r.dueAt().isBefore(newDue) ? newDue : r.dueAt());
                case HANDLING -> next = next.withDueAt(newDue);
                case VERIFICATION -> next = next.withVerification(r.verifyFrom() != null ? r.verifyFrom() : now, newDue);
                case NONE -> {
                }
            }
        }
        return new CaseChange(next, List.of(e), out);
    }

    /** An entry new to this node travels on to every neighbour of the record but the one it came from. */
    private static List<Outgoing> forward(CaseRecord r, UnitCode from, TimelineEntry e) {
        List<Outgoing> out = new ArrayList<>();
        for (UnitCode n : r.neighbours()) {
            if (!n.equals(from)) {
                out.add(new Outgoing.Progress(n, e, r.status(), r.resolution()));
            }
        }
        return out;
    }

    /** A child hands the case up to this unit: this unit's clocks start now. */
    public static CaseChange receiveEscalation(Optional<CaseRecord> existing, UUID caseId, UnitCode unit,
                                               UnitCode from, CaseDetails details, Instant dueAt, Instant now) {
        return receiveEscalation(existing, caseId, unit, from, details, null, dueAt, now);
    }

    /** A child hands the case up to this unit: this unit's clocks start now (accept by, handle by). */
    public static CaseChange receiveEscalation(Optional<CaseRecord> existing, UUID caseId, UnitCode unit,
                                               UnitCode from, CaseDetails details, Instant acceptDueAt, Instant dueAt,
                                               Instant now) {
        CaseRecord base = existing.orElseGet(() -> new CaseRecord(caseId, unit, CaseStatus.REPORTED, Origin.ESCALATION,
                details, null, null, null, null, null, dueAt, now, now));
        CaseStatus before = existing.map(CaseRecord::status).orElse(null);
        CaseRecord next = base.withStatus(CaseStatus.REPORTED, now)
                .withLinks(Origin.ESCALATION, from, base.escalatedTo(), base.dispatchedBy(), null)
                .withClocks(now, acceptDueAt, dueAt);
        TimelineEntry entry = TimelineEntry.of(now, unit, TimelineEntry.SYSTEM, RECEIVE, before, CaseStatus.REPORTED,
                "escalated by " + from);
        return change(next, entry, List.of(), null);
    }

    /** The parent hands the case down to this unit; the handling clock starts now (the due time comes with it). */
    public static CaseChange receiveDispatch(Optional<CaseRecord> existing, UUID caseId, UnitCode unit,
                                             UnitCode from, CaseDetails details, Instant dueAt, String instructions,
                                             Instant now) {
        return receiveDispatch(existing, caseId, unit, from, details, now, null, dueAt, instructions, now);
    }

    /**
     * The parent hands the case down to this unit. Its clocks started at {@code dispatchedAt}, the moment of the
     * dispatch, not at the receipt: accept by {@code acceptDueAt}, handle by {@code dueAt} (which the dispatcher set).
     */
    public static CaseChange receiveDispatch(Optional<CaseRecord> existing, UUID caseId, UnitCode unit,
                                             UnitCode from, CaseDetails details, Instant dispatchedAt,
                                             Instant acceptDueAt, Instant dueAt, String instructions, Instant now) {
        CaseRecord base = existing.orElseGet(() -> new CaseRecord(caseId, unit, CaseStatus.REPORTED, Origin.DISPATCH,
                details, null, null, null, null, null, dueAt, now, now));
        CaseStatus before = existing.map(CaseRecord::status).orElse(null);
        CaseRecord next = base.withStatus(CaseStatus.REPORTED, now)
                .withLinks(Origin.DISPATCH, base.escalatedFrom(), base.escalatedTo(), from, null)
                .withClocks(dispatchedAt, acceptDueAt, dueAt);
        TimelineEntry entry = TimelineEntry.of(now, unit, TimelineEntry.SYSTEM, RECEIVE, before, CaseStatus.REPORTED,
                instructions == null ? "dispatched by " + from : "dispatched by " + from + ": " + instructions);
        return change(next, entry, List.of(), null);
    }

    /** The parent sent this unit's escalation back: the record is this unit's to handle again. */
    public static CaseChange receiveReturn(CaseRecord r, UnitCode from, String reason, Instant now) {
        if (r.status() != CaseStatus.ESCALATED || !from.equals(r.escalatedTo())) {
            return CaseChange.none(r);
        }
        CaseRecord next = r.withStatus(CaseStatus.RETURNED, now)
                .withLinks(r.origin(), r.escalatedFrom(), null, r.dispatchedBy(), r.dispatchedTo());
        TimelineEntry entry = TimelineEntry.of(now, r.unit(), TimelineEntry.SYSTEM, RETURNED, r.status(),
                CaseStatus.RETURNED, "returned by " + from + (reason == null ? "" : ": " + reason));
        return change(next, entry, List.of(), null);
    }

    /**
     * Another unit's timeline entry reached this record. {@code isNew} says whether this node had not seen
     * the entry yet; only then is it passed on (to every neighbour but the sender) and may it move this record:
     * a dispatched child finishing its level resolves this record, a dispatcher's rework request reopens it,
     * a close anywhere closes it.
     */
    public static CaseChange receiveProgress(CaseRecord r, UnitCode from, TimelineEntry e, String resolution,
                                             boolean isNew, Instant now) {
        return receiveProgress(r, from, e, resolution, isNew, null, now);
    }

    /**
     * As above; {@code reopening} (for a NOT_FIXED verdict: the unit that resolved the case and the new due time)
     * reopens a closed record wherever the entry reaches it, so that the reopen travels the chain as a close does.
     */
    public static CaseChange receiveProgress(CaseRecord r, UnitCode from, TimelineEntry e, String resolution,
                                             boolean isNew, Reopening reopening, Instant now) {
        return receiveProgress(r, from, e, resolution, isNew, reopening, null, now);
    }

    /**
     * As above; {@code verifyDue} is when this unit must verify the outcome if the entry resolves its record (the child
     * it dispatched the case to finished): the category's verification limit from now.
     */
    public static CaseChange receiveProgress(CaseRecord r, UnitCode from, TimelineEntry e, String resolution,
                                             boolean isNew, Reopening reopening, Instant verifyDue, Instant now) {
        if (!isNew) {
            return CaseChange.none(r);
        }
        List<Outgoing> out = new ArrayList<>();
        for (UnitCode n : r.neighbours()) {
            if (!n.equals(from)) {
                out.add(new Outgoing.Progress(n, e, r.status(), r.resolution()));
            }
        }
        boolean direct = e.unit().equals(from);
        CaseRecord next = null;
        String action = null;
        String note = e.note();
        if (childResolved(r, from, e)) {
            next = r.withStatus(CaseStatus.RESOLVED, now).withResolution(resolution);
            if (verifyDue != null) {
                next = next.withVerification(now, verifyDue);
            }
            action = CHILD_RESOLVED;
            note = "resolved by " + from + (resolution == null ? "" : ": " + resolution);
        } else if (direct && from.equals(r.dispatchedBy()) && CaseAction.REWORK.name().equals(e.action())
                && (r.status() == CaseStatus.RESOLVED || r.status() == CaseStatus.VERIFIED)) {
            next = r.withStatus(r.dispatchedTo() != null ? CaseStatus.DISPATCHED : CaseStatus.REWORK, now);
            action = CaseAction.REWORK.name();
        } else if (reopening != null && Verdict.NOT_FIXED.action().equals(e.action())
                && r.status() == CaseStatus.CLOSED) {
            CaseRecord back = reopened(r, reopening, now);
            if (back != r) {
                TimelineEntry own = reopenEntry(r, back, now);
                CaseChange followed = change(back, own, List.of(), null);
                List<Outgoing> all = new ArrayList<>(out);
                all.addAll(followed.messages());
                return new CaseChange(back, List.of(e, own), all);
            }
        } else if (direct && (CaseAction.CLOSE.name().equals(e.action()) || CLOSED.equals(e.action())
                || CaseAction.MERGE.name().equals(e.action())) && !r.status().isTerminal()) {
            next = r.withStatus(CaseStatus.CLOSED, now).withResolution(resolution != null ? resolution : r.resolution());
            action = CLOSED;
            note = "closed by " + from;
        }
        if (next == null) {
            return new CaseChange(r, List.of(e), out);
        }
        TimelineEntry own = TimelineEntry.of(now, r.unit(), TimelineEntry.SYSTEM, action, r.status(), next.status(), note);
        CaseChange followed = change(next, own, List.of(), null);
        List<TimelineEntry> entries = List.of(e, own);
        List<Outgoing> all = new ArrayList<>(out);
        all.addAll(followed.messages());
        return new CaseChange(next, entries, all);
    }

    /**
     * Whether the entry, made by the child this record was dispatched to and reaching it from that child, finishes the
     * child's level (its RESOLVE, or a middle dispatcher's VERIFY): the record becomes RESOLVED here and this unit's
     * verification clock starts. Only then does {@link #receiveProgress} use its {@code verifyDue}.
     */
    public static boolean childResolved(CaseRecord r, UnitCode from, TimelineEntry e) {
        return e.unit().equals(from) && from.equals(r.dispatchedTo()) && r.status() == CaseStatus.DISPATCHED
                && (CaseAction.RESOLVE.name().equals(e.action()) || CaseAction.VERIFY.name().equals(e.action()));
    }

    /**
     * Entries that came with an escalation or dispatch and that this node had not seen yet travel on to the
     * record's other neighbours, as any newly seen entry does (a case dispatched back down to a unit that had
     * escalated it must tell the child waiting below).
     */
    public static CaseChange forwardHistory(CaseChange change, List<TimelineEntry> fresh, UnitCode from) {
        if (fresh.isEmpty()) {
            return change;
        }
        CaseRecord r = change.record();
        List<Outgoing> all = new ArrayList<>();
        for (TimelineEntry e : fresh) {
            for (UnitCode n : r.neighbours()) {
                if (!n.equals(from)) {
                    all.add(new Outgoing.Progress(n, e, r.status(), r.resolution()));
                }
            }
        }
        all.addAll(change.messages());
        return new CaseChange(r, change.entries(), all);
    }

    /** An own entry goes to its dedicated receiver with the dedicated message and as progress to every other neighbour. */
    private static CaseChange change(CaseRecord next, TimelineEntry entry, List<Outgoing> dedicated, UnitCode exclude) {
        Set<UnitCode> covered = dedicated.stream().map(Outgoing::to).collect(Collectors.toSet());
        List<Outgoing> out = new ArrayList<>(dedicated);
        for (UnitCode n : next.neighbours()) {
            if (!covered.contains(n) && !n.equals(exclude)) {
                out.add(new Outgoing.Progress(n, entry, next.status(), next.resolution()));
            }
        }
        return new CaseChange(next, List.of(entry), out);
    }

    private static String refusal(CaseRecord r, CaseAction action, Set<CaseAction> allowed) {
        String base = "cannot " + action + " a case that is " + r.status() + " at " + r.unit();
        String why = switch (r.status()) {
            case DISPATCHED -> r.assignee() != null ? "it was dispatched to officer " + r.assignee() + ", who signs for it"
                    : "it was dispatched to " + r.dispatchedTo() + " and follows that unit until it reports back";
            case ESCALATED -> "it was escalated to " + r.escalatedTo() + " and follows that unit";
            case CLOSED, REJECTED -> "the case is final here";
            case RESOLVED -> r.ownsOutcome() ? null
                    : "the outcome is verified by " + r.dispatchedBy() + ", which dispatched it here";
            case VERIFIED -> r.dispatchedBy() != null ? "the dispatching unit " + r.dispatchedBy() + " closes it" : null;
            case REPORTED -> switch (action) {
                case REJECT -> "only a unit's own intake can be rejected; send an escalation back with RETURN";
                case RETURN -> "only an escalation from a child can be returned";
                default -> null;
            };
            default -> switch (action) {
                case ESCALATE -> r.unit().parent().isEmpty() ? "the city has no tier above it" : null;
                default -> null;
            };
        };
        if (CaseAction.DECISIONS.contains(action)) {
            why = r.pending() == null ? "no request is waiting on a decision"
                    : "the request waits on " + r.pending().decider() + ", which dispatched the case";
        } else if (CaseAction.REQUESTS.contains(action) && r.pending() != null) {
            why = "a " + r.pending().kind() + " request of " + r.pending().requestedBy() + " already waits on "
                    + r.pending().decider();
        } else if (action == RECALL && r.status() == CaseStatus.DISPATCHED && r.assignee() != null) {
            why = "a " + r.pending().kind() + " request of " + r.pending().requestedBy() + " waits on a decision first"
                    + (r.pending().kind() == PendingRequest.Kind.RETURN ? " (APPROVE takes the case back)" : "");
        } else if (action == REASSIGN) {
            why = r.assignee() == null ? "only a case one of the unit's department officers holds is reassigned; give"
                    + " it to one with DISPATCH" : r.pending() != null ? "a " + r.pending().kind() + " request of "
                    + r.pending().requestedBy() + " waits on a decision first" : why;
        } else if (action == RECALL && why == null) {
            why = "only a case dispatched to an officer of the unit who has not signed for it yet is recalled";
        } else if (action == RETURN_REQUEST && why == null) {
            why = "only a receiver that has not started may ask to send back a case dispatched to it";
        }
        String allowedText = allowed.isEmpty() ? "no action is allowed now"
                : "allowed now: " + allowed.stream().map(Enum::name).collect(Collectors.joining(", "));
        return base + (why == null ? "" : " (" + why + ")") + "; " + allowedText;
    }
}
