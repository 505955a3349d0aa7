package org.gridlink.identity.people;

import java.util.List;

/**
 * Someone who can log in, as seeded in people.json.
 *
 * @param username    the login name, and the tokens' {@code sub}
 * @param name        display name (Chinese)
 * @param unit        the 12-digit code of the unit the person belongs to
 * @param roles       what the person does; the first decides the demo password
 * @param grids       grid cells the person patrols (grid workers)
 * @param assignments units a department officer is assigned to
 * @param contracts   child units a leader answers for (分包)
 */
public record Person(String username, String name, String unit, List<Role> roles, List<String> grids,
                     List<String> assignments, List<String> contracts, String department) {

    public Person {
        roles = roles == null ? List.of() : List.copyOf(roles);
        grids = grids == null ? List.of() : List.copyOf(grids);
        assignments = assignments == null ? List.of() : List.copyOf(assignments);
        contracts = contracts == null ? List.of() : List.copyOf(contracts);
    }

    public List<String> roleNames() {
        return roles.stream().map(Role::name).toList();
    }
}
