package org.gridlink.kernel.cases;

import java.util.Set;

/** An action that the record's current status does not allow; the message says why. */
public class IllegalTransitionException extends RuntimeException {

    private final CaseStatus current;
    private final CaseAction action;
    private final Set<CaseAction> allowed;

    public IllegalTransitionException(CaseStatus current, CaseAction action, Set<CaseAction> allowed, String reason) {
        super(reason);
        this.current = current;
        this.action = action;
        this.allowed = Set.copyOf(allowed);
    }

    public CaseStatus current() {
        return current;
    }

    public CaseAction action() {
        return action;
    }

    public Set<CaseAction> allowed() {
        return allowed;
    }
}
