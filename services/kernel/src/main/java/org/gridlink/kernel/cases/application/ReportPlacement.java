package org.gridlink.kernel.cases.application;

import java.util.Locale;
import java.util.Optional;
import org.gridlink.kernel.cases.Location;
import org.gridlink.kernel.geo.GridMap;
import org.gridlink.kernel.units.Unit;
import org.gridlink.kernel.units.UnitDirectory;

/**
 * Places a report that gives coordinates but names no grid cell in the cell whose outline holds the point. The
 * point must lie in the reporting unit's own area (its cells, or its subtree's); otherwise the report is refused
 * (422, field {@code location}) naming the community that does hold it. A report that names its cell keeps it.
 */
public final class ReportPlacement {

    public static final ReportPlacement NONE = new ReportPlacement(null, GridMap.EMPTY);

    private final UnitDirectory directory;
    private final GridMap map;

    public ReportPlacement(UnitDirectory directory, GridMap map) {
        this.directory = directory;
        this.map = map;
    }

    public ReportCase place(Unit unit, ReportCase request) {
        Location at = request.location();
        if (map.cells().isEmpty() || at == null || at.lat() == null || at.lon() == null
                || (request.gridCode() != null && !request.gridCode().isBlank())) {
            return request;
        }
        String point = String.format(Locale.ROOT, "(%.6f, %.6f)", at.lat(), at.lon());
        Optional<GridMap.Cell> cell = map.cellAt(at.lat(), at.lon());
        if (cell.isEmpty()) {
            String city = directory.ofTier(org.gridlink.contracts.Tier.CITY).stream().findFirst()
                    .map(c -> c.name() + " (" + c.code() + ")").orElse("the city");
            throw InvalidRequestException.unprocessable("location", "the location " + point + " lies in no grid cell:"
                    + " no community of " + city + " contains it");
        }
        GridMap.Cell c = cell.get();
        if (!unit.code().contains(c.community())) {
            String community = directory.find(c.community()).map(u -> u.name() + " (" + u.code() + ")")
                    .orElse(c.community().value());
            throw InvalidRequestException.unprocessable("location", "the location " + point + " is not in "
                    + unit.name() + " (" + unit.code() + "): it lies in " + community + ", grid cell " + c.code()
                    + "; report it there");
        }
        return new ReportCase(request.categoryCode(), request.title(), request.description(), request.location(),
                c.code(), request.source(), request.reporter());
    }
}
