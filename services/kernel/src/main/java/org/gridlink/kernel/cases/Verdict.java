package org.gridlink.kernel.cases;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The reporter's verdict on a closed case (回访): satisfied, or not fixed (which reopens it). */
public enum Verdict {
    SATISFIED, NOT_FIXED;

    /** The timeline action that records it (assessment counts exactly these names). */
    public String action() {
        return "VERDICT_" + name();
    }

    public static Optional<Verdict> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String wanted = value.trim().toUpperCase(Locale.ROOT);
        return Arrays.stream(values()).filter(v -> v.name().equals(wanted)).findFirst();
    }
}
