package org.gridlink.kernel.calendar;

import java.util.Objects;

/** A category's time limits, one per stage. */
public record StageLimits(TimeLimit acceptance, TimeLimit handling, TimeLimit verification) {

    public StageLimits {
        Objects.requireNonNull(acceptance, "acceptance");
        Objects.requireNonNull(handling, "handling");
        Objects.requireNonNull(verification, "verification");
    }

    public TimeLimit of(Stage stage) {
        return switch (stage) {
            case ACCEPTANCE -> acceptance;
            case HANDLING -> handling;
            case VERIFICATION -> verification;
        };
    }
}
