package org.gridlink.identity.people;

import java.util.EnumMap;
import java.util.Map;

/**
 * The password of every seeded person: one per role, known to everyone. For the local demo only: the sample
 * people must never be served anywhere but on a developer's own machine.
 */
public final class DemoPasswords {

    private static final Map<Role, String> BY_ROLE = new EnumMap<>(Map.of(
            Role.GRID_WORKER, "grid-worker-demo",
            Role.HANDLER, "handler-demo",
            Role.SUPERVISOR, "supervisor-demo",
            Role.DEPARTMENT_OFFICER, "department-officer-demo",
            Role.LEADER, "leader-demo",
            Role.ADMIN, "admin-demo",
            Role.CITIZEN, "citizen-demo"));

    private DemoPasswords() {
    }

    public static String of(Role role) {
        return BY_ROLE.get(role);
    }

    /** The password of the person's first role. */
    public static String of(Person person) {
        if (person.roles().isEmpty()) {
            throw new IllegalArgumentException(person.username() + " has no role");
        }
        return of(person.roles().get(0));
    }
}
