package org.gridlink.kernel.cases.application;

import org.gridlink.contracts.UnitCode;
import org.gridlink.kernel.access.Person;
import org.gridlink.kernel.access.Role;
import reactor.core.publisher.Flux;

/**
 * What else waits on a person at a unit, as the unit's tier knows it from its own tables: a community's grid cells not
 * patrolled today, a grid worker's patrol under way. Shown in the unit's to-do (待办) beside the records' tasks; every
 * bean of the node is asked, after the reader's jurisdiction was checked. None by default.
 */
public interface TierWork {

    /** The items that wait at the unit for the person (who may read its queue). */
    Flux<Item> todo(UnitCode unit, Person person);

    /**
     * Whether an item that is the work of the unit's supervisors and handlers (a notice to sign for, an absent officer's
     * work to hand over) is shown to the person: to them and to readers above the unit, not to its grid workers and
     * officers.
     */
    static boolean forSupervisorsAndHandlers(UnitCode unit, Person person) {
        return !person.unit().equals(unit) || person.has(Role.SUPERVISOR) || person.has(Role.HANDLER);
    }

    /**
     * One thing that waits.
     *
     * @param key    what it is, stable (unpatrolledCells)
     * @param view   the unit's page that shows it (patrols), or null
     */
    record Item(String key, String name, String nameEn, long count, String view) {
    }
}
