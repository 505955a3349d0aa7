package org.gridlink.community.patrol;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.gridlink.contracts.UnitCode;
import org.gridlink.kernel.units.GridCell;

/**
 * How a community's grid cells were patrolled on a day (巡查覆盖): each cell with who patrols it, its patrols, their
 * minutes and check-ins, the cases they found and the latest activity; and how many of the cells were patrolled.
 *
 * @param patrolledCells the cells with at least one patrol started that day
 */
public record PatrolCoverage(String unitCode, LocalDate day, int cellCount, int patrolledCells, List<Cell> cells) {

    /**
     * One cell on the day.
     *
     * @param gridWorkers who patrols it (the roster)
     * @param underWay    its patrols still under way
     * @param lastAt      the latest start, check-in or end of its patrols (null: none)
     */
    public record Cell(String gridCode, String name, List<String> gridWorkers, int patrols, int underWay,
                       long minutes, int checkIns, int findings, Instant lastAt) {

        public boolean patrolled() {
            return patrols > 0;
        }
    }

    /** The day's patrols ({@code patrols}, of any cell of the unit) laid over its cells, as of {@code now}. */
    public static PatrolCoverage of(UnitCode unit, LocalDate day, List<GridCell> cells,
                                    Map<String, List<String>> gridWorkers, List<Patrol> patrols, Instant now) {
        List<Cell> result = cells.stream().map(cell -> {
            List<Patrol> here = patrols.stream().filter(p -> p.gridCode().equals(cell.code())).toList();
            Instant last = here.stream()
                    .flatMap(p -> Stream.concat(
                            Stream.of(p.startedAt(), p.endedAt()),
                            p.points().stream().map(Patrol.Point::at)))
                    .filter(Objects::nonNull).max(Comparator.naturalOrder()).orElse(null);
            return new Cell(cell.code(), cell.name(), gridWorkers.getOrDefault(cell.code(), List.of()), here.size(),
                    (int) here.stream().filter(Patrol::underWay).count(),
                    here.stream().mapToLong(p -> p.duration(now).toMinutes()).sum(),
                    here.stream().mapToInt(p -> p.points().size()).sum(),
                    here.stream().mapToInt(p -> p.findings().size()).sum(), last);
        }).toList();
        return new PatrolCoverage(unit.value(), day, result.size(), (int) result.stream().filter(Cell::patrolled).count(),
                result);
    }
}
