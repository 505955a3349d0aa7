package org.gridlink.kernel.cases;

/** How a case last arrived at this node: its own intake, an escalation from a child, a dispatch from the parent. */
public enum Origin {
    INTAKE, ESCALATION, DISPATCH
}
