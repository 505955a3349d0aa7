package org.gridlink.kernel.calendar;

import java.util.Objects;
import java.util.Optional;

/**
 * A category's time limits, one per stage, and its auto-escalation policy: a record still overdue
 * {@code escalationGrace} after its due time is escalated by the system (null: never).
 */
public record StageLimits(TimeLimit acceptance, TimeLimit handling, TimeLimit verification, TimeLimit escalationGrace) {

    public StageLimits {
        Objects.requireNonNull(acceptance, "acceptance");
        Objects.requireNonNull(handling, "handling");
        Objects.requireNonNull(verification, "verification");
    }

    public StageLimits(TimeLimit acceptance, TimeLimit handling, TimeLimit verification) {
        this(acceptance, handling, verification, null);
    }

    public Optional<TimeLimit> autoEscalation() {
        return Optional.ofNullable(escalationGrace);
    }

    public TimeLimit of(Stage stage) {
        return switch (stage) {
            case ACCEPTANCE -> acceptance;
            case HANDLING -> handling;
            case VERIFICATION -> verification;
        };
    }
}
