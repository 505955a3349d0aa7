package org.gridlink.kernel.access;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.gridlink.contracts.Tier;
import org.gridlink.contracts.UnitCode;
import org.gridlink.kernel.cases.CaseAction;
import org.gridlink.kernel.cases.CaseRecord;
import org.gridlink.kernel.cases.CaseStatus;
import org.gridlink.kernel.cases.PendingRequest;

/**
 * Who may see and do what (DESIGN: a person acts only within their unit's subtree). Plain rules on a person and
 * a unit or a record, enforced by every node on every request; the gateway's checks are only a first filter.
 *
 * <ul>
 *   <li><b>Read</b>: the records and queue of any unit in the person's own unit's subtree, of the units a leader
 *       contracts (分包) and of the units an officer is assigned to, each with its subtree. A unit's name, parent
 *       and children can also be read for the person's own chain of superiors (the console's breadcrumbs).
 *       A citizen reads only the cases they reported; any other case is, to them, not there.</li>
 *   <li><b>Report</b>: grid workers, handlers and supervisors at their own unit (a grid worker in their own
 *       grid cells), citizens at their own community.</li>
 *   <li><b>Act</b>: on records of the person's own unit only: a supervisor may do every action, a handler every
 *       action but VERIFY, REWORK and CLOSE (which take a supervisor), a grid worker ACCEPT, START, RESOLVE and
 *       ESCALATE on cases in their own grid cells. A citizen gives the VERDICT on a case they reported (a handler
 *       of the unit where it was reported may record it for them). A department officer STARTs and RESOLVEs records of the units
 *       they are assigned to. A note (COMMENT) is written by whoever acts on the record, the officer holding it,
 *       and a leader of the unit or one who answers for it (批示); otherwise leaders and administrators act on no
 *       record.</li>
 *   <li><b>Patrol</b> (巡查): a grid worker in their own grid cells; a patrol is ended by whoever started it or a
 *       supervisor of the unit; a unit's patrols are read as its queue is.</li>
 * </ul>
 */
public final class Jurisdiction {

    private static final Set<CaseAction> SUPERVISOR_ONLY = EnumSet.of(CaseAction.VERIFY, CaseAction.REWORK, CaseAction.CLOSE,
            CaseAction.REASSIGN);
    private static final Set<CaseAction> GRID_WORKER_ACTIONS = EnumSet.of(CaseAction.ACCEPT, CaseAction.START,
            CaseAction.RESOLVE, CaseAction.ESCALATE, CaseAction.COMMENT);
    private static final Set<CaseAction> OFFICER_ACTIONS = EnumSet.of(CaseAction.START, CaseAction.RESOLVE);
    /** What the officer a record was dispatched to does with it: sign, work, ask to send back, for time, to park. */
    private static final Set<CaseAction> ASSIGNEE_ACTIONS = EnumSet.of(CaseAction.ACCEPT, CaseAction.START,
            CaseAction.RESOLVE, CaseAction.RETURN_REQUEST, CaseAction.EXTEND_REQUEST, CaseAction.PARK_REQUEST,
            CaseAction.COMMENT);
    private static final Set<Role> REPORTERS = EnumSet.of(Role.GRID_WORKER, Role.HANDLER, Role.SUPERVISOR, Role.CITIZEN);

    private Jurisdiction() {
    }

    /** True when the unit's records and queue are within what the person may read. */
    public static boolean mayRead(Person person, UnitCode unit) {
        if (person.isCitizenOnly()) {
            return false;
        }
        return person.unit().contains(unit)
                || person.contracts().stream().anyMatch(c -> c.contains(unit))
                || person.assignments().stream().anyMatch(a -> a.contains(unit));
    }

    /** A unit's own description (name, parent, children, grid cells, categories). */
    public static void checkViewUnit(Person person, UnitCode unit) {
        if (unit.contains(person.unit()) || mayRead(person, unit)) {
            return;
        }
        throw new AccessRefusedException(person.username() + " (" + person.unit() + ") may not see unit " + unit
                + ": it is neither in their unit's subtree nor above it");
    }

    /** A unit's queue of records. */
    public static void checkQueue(Person person, UnitCode unit) {
        checkQueue(person, unit, null);
    }

