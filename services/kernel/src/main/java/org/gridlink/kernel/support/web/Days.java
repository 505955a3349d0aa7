package org.gridlink.kernel.support.web;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import org.gridlink.kernel.cases.application.InvalidRequestException;

/** A day a request names in its query (a queue's report days, the figures' range). */
public final class Days {

    private Days() {
    }

    /**
     * The day as {@code yyyy-MM-dd}, its year of four digits (LocalDate would also take {@code +300000-01-01}), or null
     * when blank; anything else is a 400 naming the field.
     */
    public static LocalDate parse(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            LocalDate day = LocalDate.parse(value.trim());
            if (day.getYear() >= 1 && day.getYear() <= 9999) {
                return day;
            }
        } catch (DateTimeParseException e) {
            // said below
        }
        throw InvalidRequestException.malformed(field, field + " is a day as yyyy-MM-dd, not '" + value + "'");
    }
}
