package org.gridlink.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
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
}