    /**
     * A unit's queue narrowed to the cases {@code reporter} reported (null: not narrowed so): a citizen may list their
     * own at any unit (every record of them there is theirs to read, and no other is listed), and nothing else.
     */
    public static void checkQueue(Person person, UnitCode unit, String reporter) {
        if (person.isCitizenOnly()) {
            if (person.username().equals(reporter)) {
                return;
            }
            throw new AccessRefusedException("a citizen sees the cases they reported (reporter=me lists them), not a"
                    + " unit's queue");
        }
        if (!mayRead(person, unit)) {
            throw outside(person, unit, "read");
        }
    }

    /**
     * Whether the person may see this record: {@link Visibility#HIDDEN} when its very existence must not be shown
     * to them (a citizen and someone else's report).
     */
    public static Visibility visibility(Person person, CaseRecord record) {
        return visibility(person, record, false);
    }

    /**
     * As above; {@code follows}: the person follows the case (they reported a record merged into it), which lets a
     * citizen read it as their own.
     */
    public static Visibility visibility(Person person, CaseRecord record, boolean follows) {
        if (person.isCitizenOnly()) {
            return follows || person.username().equals(record.details().reporter()) ? Visibility.VISIBLE
                    : Visibility.HIDDEN;
        }
        return mayRead(person, record.unit()) ? Visibility.VISIBLE : Visibility.REFUSED;
    }

    public static void checkRead(Person person, UnitCode unit) {
        if (person.isCitizenOnly() || mayRead(person, unit)) {
            return; // a citizen's reads are checked record by record
        }
        throw outside(person, unit, "read");
    }

    /** A new report at {@code unit}, in grid cell {@code gridCode} (may be null). */
    public static void checkReport(Person person, UnitCode unit, String gridCode) {
        if (person.roles().stream().noneMatch(REPORTERS::contains)) {
            throw new AccessRefusedException(person.username() + " reports no cases: reporting takes a grid worker,"
                    + " a handler, a supervisor or a citizen");
        }
        if (!person.unit().equals(unit)) {
            throw new AccessRefusedException(person.username() + " reports at their own unit " + person.unit()
                    + ", not at " + unit);
        }
        boolean onlyGridWorker = person.has(Role.GRID_WORKER) && !person.has(Role.HANDLER) && !person.has(Role.SUPERVISOR);
        if (onlyGridWorker && (gridCode == null || !person.grids().contains(gridCode))) {
            throw new AccessRefusedException("grid worker " + person.username() + " reports in their own grid cells "
                    + person.grids().stream().sorted().toList() + (gridCode == null ? "; name one" : ", not in " + gridCode));
        }
    }

    /**
     * Whether the person's note on the record is a leader's instruction (领导批示): they are a leader of the record's unit
     * or one who answers for it (分包).
     */
    public static boolean instructs(Person person, CaseRecord record) {
        return person.has(Role.LEADER) && (person.unit().equals(record.unit())
                || person.contracts().stream().anyMatch(c -> c.contains(record.unit())));
    }

    /** What the person may do to this record, whatever its status allows. */
    public static Set<CaseAction> permitted(Person person, CaseRecord record) {
        Set<CaseAction> result = EnumSet.noneOf(CaseAction.class);
        if (person.unit().equals(record.unit())) {
            if (person.has(Role.SUPERVISOR)) {
                result.addAll(EnumSet.allOf(CaseAction.class));
            }
            if (person.has(Role.HANDLER)) {
                EnumSet<CaseAction> handler = EnumSet.allOf(CaseAction.class);
                handler.removeAll(SUPERVISOR_ONLY);
                result.addAll(handler);
            }
            if (person.has(Role.GRID_WORKER) && record.details().gridCode() != null
                    && person.grids().contains(record.details().gridCode())) {
                result.addAll(GRID_WORKER_ACTIONS);
            }
        }
        if (person.has(Role.CITIZEN) && person.username().equals(record.details().reporter())) {
            result.add(CaseAction.VERDICT); // 回访: the reporter judges the outcome
        }
        if (instructs(person, record)) {
            result.add(CaseAction.COMMENT); // 领导批示: a leader of the unit, or one who answers for it (分包)
        }
        if (person.has(Role.DEPARTMENT_OFFICER)
                && (person.unit().equals(record.unit()) || person.assignments().contains(record.unit()))) {
            result.addAll(OFFICER_ACTIONS);
            if (person.username().equals(record.assignee())) {
                result.addAll(ASSIGNEE_ACTIONS);
            }
        }
        if (record.assignee() != null && record.status() == CaseStatus.DISPATCHED
                && !person.username().equals(record.assignee())) {
            result.remove(CaseAction.ACCEPT); // only the officer it was dispatched to signs for it
        }
        PendingRequest pending = record.pending();
        if (pending != null) {
            if (person.username().equals(pending.requestedBy())) {
                result.removeAll(CaseAction.DECISIONS); // nobody decides their own request
            } else if (pending.fromUnit().equals(record.unit()) && record.assignee() == null
                    && !person.has(Role.SUPERVISOR)) {
                result.removeAll(CaseAction.DECISIONS); // the unit's own request for time or a park takes a supervisor
            }
        }
        return result;
    }

