package org.gridlink.kernel.units;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.gridlink.contracts.UnitCode;
import org.gridlink.kernel.access.Role;

/**
 * The people of the city as the seeds list them (people.json): who patrols which grid cell, who handles and
 * supervises at each unit, which department officers serve a unit (its own, and those assigned down to it) and
 * which leader of the tier above answers for it (分包). Nodes use it to check a dispatch to an officer and to answer
 * "who is responsible for what" in a unit; the identity server vouches for the same people in tokens.
 */
public final class Roster {

    private final Map<String, Member> byUsername;

    public Roster(List<Member> members) {
        this.byUsername = members.stream().collect(Collectors.toUnmodifiableMap(Member::username, Function.identity(),
                (a, b) -> a));
    }

    public Optional<Member> find(String username) {
        return Optional.ofNullable(username == null ? null : byUsername.get(username));
    }

    /** The people of the unit itself, by username. */
    public List<Member> of(UnitCode unit) {
        return sorted(byUsername.values().stream().filter(m -> m.unit().equals(unit)));
    }

    /** The usernames of the unit's grid workers who patrol its grid cell {@code cell}, in order. */
    public List<String> gridWorkersOf(UnitCode unit, String cell) {
        return of(unit).stream().filter(m -> m.roles().contains(Role.GRID_WORKER) && m.grids().contains(cell))
                .map(Member::username).toList();
    }

    /** The department officers who act on the unit's records: the unit's own, and those assigned down to it. */
    public List<Member> officersFor(UnitCode unit) {
        return sorted(byUsername.values().stream().filter(m -> m.isOfficerFor(unit)));
    }

    /** The leaders who answer for the unit (分包). */
    public List<Member> leadersOf(UnitCode unit) {
        return sorted(byUsername.values().stream().filter(m -> m.roles().contains(Role.LEADER) && m.contracts().contains(unit)));
    }

    private static List<Member> sorted(java.util.stream.Stream<Member> members) {
        return members.sorted(Comparator.comparing(Member::username)).toList();
    }

    /** One person: their unit and roles, the grid cells they patrol, units they are assigned to or answer for. */
    public record Member(String username, String name, UnitCode unit, Set<Role> roles, Set<String> grids,
                         Set<UnitCode> assignments, Set<UnitCode> contracts, String department) {

        public Member {
            roles = Set.copyOf(roles);
            grids = Set.copyOf(grids);
            assignments = Set.copyOf(assignments);
            contracts = Set.copyOf(contracts);
        }

        public boolean isOfficerFor(UnitCode unit) {
            return roles.contains(Role.DEPARTMENT_OFFICER) && (this.unit.equals(unit) || assignments.contains(unit));
        }
    }
}
