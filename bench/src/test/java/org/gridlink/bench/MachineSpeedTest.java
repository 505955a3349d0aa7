package org.gridlink.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.gridlink.bench.driver.MachineTicks;
import org.junit.jupiter.api.Test;

class MachineSpeedTest {

    @Test
    void theRateIsTheBlocksHashedOverTheTimeMeasured() {
        // 1000 blocks of 64 KiB in half a second: 65.536 MB in 0.5 s
        assertThat(MachineSpeed.rate(1000, 500_000_000L)).isCloseTo(131.072, within(1e-9));
        assertThatThrownBy(() -> MachineSpeed.rate(1000, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theMeasurementCountsOnlyItsOwnTimeAndSaysTheHostsStealMeanwhile() {
        // a clock that moves 1 ms each time it is read; /proc/stat read twice around the measurement
        AtomicLong now = new AtomicLong();
        Deque<MachineTicks> ticks = new ArrayDeque<>(List.of(new MachineTicks(100, 0, 10, 200, 1),
                new MachineTicks(250, 0, 60, 400, 1)));
        MachineSpeed speed = new MachineSpeed(() -> now.addAndGet(1_000_000L), () -> Optional.ofNullable(ticks.poll()));

        MachineSpeed.Reading reading = speed.measure(Duration.ofMillis(3), Duration.ofMillis(5), 1024);

        // each measured: five rounds (the clock read after each round until 5 ms had passed) over the 7 ms between its
        // start and its end; the warm-ups' rounds are not counted. A round hashes 16 blocks, makes 4096 reads or copies
        // 4 KiB (the chain's 1024 ints)
        assertThat(reading.mbPerSecond()).isCloseTo(MachineSpeed.rate(5 * 16, 7_000_000L), within(1e-9));
        assertThat(reading.nsPerRead()).isCloseTo(7_000_000.0 / (5 * 4096), within(1e-9));
        assertThat(reading.copyGbPerSecond()).isCloseTo(5 * 4096 / 7_000_000.0, within(1e-12));
        assertThat(reading.stealPct()).hasValueSatisfying(s -> assertThat(s).isCloseTo(25.0, within(1e-9)));
        // the loopback's round trips: 16 between clock reads, five rounds measured in the same 7 ms
        assertThat(reading.usPerRoundTrip()).isCloseTo(7_000.0 / (5 * 16), within(1e-9));
        assertThat(reading.describe()).isEqualTo("SHA-256 749 MB/s, a random read 342 ns, copying 0.0 GB/s, a loopback"
                + " round trip 87.5 µs (steal 25.0%)");
    }

    @Test
    void theChainVisitsEveryIndexOnceBeforeItComesBack() {
        int[] chain = MachineSpeed.randomCycle(10_000, new SplittableRandom(3));
        BitSet seen = new BitSet();
        int at = 0;
        for (int i = 0; i < chain.length; i++) {
            assertThat(seen.get(at)).as("index %d visited twice", at).isFalse();
            seen.set(at);
            at = chain[at];
        }
        assertThat(at).isZero();
        assertThat(seen.cardinality()).isEqualTo(10_000);
    }

    @Test
    void withoutProcStatItSaysTheSpeedAlone() {
        MachineSpeed.Reading reading = new MachineSpeed(System::nanoTime, Optional::empty)
                .measure(Duration.ZERO, Duration.ofMillis(50), 1 << 16);

        assertThat(reading.mbPerSecond()).isPositive();
        assertThat(reading.nsPerRead()).isPositive();
        assertThat(reading.copyGbPerSecond()).isPositive();
        assertThat(reading.usPerRoundTrip()).isPositive().isLessThan(50_000.0);
        assertThat(reading.stealPct()).isEmpty();
        assertThat(reading.describe()).endsWith(" µs");
    }
}
