package org.gridlink.kernel.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gridlink.kernel.cases.Cases.T0;
import static org.gridlink.kernel.cases.Cases.TOWNSHIP;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/** A record's version (its updatedAt, an action's If-Match) moves on with every change, whatever the clock says. */
class RecordVersionTest {

    static Command plain(CaseAction action) {
        return new Command(action, "noted", null, "handler.t", null, null, null, null, null, null);
    }

    @Test
    void aChangeIsItsVersionWhenTheClockMovedOn() {
        CaseRecord reported = Cases.aReportedCase(TOWNSHIP);
        Instant later = T0.plus(Duration.ofMinutes(5));

        CaseRecord accepted = CaseStateMachine.decide(reported, plain(CaseAction.ACCEPT), later).record();

        assertThat(accepted.updatedAt()).isEqualTo(later);
    }

    @Test
    void aChangeMovesTheVersionOnByAMicrosecondWhenTheClockStoodStillOrWentBack() {
        CaseRecord reported = Cases.aReportedCase(TOWNSHIP);

        CaseRecord accepted = CaseStateMachine.decide(reported, plain(CaseAction.ACCEPT), T0).record();
        CaseRecord started = CaseStateMachine.decide(accepted, plain(CaseAction.START), T0.minusSeconds(30)).record();

        assertThat(accepted.updatedAt()).isEqualTo(T0.plus(1, ChronoUnit.MICROS));
        assertThat(started.updatedAt()).isEqualTo(T0.plus(2, ChronoUnit.MICROS));
        assertThat(started.status()).isEqualTo(CaseStatus.IN_PROGRESS);
    }
}