    /**
     * A supervision notice (督办) from {@code unit} about a record of {@code below}: by a supervisor of the unit, or by
     * a leader of the unit who answers for (分包) {@code below} or a unit above it.
     */
    public static void checkSupervise(Person person, UnitCode unit, UnitCode below) {
        if (!person.unit().equals(unit)) {
            throw new AccessRefusedException(person.username() + " sends supervision notices from their own unit "
                    + person.unit() + ", not from " + unit);
        }
        if (person.has(Role.SUPERVISOR)) {
            return;
        }
        if (person.has(Role.LEADER) && person.contracts().stream().anyMatch(c -> c.contains(below))) {
            return;
        }
        throw new AccessRefusedException(person.username() + " may not supervise " + below + ": it takes a SUPERVISOR"
                + " of " + unit + " or a LEADER who answers for " + below);
    }

    /**
     * A notice (通知) issued from {@code unit} to the units below it: by a SUPERVISOR or a LEADER of the unit (the
     * command centre's duty supervisor, the unit's leadership deploying work).
     */
    public static void checkIssueNotice(Person person, UnitCode unit) {
        if (!person.unit().equals(unit)) {
            throw new AccessRefusedException(person.username() + " issues notices from their own unit " + person.unit()
                    + ", not from " + unit);
        }
        if (!person.has(Role.SUPERVISOR) && !person.has(Role.LEADER)) {
            throw new AccessRefusedException(person.username() + " may not issue a notice from " + unit
                    + ": it takes a SUPERVISOR or a LEADER of the unit");
        }
    }

    /**
     * An officer's work at {@code unit} handed over to another officer (工作交接, each record a REASSIGN): by a SUPERVISOR
     * of the unit, as a REASSIGN is.
     */
    public static void checkHandOver(Person person, UnitCode unit) {
        if (!person.unit().equals(unit) || !person.has(Role.SUPERVISOR)) {
            throw new AccessRefusedException(person.username() + " may not hand over the work of " + unit
                    + "'s officers: it takes a SUPERVISOR of the unit");
        }
    }

    /**
     * An officer serving {@code unit} marked away from its work (请假, 离岗) or back (返岗): by a SUPERVISOR of the unit,
     * who gives its officers their work.
     */
    public static void checkOfficerAbsence(Person person, UnitCode unit) {
        if (!person.unit().equals(unit) || !person.has(Role.SUPERVISOR)) {
            throw new AccessRefusedException(person.username() + " may not mark " + unit + "'s officers away or back:"
                    + " it takes a SUPERVISOR of the unit");
        }
    }

    /** Signing for (签收) a notice {@code unit} received: a SUPERVISOR or a HANDLER of the unit, for the unit. */
    public static void checkSignNotice(Person person, UnitCode unit) {
        if (!person.unit().equals(unit)) {
            throw new AccessRefusedException(person.username() + " signs for the notices of their own unit "
                    + person.unit() + ", not of " + unit);
        }
        if (!person.has(Role.SUPERVISOR) && !person.has(Role.HANDLER)) {
            throw new AccessRefusedException(person.username() + " may not sign for a notice of " + unit
                    + ": it takes a SUPERVISOR or a HANDLER of the unit");
        }
    }

    /**
     * The messages a node set aside for {@code unit} and the units under it (its dead letters): listed and sent again
     * by an administrator of the unit or of a unit above it.
     */
    public static void checkDeadLetters(Person person, UnitCode unit) {
        if (person.has(Role.ADMIN) && person.unit().contains(unit)) {
            return;
        }
        throw new AccessRefusedException(person.username() + " may not see or send again the dead letters of " + unit
                + ": it takes an ADMIN of " + unit + " or of a unit above it");
    }

