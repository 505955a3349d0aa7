package org.gridlink.community.grid;

import java.util.stream.Collectors;
import org.gridlink.kernel.cases.CaseDetails;
import org.gridlink.kernel.cases.application.IntakePolicy;
import org.gridlink.kernel.cases.application.InvalidRequestException;
import org.gridlink.kernel.units.GridCell;
import org.gridlink.kernel.units.Unit;
import org.gridlink.kernel.units.UnitDirectory;
import org.springframework.stereotype.Component;

/** A report at a community may name a grid cell; it must be one of that community's cells. */
@Component
public class GridCellIntake implements IntakePolicy {

    private final UnitDirectory directory;

    public GridCellIntake(UnitDirectory directory) {
        this.directory = directory;
    }

    @Override
    public void check(Unit unit, CaseDetails details) {
        String grid = details.gridCode();
        if (grid == null) {
            return;
        }
        boolean ours = directory.gridCells(unit.code()).stream().anyMatch(c -> c.code().equals(grid));
        if (!ours) {
            throw InvalidRequestException.unprocessable("gridCode", "grid cell '" + grid + "' is not a cell of "
                    + unit.name() + " (" + unit.code() + "); its cells are "
                    + directory.gridCells(unit.code()).stream().map(GridCell::code).collect(Collectors.joining(", ")));
        }
    }
}
