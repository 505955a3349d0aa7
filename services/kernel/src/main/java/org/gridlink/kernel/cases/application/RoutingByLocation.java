package org.gridlink.kernel.cases.application;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.gridlink.contracts.Tier;
import org.gridlink.contracts.UnitCode;
import org.gridlink.kernel.cases.CaseAction;
import org.gridlink.kernel.cases.CaseChange;
import org.gridlink.kernel.cases.CaseRecord;
import org.gridlink.kernel.cases.CaseStateMachine;
import org.gridlink.kernel.cases.Command;
import org.gridlink.kernel.cases.TimelineEntry;
import org.gridlink.kernel.geo.GridMap;
import org.gridlink.kernel.units.UnitDirectory;

/**
 * Sends a case found above the community tier down to the community whose grid cell holds it (docs/geo.md). The
 * unit's record is ACCEPTed and DISPATCHed by the system (actor {@code system}) to the child unit on the way to that
 * community, with the ordinary state machine, in the transaction that created or received the record, so the
 * dispatch's event is in the outbox with it. Each tier's node repeats this for a system dispatch it receives, until
 * the community holds the case with its grid cell.
 */
public final class RoutingByLocation {

    public static final RoutingByLocation NONE = new RoutingByLocation(null, GridMap.EMPTY);

    private final UnitDirectory directory;
    private final GridMap map;

    public RoutingByLocation(UnitDirectory directory, GridMap map) {
        this.directory = directory;
        this.map = map;
    }

    /** For a new report placed in a grid cell below its unit: accept and dispatch it one tier down. */
    public List<CaseChange> afterReport(CaseRecord record, Instant now) {
        return route(record, now);
    }

    /** For a dispatch received from the parent: only a routing dispatch (made by the system) is passed on down. */
    public List<CaseChange> afterDispatch(CaseRecord record, TimelineEntry dispatch, Instant now) {
        if (!TimelineEntry.SYSTEM.equals(dispatch.actor()) || !CaseAction.DISPATCH.name().equals(dispatch.action())) {
            return List.of();
        }
        return route(record, now);
    }

    private List<CaseChange> route(CaseRecord record, Instant now) {
        String grid = record.details().gridCode();
        if (grid == null || record.unit().tier() == Tier.COMMUNITY) {
            return List.of();
        }
        Optional<GridMap.Cell> cell = map.cell(grid);
        if (cell.isEmpty() || !record.unit().contains(cell.get().community())
                || record.unit().equals(cell.get().community())) {
            return List.of();
        }
        UnitCode child = cell.get().community();
        while (child.parent().isPresent() && !child.parent().get().equals(record.unit())) {
            child = child.parent().get();
        }
        String childName = directory.find(child).map(u -> u.name() + " (" + u.code() + ")").orElse(child.value());
        CaseChange accepted = CaseStateMachine.decide(record, new Command(CaseAction.ACCEPT,
                "taken by the system to route it by its location", null, TimelineEntry.SYSTEM, null), now);
        CaseChange dispatched = CaseStateMachine.decide(accepted.record(), new Command(CaseAction.DISPATCH,
                "routed by location to " + childName + ": grid cell " + grid + " lies there", child,
                TimelineEntry.SYSTEM, null), now);
        return List.of(accepted, dispatched);
    }
}