    /**
     * The working calendar's public holidays of a year, published for the whole city (日历发布): by an administrator of
     * the city; the calendar is the city's, so nobody below publishes one.
     */
    public static void checkPublishCalendar(Person person) {
        if (person.has(Role.ADMIN) && person.unit().tier() == Tier.CITY) {
            return;
        }
        throw new AccessRefusedException(person.username() + " (" + person.unit() + ") may not publish the working"
                + " calendar: it takes an ADMIN of the city");
    }

    /**
     * A patrol (巡查) of grid cell {@code gridCode} of {@code unit}, started or checked in on: by a grid worker of the
     * unit, in their own cells.
     */
    public static void checkPatrol(Person person, UnitCode unit, String gridCode) {
        if (!person.has(Role.GRID_WORKER)) {
            throw new AccessRefusedException(person.username() + " patrols no grid cell: patrols are a GRID_WORKER's");
        }
        if (!person.unit().equals(unit)) {
            throw new AccessRefusedException(person.username() + " patrols in their own unit " + person.unit()
                    + ", not in " + unit);
        }
        if (!person.grids().contains(gridCode)) {
            throw new AccessRefusedException("grid worker " + person.username() + " patrols their own grid cells "
                    + person.grids().stream().sorted().toList() + ", not " + gridCode);
        }
    }

    /**
     * Ending the patrol {@code patroller} started at {@code unit}: the patroller, or a SUPERVISOR of the unit (a patrol
     * left under way).
     */
    public static void checkEndPatrol(Person person, UnitCode unit, String patroller) {
        if (person.username().equals(patroller) && person.unit().equals(unit)) {
            return;
        }
        if (person.has(Role.SUPERVISOR) && person.unit().equals(unit)) {
            return;
        }
        throw new AccessRefusedException(person.username() + " may not end " + patroller + "'s patrol: it takes the"
                + " grid worker who started it or a SUPERVISOR of " + unit);
    }

    public static void checkAct(Person person, CaseRecord record, CaseAction action) {
        if (permitted(person, record).contains(action)) {
            return;
        }
        if (!person.unit().equals(record.unit()) && !person.assignments().contains(record.unit())) {
            throw outside(person, record.unit(), "act on");
        }
        if (action == CaseAction.COMMENT) {
            throw new AccessRefusedException(person.username() + " may not COMMENT on this record: a note is written by"
                    + " a HANDLER or a SUPERVISOR of the unit, a LEADER of it or who answers for it, the grid worker of"
                    + " its grid cell or the officer holding it");
        }
        String roles = person.roles().stream().map(Enum::name).sorted().collect(Collectors.joining(", "));
        String needs = SUPERVISOR_ONLY.contains(action) ? "it takes a SUPERVISOR"
                : person.has(Role.GRID_WORKER) && GRID_WORKER_ACTIONS.contains(action)
                ? "a grid worker acts on cases in their own grid cells " + person.grids().stream().sorted().toList()
                : "it takes a HANDLER or a SUPERVISOR of the unit";
        if (CaseAction.DECISIONS.contains(action) && record.pending() != null) {
            needs = person.username().equals(record.pending().requestedBy()) ? "nobody decides their own request"
                    : "the unit's own request for time or a park is decided by its SUPERVISOR";
        } else if (action == CaseAction.ACCEPT && record.assignee() != null
                && record.status() == CaseStatus.DISPATCHED) {
            needs = "only " + record.assignee() + ", the officer it was dispatched to, signs for it";
        } else if (person.has(Role.DEPARTMENT_OFFICER) && ASSIGNEE_ACTIONS.contains(action)) {
            needs = "an officer signs for and asks about only the records dispatched to them";
        }
        throw new AccessRefusedException(person.username() + " (" + roles + ") may not " + action + " this record: "
                + needs);
    }

    private static AccessRefusedException outside(Person person, UnitCode unit, String what) {
        return new AccessRefusedException(person.username() + " may " + what + " records of " + person.unit()
                + (what.equals("read") ? " and the units below it" : " only") + "; " + unit + " is outside their jurisdiction");
    }

    public enum Visibility { VISIBLE, REFUSED, HIDDEN }
}
