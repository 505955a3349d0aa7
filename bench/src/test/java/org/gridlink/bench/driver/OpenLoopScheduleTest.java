package org.gridlink.bench.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OpenLoopScheduleTest {

    @Test
    void requestsAreDueAtEvenIntervalsFromTheStart() {
        OpenLoopSchedule schedule = new OpenLoopSchedule(1_000, 4);

        assertThat(schedule.intendedNanos(0)).isEqualTo(1_000);
        assertThat(schedule.intendedNanos(1)).isEqualTo(1_000 + 250_000_000L);
        assertThat(schedule.intendedNanos(4)).isEqualTo(1_000 + 1_000_000_000L);
    }

    @Test
    void roundingDoesNotAccumulateOverALongRun() {
        // 3/s is 333333333.33 ns apart: summing rounded gaps would drift by a third of a nanosecond each
        OpenLoopSchedule schedule = new OpenLoopSchedule(0, 3);

        assertThat(schedule.intendedNanos(3)).isEqualTo(1_000_000_000L);
        assertThat(schedule.intendedNanos(3_000_000)).isEqualTo(1_000_000L * 1_000_000_000L);
        assertThat(schedule.intendedNanos(1)).isEqualTo(333_333_333L);
        assertThat(schedule.intendedNanos(2)).isEqualTo(666_666_667L);
    }

    @Test
    void countsTheRequestsDueBeforeTheEnd() {
        OpenLoopSchedule schedule = new OpenLoopSchedule(500, 100);

        assertThat(schedule.countBefore(500)).isZero();
        assertThat(schedule.countBefore(501)).isEqualTo(1);
        // due at 0, 10, ..., 990 ms: the one due exactly at the end is not sent
        assertThat(schedule.countBefore(500 + 1_000_000_000L)).isEqualTo(100);
        assertThat(schedule.countBefore(500 + 1_000_000_001L)).isEqualTo(101);
        assertThat(new OpenLoopSchedule(0, 3).countBefore(1_000_000_000L)).isEqualTo(3);
        assertThat(new OpenLoopSchedule(0, 3).countBefore(1_000_000_001L)).isEqualTo(4);
    }

    @Test
    void refusesARateThatIsNotPositive() {
        assertThatThrownBy(() -> new OpenLoopSchedule(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OpenLoopSchedule(0, -5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OpenLoopSchedule(0, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OpenLoopSchedule(0, 1).intendedNanos(-1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
