package org.gridlink.community.patrol;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Set;
import java.util.TreeSet;
import org.gridlink.contracts.UnitCode;
import org.gridlink.kernel.access.Person;
import org.gridlink.kernel.access.Role;
import org.gridlink.kernel.cases.application.NodeUnits;
import org.gridlink.kernel.cases.application.TierWork;
import org.gridlink.kernel.units.GridCell;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A community's patrols in its to-do (待办): the grid cells nobody started a patrol of today (待巡查; a grid worker of
 * the community: their own cells), and a grid worker's own patrol under way (巡查中), both shown on the 巡查 tab.
 * Today is the city's day, as the patrols' coverage counts it.
 */
@Component
class PatrolWork implements TierWork {

    private final PatrolStore store;
    private final Patrols patrols;
    private final NodeUnits node;

    PatrolWork(PatrolStore store, Patrols patrols, NodeUnits node) {
        this.store = store;
        this.patrols = patrols;
        this.node = node;
    }

    @Override
    public Flux<Item> todo(UnitCode unit, Person person) {
        boolean gridWorker = person.roles().contains(Role.GRID_WORKER) && person.unit().equals(unit);
        Set<String> cells = new TreeSet<>();
        for (GridCell cell : node.directory().gridCells(unit)) {
            if (!gridWorker || person.grids().contains(cell.code())) {
                cells.add(cell.code());
            }
        }
        if (cells.isEmpty() && !gridWorker) {
            return Flux.empty(); // no cells: nothing to patrol
        }
        LocalDate today = patrols.today();
        Instant from = today.atStartOfDay(patrols.zone()).toInstant();
        Instant to = today.plusDays(1).atStartOfDay(patrols.zone()).toInstant();
        Mono<Item> unpatrolled = store.list(unit, from, to, null, null, Patrols.DAY_LIMIT).map(Patrol::gridCode)
                .collectList().map(patrolled -> {
                    Set<String> left = new TreeSet<>(cells);
                    patrolled.forEach(left::remove);
                    return new Item("unpatrolledCells", "待巡查网格", "Cells not patrolled today", left.size(), "patrols");
                });
        if (!gridWorker) {
            return unpatrolled.flux();
        }
        Mono<Item> underWay = store.underWay(person.username()).hasElement()
                .map(walking -> new Item("patrolUnderWay", "巡查中", "Your patrol under way", walking ? 1 : 0, "patrols"));
        return Flux.concat(unpatrolled, underWay);
    }
}
