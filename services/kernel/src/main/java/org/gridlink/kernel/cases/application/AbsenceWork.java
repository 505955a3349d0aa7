package org.gridlink.kernel.cases.application;

import org.gridlink.contracts.UnitCode;
import org.gridlink.kernel.access.Person;
import reactor.core.publisher.Flux;

/**
 * The work held by a unit's officers who are away (离岗人员在办) in its to-do, while any of them is: what waits on their
 * signature or handling, for a supervisor to hand over (工作交接), shown in the roster. Shown to the people of the unit
 * who give work (its supervisors and handlers) and to readers above it, not to its grid workers and officers.
 */
public class AbsenceWork implements TierWork {

    private final CaseHandling handling;

    public AbsenceWork(CaseHandling handling) {
        this.handling = handling;
    }

    @Override
    public Flux<Item> todo(UnitCode unit, Person person) {
        if (!TierWork.forSupervisorsAndHandlers(unit, person)) {
            return Flux.empty();
        }
        return handling.heldByOfficersAway(unit).map(count ->
                new Item("awayOfficersWork", "离岗人员在办", "Held by officers away", count, "roster")).flux();
    }
}
