package org.gridlink.kernel.support.web;

import java.util.Locale;
import org.gridlink.kernel.cases.application.InvalidRequestException;

/** A yes-or-no a request names in its query (the queue's {@code overdue}, the patrols' {@code underWay}). */
public final class Flags {

    private Flags() {
    }

    /** {@code true} or {@code false} (any case), false when blank; anything else is a 400 naming the field. */
    public static boolean parse(String field, String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw InvalidRequestException.malformed(field, field + " is true or false, not '" + value + "'");
        };
    }
}
