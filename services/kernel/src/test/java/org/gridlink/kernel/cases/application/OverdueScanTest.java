package org.gridlink.kernel.cases.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gridlink.kernel.cases.Cases.COMMUNITY;
import static org.gridlink.kernel.cases.Cases.T0;
import static org.gridlink.kernel.cases.Cases.TOWNSHIP;
import static org.gridlink.kernel.cases.Cases.at;

import java.time.Duration;
import java.time.Instant;
import org.gridlink.kernel.cases.Accountability;
import org.gridlink.kernel.cases.CaseRecord;
import org.gridlink.kernel.cases.CaseStatus;
import org.gridlink.kernel.cases.Origin;
import org.junit.jupiter.api.Test;

class OverdueScanTest {

    private static final Instant NOW = T0.plus(Duration.ofDays(5));

    @Test
    void aClearedClockSaysWhatTheRecordMovedToOrThatItsClockGotANewDeadline() {
        CaseRecord accepted = at(TOWNSHIP, CaseStatus.ACCEPTED, Origin.INTAKE, null, null, null, null);
        assertThat(OverdueScan.clearedBecause(accepted, CaseRecord.RunningClock.ACCEPTANCE, NOW))
                .as("signed for: the acceptance clock stopped, the handling clock runs").isEqualTo("ACCEPTED");
        assertThat(OverdueScan.clearedBecause(accepted, CaseRecord.RunningClock.HANDLING, NOW))
                .as("the handling clock still runs, so it was given more time").isEqualTo("NEW_DEADLINE");
        CaseRecord verified = at(TOWNSHIP, CaseStatus.VERIFIED, Origin.INTAKE, null, null, null, COMMUNITY);
        assertThat(OverdueScan.clearedBecause(verified, CaseRecord.RunningClock.VERIFICATION, NOW)).isEqualTo("VERIFIED");
        CaseRecord rework = at(TOWNSHIP, CaseStatus.DISPATCHED, Origin.INTAKE, null, null, null, COMMUNITY);
        assertThat(OverdueScan.clearedBecause(rework, CaseRecord.RunningClock.VERIFICATION, NOW))
                .as("sent back to the child for rework").isEqualTo("DISPATCHED");
        CaseRecord parked = new CaseRecord(accepted.caseId(), TOWNSHIP, CaseStatus.ACCEPTED, Origin.INTAKE,
                accepted.details(), null, null, null, null, null, accepted.dueAt(), T0, T0, T0, null,
                Accountability.NONE.parkedUntil(NOW.plus(Duration.ofDays(7))));
        assertThat(OverdueScan.clearedBecause(parked, CaseRecord.RunningClock.HANDLING, NOW)).isEqualTo("PARKED");
    }
}
