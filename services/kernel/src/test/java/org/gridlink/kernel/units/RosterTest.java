package org.gridlink.kernel.units;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.gridlink.contracts.UnitCode;
import org.gridlink.kernel.access.Role;
import org.junit.jupiter.api.Test;

class RosterTest {

    static final UnitCode COMMUNITY = UnitCode.of("410105001001");
    static final UnitCode SIBLING = UnitCode.of("410105001002");

    static Roster.Member member(String username, UnitCode unit, Set<Role> roles, Set<String> grids) {
        return new Roster.Member(username, username, unit, roles, grids, Set.of(), Set.of(), null);
    }

    @Test
    void aCellsGridWorkersAreTheUnitsGridWorkersWhoPatrolItInOrder() {
        Roster roster = new Roster(List.of(
                member("gw.b", COMMUNITY, Set.of(Role.GRID_WORKER), Set.of("410105001001-01")),
                member("gw.a", COMMUNITY, Set.of(Role.GRID_WORKER), Set.of("410105001001-01", "410105001001-02")),
                member("gw.c", COMMUNITY, Set.of(Role.GRID_WORKER), Set.of("410105001001-02")),
                // a handler with the cell in their claims patrols nothing; a grid worker elsewhere is not this unit's
                member("handler", COMMUNITY, Set.of(Role.HANDLER), Set.of("410105001001-01")),
                member("gw.elsewhere", SIBLING, Set.of(Role.GRID_WORKER), Set.of("410105001001-01"))));

        assertThat(roster.gridWorkersOf(COMMUNITY, "410105001001-01")).containsExactly("gw.a", "gw.b");
        assertThat(roster.gridWorkersOf(COMMUNITY, "410105001001-02")).containsExactly("gw.a", "gw.c");
        assertThat(roster.gridWorkersOf(COMMUNITY, "410105001001-03")).isEmpty();
    }
}
