package org.gridlink.kernel.access;

import java.util.Objects;
import java.util.Set;
import org.gridlink.contracts.UnitCode;

/**
 * The authenticated person behind a request, as their identity provider vouches for them.
 *
 * @param username    stable login name; recorded as the actor of everything they do
 * @param name        display name
 * @param unit        the unit they belong to
 * @param roles       what they do there
 * @param grids       grid cells a grid worker patrols
 * @param assignments units below their own a department officer is assigned to
 * @param contracts   units a leader answers for (分包)
 */
public record Person(String username, String name, UnitCode unit, Set<Role> roles, Set<String> grids,
                     Set<UnitCode> assignments, Set<UnitCode> contracts) {

    public Person {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(unit, "unit");
        roles = Set.copyOf(roles);
        grids = Set.copyOf(grids);
        assignments = Set.copyOf(assignments);
        contracts = Set.copyOf(contracts);
        name = name == null || name.isBlank() ? username : name;
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    /** True when the person is only a citizen: they see their own reports, not a unit's work. */
    public boolean isCitizenOnly() {
        return roles.equals(Set.of(Role.CITIZEN));
    }

    @Override
    public String toString() {
        return username + " (" + roles + " at " + unit + ")";
    }
}
