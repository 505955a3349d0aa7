package org.gridlink.kernel.cases;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a person can do to this node's record of a case. */
public enum CaseAction {
    ACCEPT, REJECT, RETURN, START, DISPATCH, ESCALATE, RESOLVE, VERIFY, REWORK, CLOSE;

    public boolean requiresNote() {
        return this == REJECT || this == RETURN || this == RESOLVE || this == REWORK;
    }

    public boolean requiresTarget() {
        return this == DISPATCH;
    }

    public static Optional<CaseAction> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String wanted = value.trim().toUpperCase(Locale.ROOT);
        return Arrays.stream(values()).filter(a -> a.name().equals(wanted)).findFirst();
    }
}
