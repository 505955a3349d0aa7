package org.gridlink.identity.people;

/** What a person does in the grid system; carried in the token's {@code roles} claim by name. */
public enum Role {
    GRID_WORKER,
    HANDLER,
    SUPERVISOR,
    DEPARTMENT_OFFICER,
    LEADER,
    ADMIN,
    CITIZEN
}
