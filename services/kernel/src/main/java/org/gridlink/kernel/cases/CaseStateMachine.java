package org.gridlink.kernel.cases;

import static org.gridlink.kernel.cases.CaseAction.ACCEPT;
import static org.gridlink.kernel.cases.CaseAction.CLOSE;
import static org.gridlink.kernel.cases.CaseAction.DISPATCH;
import static org.gridlink.kernel.cases.CaseAction.ESCALATE;
import static org.gridlink.kernel.cases.CaseAction.REJECT;
import static org.gridlink.kernel.cases.CaseAction.RESOLVE;
import static org.gridlink.kernel.cases.CaseAction.RETURN;
import static org.gridlink.kernel.cases.CaseAction.REWORK;
import static org.gridlink.kernel.cases.CaseAction.START;
import static org.gridlink.kernel.cases.CaseAction.VERIFY;

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

    private CaseStateMachine() {
    }

    /** The actions a person may take on the record now. */
    public static Set<CaseAction> allowedActions(CaseRecord r) {
        EnumSet<CaseAction> allowed = EnumSet.noneOf(CaseAction.class);
        boolean hasParent = r.unit().parent().isPresent();
        boolean hasChildren = r.unit().tier() != Tier.COMMUNITY;
        switch (r.status()) {
            case REPORTED -> {
                allowed.add(ACCEPT);
                if (r.origin() == Origin.INTAKE) {
                    allowed.add(REJECT);
                }
                if (r.origin() == Origin.ESCALATION && r.escalatedFrom() != null) {
                    allowed.add(RETURN);
                }
            }
            case ACCEPTED, RETURNED -> {
                allowed.add(START);
                if (hasChildren) {
                    allowed.add(DISPATCH);
                }
                if (hasParent) {
                    allowed.add(ESCALATE);
                }
            }
            case IN_PROGRESS, REWORK -> {
                allowed.add(RESOLVE);
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
                // DISPATCHED and ESCALATED follow another unit; CLOSED and REJECTED are final.
            }
        }
        return allowed;
    }

    /** Applies a person's action, or refuses it with a message that says why. */
    public static CaseChange decide(CaseRecord r, Command c, Instant now) {
        Set<CaseAction> allowed = allowedActions(r);
        if (!allowed.contains(c.action())) {
            throw new IllegalTransitionException(r.status(), c.action(), allowed, refusal(r, c.action(), allowed));
        }
        String note = c.note() == null || c.note().isBlank() ? null : c.note().trim();
        if (c.action().requiresNote() && note == null) {
            throw new InvalidCommandException("note", c.action() + " needs a note saying why");
        }
        CaseRecord next;
        List<Outgoing> dedicated = new ArrayList<>();
        TimelineEntry entry;
        switch (c.action()) {
            case ACCEPT -> next = r.withStatus(CaseStatus.ACCEPTED, now);
            case REJECT -> next = r.withStatus(CaseStatus.REJECTED, now).withResolution(note);
            case START -> next = r.withStatus(CaseStatus.IN_PROGRESS, now);
            case RESOLVE -> next = r.withStatus(CaseStatus.RESOLVED, now).withResolution(note);
            case VERIFY -> next = r.withStatus(CaseStatus.VERIFIED, now);
            case CLOSE -> next = r.withStatus(CaseStatus.CLOSED, now);
            case REWORK -> next = r.withStatus(r.dispatchedTo() != null ? CaseStatus.DISPATCHED : CaseStatus.REWORK, now);
            case RETURN -> next = r.withStatus(CaseStatus.CLOSED, now)
                    .withResolution("returned to " + r.escalatedFrom() + ": " + note);
            case ESCALATE -> {
                UnitCode parent = r.unit().parent().orElseThrow();
                next = r.withStatus(CaseStatus.ESCALATED, now)
                        .withLinks(r.origin(), r.escalatedFrom(), parent, r.dispatchedBy(), null);
            }
            case DISPATCH -> {
                UnitCode target = c.target();
                if (target == null) {
                    throw new InvalidCommandException("target", "DISPATCH needs a target: the code of a child unit of " + r.unit());
                }
                if (!r.unit().isParentOf(target)) {
                    throw new InvalidCommandException("target", target + " is not a child unit of " + r.unit()
                            + "; a case is dispatched to a child unit (to forward it sideways, dispatch it to the sibling)");
                }
                Instant due = c.dispatchDue() == null ? r.dueAt() : c.dispatchDue();
                next = r.withStatus(CaseStatus.DISPATCHED, now)
                        .withLinks(r.origin(), r.escalatedFrom(), r.escalatedTo(), r.dispatchedBy(), target)
                        .withDueAt(due);
            }
            default -> throw new IllegalStateException("unhandled action " + c.action());
        }
        entry = TimelineEntry.of(now, r.unit(), c.actor(), c.action().name(), r.status(), next.status(), note);
        switch (c.action()) {
            case ESCALATE -> dedicated.add(new Outgoing.Escalation(next.escalatedTo(), entry));
            case DISPATCH -> dedicated.add(new Outgoing.Dispatch(next.dispatchedTo(), entry, note, next.dueAt()));
            case RETURN -> dedicated.add(new Outgoing.Return(r.escalatedFrom(), entry, note));
            default -> {
            }
        }
        return change(next, entry, dedicated, null);
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
        if (direct && from.equals(r.dispatchedTo()) && r.status() == CaseStatus.DISPATCHED
                && (CaseAction.RESOLVE.name().equals(e.action()) || CaseAction.VERIFY.name().equals(e.action()))) {
            next = r.withStatus(CaseStatus.RESOLVED, now).withResolution(resolution);
            action = CHILD_RESOLVED;
            note = "resolved by " + from + (resolution == null ? "" : ": " + resolution);
        } else if (direct && from.equals(r.dispatchedBy()) && CaseAction.REWORK.name().equals(e.action())
                && (r.status() == CaseStatus.RESOLVED || r.status() == CaseStatus.VERIFIED)) {
            next = r.withStatus(r.dispatchedTo() != null ? CaseStatus.DISPATCHED : CaseStatus.REWORK, now);
            action = CaseAction.REWORK.name();
        } else if (direct && (CaseAction.CLOSE.name().equals(e.action()) || CLOSED.equals(e.action()))
                && !r.status().isTerminal()) {
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
            case DISPATCHED -> "it was dispatched to " + r.dispatchedTo() + " and follows that unit until it reports back";
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
                case DISPATCH -> r.unit().tier() == Tier.COMMUNITY ? "a community has no child units to dispatch to" : null;
                default -> null;
            };
        };
        String allowedText = allowed.isEmpty() ? "no action is allowed now"
                : "allowed now: " + allowed.stream().map(Enum::name).collect(Collectors.joining(", "));
        return base + (why == null ? "" : " (" + why + ")") + "; " + allowedText;
    }
}
