package org.gridlink.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.HdrHistogram.Histogram;
import org.gridlink.bench.driver.Formats;
import org.gridlink.bench.driver.Measurement;
import org.gridlink.bench.driver.MachineTicks;
import org.junit.jupiter.api.Test;

class HostStealTest {

    /** /proc/stat as the test says it went: each read the next (busy, steal, total) in ticks. */
    private static HostSteal over(long[]... reads) {
        Deque<long[]> left = new ArrayDeque<>(List.of(reads));
        return new HostSteal(() -> {
            long[] r = left.poll();
            return r == null ? Optional.empty() : Optional.of(new MachineTicks(r[0], 0, r[1], r[2], 1));
        });
    }

    @Test
    void eachPhaseHasTheHostsShareOfTheTicksThatPassedWhileItRan() {
        HostSteal steal = over(new long[] {0, 0, 0},
                new long[] {150, 0, 200},    // intake, 1st second: no steal
                new long[] {300, 0, 400},    // intake, 2nd: none
                new long[] {380, 80, 600},   // reads, 1st: 80 of 200 ticks
                new long[] {480, 160, 800}); // reads, 2nd: 80 of 200
        steal.update("intake", 1, 2, Measurement.newHistogram(), 0, 1);
        steal.update("intake", 2, 2, Measurement.newHistogram(), 0, 1);
        steal.update("reads", 1, 2, Measurement.newHistogram(), 0, 1);
        steal.update("reads", 2, 2, Measurement.newHistogram(), 0, 1);

        assertThat(steal.shares()).containsExactly(java.util.Map.entry("intake", 0.0), java.util.Map.entry("reads", 40.0));
        assertThat(steal.note()).hasValueSatisfying(note -> assertThat(note)
                .contains("up to 40% of this machine's CPU").contains("reads 40.0%").doesNotContain("intake"));
    }

    @Test
    void saysNothingWhenTheHostTookLessThanTheNotableShareOrCannotBeRead() {
        HostSteal little = over(new long[] {0, 0, 0}, new long[] {195, 3, 200});
        little.update("intake", 1, 1, Measurement.newHistogram(), 0, 1);
        assertThat(little.shares()).containsEntry("intake", 1.5);
        assertThat(little.note()).isEmpty();

        HostSteal unreadable = over(); // not Linux: no /proc/stat
        unreadable.update("intake", 1, 1, Measurement.newHistogram(), 0, 1);
        assertThat(unreadable.shares()).isEmpty();
        assertThat(unreadable.note()).isEmpty();
    }
    @Test
    void aPhaseWithOneStolenSecondIsNamedAndItsTailIsSplitBetweenTheStolenSecondsAndTheRest() {
        long[][] reads = new long[13][];
        reads[0] = new long[] {0, 0, 0};
        for (int s = 1; s <= 12; s++) { // twelve seconds of 100 ticks; the host takes 15 of them in the 6th alone
            long steal = s >= 6 ? 15 : 0;
            reads[s] = new long[] {50L * s, steal, 100L * s};
        }
        HostSteal steal = over(reads);
        for (int s = 1; s <= 12; s++) {
            Histogram second = Measurement.newHistogram();
            // the 6th second and the 7th, which finishes its requests, are slow; the others are not
            second.recordValueWithCount(s == 6 || s == 7 ? 400_000 : 8_000, 100);
            // the first two seconds are the warm-up: slow too, but not measured, so in neither p99
            Histogram measured = Measurement.newHistogram();
            if (s > 2) {
                measured.add(second);
            } else {
                second.recordValue(2_000_000);
            }
            steal.update("queue open loop", s, 12, second, measured, 0, 1);
        }

        assertThat(steal.shares()).containsEntry("queue open loop", 1.25);
        assertThat(steal.note()).as("under the phase's notable share, but one second over the stolen one's")
                .hasValueSatisfying(note -> assertThat(note)
                        .contains("up to 1% of this machine's CPU over a phase and up to 15% in one second")
                        .contains("queue open loop 1.3% (its worst second 15%; 2 of its 10 measured s in or right "
                                + "after a stolen second, p99 " + Formats.millis(400_000) + " there and "
                                + Formats.millis(8_000) + " in the rest)"));
    }

    @Test
    void aPhaseWithNoStolenSecondSaysNoSplit() {
        HostSteal steady = over(new long[] {0, 0, 0}, new long[] {90, 5, 100}, new long[] {180, 10, 200});
        Histogram second = Measurement.newHistogram();
        second.recordValue(8_000);
        steady.update("intake", 1, 2, second, second, 0, 1);
        steady.update("intake", 2, 2, second, second, 0, 1);

        assertThat(steady.note()).hasValueSatisfying(note -> assertThat(note)
                .contains("intake 5.0% (its worst second 5%)").doesNotContain("stolen second, p99"));
    }
}
