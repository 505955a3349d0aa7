package org.gridlink.kernel.support.web;

import java.util.UUID;
import org.gridlink.kernel.cases.application.InvalidRequestException;

/** An id a request names in its path or query (a case, a piece of evidence, a service request). */
public final class Ids {

    private Ids() {
    }

    /** The UUID, or a 400 naming the field and saying what was expected ({@code what}, e.g. "a case id"). */
    public static UUID parse(String field, String value, String what) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw InvalidRequestException.malformed(field, "'" + value + "' is not " + what + " (a UUID)");
        }
    }
}
