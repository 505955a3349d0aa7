package org.gridlink.kernel.cases;

import java.time.Instant;
import java.util.UUID;
import org.gridlink.contracts.UnitCode;

/** Object Mother for case records in every status and shape the state machine knows. */
public final class Cases {

    public static final UnitCode CITY = UnitCode.of("410100000000");
    public static final UnitCode DISTRICT = UnitCode.of("410105000000");
    public static final UnitCode TOWNSHIP = UnitCode.of("410105001000");
    public static final UnitCode COMMUNITY = UnitCode.of("410105001001");
    public static final UnitCode SIBLING_COMMUNITY = UnitCode.of("410105001002");
    public static final Instant T0 = Instant.parse("2026-11-02T01:00:00Z");

    private Cases() {
    }

    public static CaseDetails details() {
        return new CaseDetails("GARBAGE_PILE", "Garbage by the gate", "a heap of rubbish",
                new Location(34.77, 113.68, "经八路 1号"), null, "GRID_PATROL", "worker-1", T0);
    }

    /** A case reported at the unit's own intake. */
    public static CaseRecord aReportedCase(UnitCode unit) {
        return CaseRecord.intake(UUID.randomUUID(), unit, details(), T0.plusSeconds(72 * 3600), T0);
    }

    public static CaseRecord at(UnitCode unit, CaseStatus status, Origin origin, UnitCode escalatedFrom,
                                UnitCode escalatedTo, UnitCode dispatchedBy, UnitCode dispatchedTo) {
        return new CaseRecord(UUID.randomUUID(), unit, status, origin, details(), escalatedFrom, escalatedTo,
                dispatchedBy, dispatchedTo, null, T0.plusSeconds(3600), T0, T0);
    }

    /** A township record in the given status, in the shape that status usually has. */
    public static CaseRecord townshipRecord(CaseStatus status) {
        return switch (status) {
            case DISPATCHED -> at(TOWNSHIP, status, Origin.INTAKE, null, null, null, COMMUNITY);
            case ESCALATED -> at(TOWNSHIP, status, Origin.INTAKE, null, DISTRICT, null, null);
            case RESOLVED, VERIFIED -> at(TOWNSHIP, status, Origin.INTAKE, null, null, null, COMMUNITY);
            default -> at(TOWNSHIP, status, Origin.INTAKE, null, null, null, null);
        };
    }
}
