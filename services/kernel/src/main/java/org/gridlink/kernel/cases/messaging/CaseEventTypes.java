package org.gridlink.kernel.cases.messaging;

/** The event types that cross tiers: stable strings on the wire, never class names. */
public final class CaseEventTypes {

    public static final String ESCALATED = "gridlink.case.escalated.v1";
    public static final String DISPATCHED = "gridlink.case.dispatched.v1";
    public static final String PROGRESSED = "gridlink.case.progressed.v1";
    /** v1: the reason a free text. Still accepted; sent only with gridlink.events.returned-version=1. */
    public static final String RETURNED = "gridlink.case.returned.v1";
    /** v2: the reason structured (code and note) and required. */
    public static final String RETURNED_V2 = "gridlink.case.returned.v2";
    /** A record's clock ran out: told to every unit above the one that holds it. */
    public static final String OVERDUE = "gridlink.case.overdue.v1";
    /** A record told overdue is no longer (accepted, handled, extended, parked, given a new deadline). */
    public static final String OVERDUE_CLEARED = "gridlink.case.overdue-cleared.v1";
    /** A receiver asks the unit that dispatched the case to it: return, extension or park. */
    public static final String REQUESTED = "gridlink.case.requested.v1";
    /** The dispatcher's decision on such a request. */
    public static final String DECIDED = "gridlink.case.decided.v1";
    /** A supervision notice (督办) from a unit above, with a new deadline. */
    public static final String SUPERVISED = "gridlink.case.supervised.v1";

    private CaseEventTypes() {
    }

    /** The dataschema attribute: names the schema file under contracts/events. */
    public static String schemaOf(String type) {
        return "urn:gridlink:contracts:events:" + type;
    }
}
