package org.gridlink.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.gridlink.bench.MonitorBursts.Burst;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonitorBurstsTest {

    private static final Instant T = Instant.parse("2026-12-08T01:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aBurstRunsFromThePollBeforeTheMonitorRanToTheLastThatSawItRunAndEndsAfterAGap() {
        MonitorBursts.Detector detector = new MonitorBursts.Detector(Duration.ofMillis(12));
        List<Optional<Burst>> seen = new ArrayList<>();
        long[][] polls = { // ms, CPU so far (ns)
            {0, 1_000_000}, {5, 1_000_000}, {10, 4_000_000}, {15, 9_000_000}, {20, 9_000_000},
            {25, 10_000_000}, // a poll without CPU inside the burst does not end it
            {30, 10_000_000}, {35, 10_000_000}, {40, 10_000_000}, // 15 ms without: ended
            {45, 12_000_000}};
        for (long[] p : polls) {
            seen.add(detector.observe(T.plusMillis(p[0]), p[1]));
        }

        assertThat(seen.stream().flatMap(Optional::stream).toList())
                .containsExactly(new Burst(T.plusMillis(5), T.plusMillis(25), 9_000_000));
        assertThat(seen.get(8)).isPresent(); // at the poll 15 ms after the last that saw it run
        assertThat(detector.finish()).contains(new Burst(T.plusMillis(40), T.plusMillis(45), 2_000_000));
        assertThat(detector.finish()).isEmpty();
    }

    @Test
    void theSlowRequestsDueAroundTheBurstsAreCountedAgainstTheShareOfTimeTheirWindowsCover() {
        // two bursts in a 1 s measurement: windows [100, 230) and [540, 650) ms, 240 ms together
        List<Burst> bursts = List.of(burst(160, 200, 20), burst(600, 620, 10));
        List<Instant> slow = List.of(at(99), at(100), at(229), at(230), at(700), at(-5), at(1000));

        MonitorBursts.Around around = MonitorBursts.around(bursts, slow, T, T.plusMillis(1000), 250);

        assertThat(around.bursts()).isEqualTo(2);
        assertThat(around.slow()).isEqualTo(5); // those before the measurement and at its end left out
        assertThat(around.around()).isEqualTo(2); // 100 and 229 ms
        assertThat(around.share()).isCloseTo(0.24, within(1e-9));
        // shifted by 250 ms: [350, 480) and [790, 900): none of them
        assertThat(around.aroundByChance()).isZero();
        assertThat(around.shareByChance()).isCloseTo(0.24, within(1e-9));
        assertThat(around.outsideRequests()).isCloseTo(190, within(1e-9));
        assertThat(around.slowOutside()).isCloseTo(3 / 190.0, within(1e-9));
        assertThat(around.describe(Duration.ofMillis(20))).isEqualTo("2 of the 5 requests over 20 ms (40.0%) were"
                + " due from 60 ms before one of its bursts to 30 ms after it, windows covering 24.0% of the"
                + " measurement (with the bursts' times shifted by 250 ms, by chance: 0, 24.0% of the time); of the"
                + " requests due outside them (about 190, at the loop's fixed rate), 1.58% took over 20 ms");
    }

    @Test
    void windowsThatOverlapAreOneAndNoneReachesOutOfTheMeasurement() {
        List<Instant[]> windows = MonitorBursts.windows(List.of(burst(-50, 10, 5), burst(600, 620, 1),
                burst(520, 540, 1), burst(980, 990, 1)), Duration.ZERO, T, T.plusMillis(1000));

        assertThat(windows).extracting(w -> List.of(w[0], w[1])).containsExactly(
                List.of(at(0), at(40)), List.of(at(460), at(650)), List.of(at(920), at(1000)));
        assertThat(MonitorBursts.around(List.of(), List.of(at(10)), T, T.plusMillis(1000), 250)
                .describe(Duration.ofMillis(20))).isEqualTo("the monitor had no burst of work in the measurement");
    }

    @Test
    void theBurstsOfAMeasurementAreDescribedByTheirMedians() {
        List<Burst> bursts = List.of(burst(-600, -550, 99), burst(0, 49, 23), burst(573, 610, 20),
                burst(1150, 1200, 35));

        assertThat(MonitorBursts.describe(bursts, T, T.plusMillis(2000))).isEqualTo("3 bursts, one every 577 ms,"
                + " each 23.0 ms of CPU over 49.0 ms (medians; at most 35.0 ms of CPU)");
        assertThat(MonitorBursts.describe(bursts, T.plusMillis(1500), T.plusMillis(2000))).isEqualTo("no burst");
        assertThat(MonitorBursts.line(burst(0, 49, 23))).isEqualTo(
                "2026-12-08T01:00:00Z,2026-12-08T01:00:00.049Z,23.000\n");
    }

    @Test
    void aPollingThreadWritesTheBurstsOfTheCpuItReads() throws Exception {
        AtomicLong cpu = new AtomicLong(5_000_000_000L);
        AtomicBoolean closed = new AtomicBoolean();
        Path csv = dir.resolve("target/kdamond.csv");
        MonitorBursts monitor = new MonitorBursts(cpu::get, () -> closed.set(true), csv);
        try {
            Thread.sleep(30);
            cpu.addAndGet(3_000_000); // one poll or two may see these: one burst (the detector's test has the sums)
            cpu.addAndGet(4_500_000);
            // ended once the poller has seen no more CPU for longer than the gap
            await().atMost(Duration.ofSeconds(5)).until(() -> monitor.bursts().size() == 1);
            cpu.addAndGet(500_000); // open when it stops
            Thread.sleep(30);
        } finally {
            monitor.close();
        }

        assertThat(monitor.bursts()).extracting(Burst::cpuNanos).containsExactly(7_500_000L, 500_000L);
        assertThat(monitor.bursts().get(0).start()).isBefore(monitor.bursts().get(0).end());
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines).hasSize(3).first().isEqualTo("start,end,cpu_ms");
        assertThat(lines.get(1)).endsWith(",7.500");
        assertThat(lines.get(2)).endsWith(",0.500");
        assertThat(monitor.pollerCpu()).isPositive();
        assertThat(closed).isTrue();
    }

    @Test
    void aThreadsCpuIsTheFirstFieldOfItsSchedstatReadAgainFromTheStart() throws Exception {
        Path file = dir.resolve("schedstat");
        Files.writeString(file, "1234567890 55 7\n");
        try (MonitorBursts.Schedstat schedstat = new MonitorBursts.Schedstat(file)) {
            assertThat(schedstat.getAsLong()).isEqualTo(1_234_567_890L);
            Files.writeString(file, "1234999999 56 8\n", StandardOpenOption.WRITE); // in place, as /proc's changes
            assertThat(schedstat.getAsLong()).isEqualTo(1_234_999_999L);
            Files.writeString(file, "", StandardOpenOption.TRUNCATE_EXISTING);
            assertThat(schedstat.getAsLong()).isEqualTo(-1);
        }
        // this thread's own, from the kernel: what the JVM says it took, give or take its own clock
        Path own = Path.of("/proc/thread-self/schedstat");
        if (Files.isReadable(own)) {
            try (MonitorBursts.Schedstat schedstat = new MonitorBursts.Schedstat(own)) {
                long before = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                assertThat(schedstat.getAsLong()).isPositive().isGreaterThan(before / 2);
            }
        }
    }

    private static Burst burst(long startMs, long endMs, long cpuMs) {
        return new Burst(at(startMs), at(endMs), cpuMs * 1_000_000);
    }

    private static Instant at(long ms) {
        return T.plusMillis(ms);
    }
}
