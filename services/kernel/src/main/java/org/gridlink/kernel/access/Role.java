package org.gridlink.kernel.access;

import java.util.Arrays;
import java.util.Optional;

/** What a person does in the grid system; a person may hold several roles in their unit. */
public enum Role {
    /** 网格员: patrols a grid cell, reports what they find and handles small problems in their own cells. */
    GRID_WORKER,
    /** 处置员: takes in, handles, escalates, dispatches and returns cases at their unit. */
    HANDLER,
    /** 职能部门人员: an officer of a functional department, assigned to units; starts and resolves what is given to them. */
    DEPARTMENT_OFFICER,
    /** 督办员: everything a handler does, and verifies, sends back for rework and closes. */
    SUPERVISOR,
    /** 分包领导: reads the units they answer for (and, as every person, their own unit's subtree). */
    LEADER,
    /** 管理员: reads their unit's whole subtree; acts on no case. */
    ADMIN,
    /** 市民: reports at their community and reads the cases they reported. */
    CITIZEN;

    public static Optional<Role> parse(String value) {
        return Arrays.stream(values()).filter(r -> r.name().equals(value)).findFirst();
    }
}
