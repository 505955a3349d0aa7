package org.gridlink.kernel.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.gridlink.contracts.UnitCode;
import org.junit.jupiter.api.Test;

class OfficerAbsenceTest {

    static final UnitCode TOWNSHIP = UnitCode.of("410105001000");
    static final Instant FROM = Instant.parse("2026-12-07T00:00:00Z");
    static final Instant UNTIL = Instant.parse("2026-12-10T00:00:00Z");

    static OfficerAbsence absence(Instant from, Instant until) {
        return new OfficerAbsence(TOWNSHIP, "officer.X", from, until, "请假", "supervisor.X", FROM.minusSeconds(3600));
    }

    @Test
    void anOfficerIsAwayFromItsBeginningUntilItsEndAndNotAfter() {
        OfficerAbsence a = absence(FROM, UNTIL);
        assertThat(a.awayAt(FROM.minusNanos(1000))).as("before it begins").isFalse();
        assertThat(a.over(FROM.minusNanos(1000))).isFalse();
        assertThat(a.awayAt(FROM)).as("as it begins").isTrue();
        assertThat(a.awayAt(UNTIL.minusNanos(1000))).isTrue();
        assertThat(a.awayAt(UNTIL)).as("once it ends").isFalse();
        assertThat(a.over(UNTIL)).isTrue();
    }

    @Test
    void anAbsenceWithoutAnEndLastsUntilMarkedBack() {
        OfficerAbsence a = absence(FROM, null);
        assertThat(a.awayAt(FROM.plusSeconds(86_400L * 3650))).isTrue();
        assertThat(a.over(FROM.plusSeconds(86_400L * 3650))).isFalse();
        assertThat(a.describe()).isEqualTo("away from " + FROM + " until marked back (请假), marked by supervisor.X");
        assertThat(absence(FROM, UNTIL).describe()).contains("until " + UNTIL);
    }

    @Test
    void anAbsenceEndsAfterItBegins() {
        assertThatThrownBy(() -> absence(FROM, FROM)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ends after it begins");
        assertThatThrownBy(() -> absence(FROM, FROM.minusSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
