package org.gridlink.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CoreSpeedSecondsTest {

    @TempDir
    Path dir;

    @Test
    void aSecondsLineIsTheFixedWorkOverTheCpuItTook() {
        // 1.6384 MB hashed in 1 ms of the thread's CPU, 3 ms of the wall clock (it waited 2 ms for a core)
        assertThat(CoreSpeedSeconds.line(Instant.parse("2026-12-07T04:00:00Z"), 1_000_000, 3_000_000))
                .isEqualTo("2026-12-07T04:00:00Z,1638,1000,3000" + System.lineSeparator());
    }

    @Test
    void theSecondsAreDescribedByTheirMedianAndTheSlowest() {
        assertThat(CoreSpeedSeconds.describe(new double[] {800, 1500, 1600, 1600, 1700}))
                .isEqualTo("SHA-256 1600 MB a CPU second in the median of 5 seconds, 800 in the slowest (0.50×)");
        assertThat(CoreSpeedSeconds.describe(new double[0])).isEqualTo("no second measured");
    }

    @Test
    void aCoreTakingTwiceTheCpuForTheSameWorkReadsHalfAsFast() throws Exception {
        // each sample reads the thread's CPU before and after the hashing: 1 ms, then 2 ms
        AtomicLong calls = new AtomicLong();
        long[] readings = {0, 1_000_000, 10_000_000, 12_000_000};
        CoreSpeedSeconds speed = new CoreSpeedSeconds(dir.resolve("core-speed.csv"),
                () -> readings[(int) calls.getAndIncrement()]);
        try (speed) {
            speed.sample();
            speed.sample();
        }
        List<String> lines = Files.readAllLines(dir.resolve("core-speed.csv"));
        assertThat(lines.get(0)).isEqualTo("time,sha256_mb_per_cpu_s,cpu_us,wall_us");
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1).split(",")[1]).isEqualTo("1638");
        assertThat(lines.get(2).split(",")[1]).isEqualTo("819");
        assertThat(speed.describe(Instant.EPOCH, Instant.now())).isEqualTo("SHA-256 1638 MB a CPU second in the"
                + " median of 2 seconds, 819 in the slowest (0.50×)");
        assertThat(speed.describe(Instant.EPOCH, Instant.EPOCH.plusSeconds(1))).isEqualTo("no second measured");
    }

    @Test
    void onThisMachineTheHashingRunsAtARealRateAndNoFasterThanTheWallClock() throws Exception {
        try (CoreSpeedSeconds speed = new CoreSpeedSeconds(dir.resolve("core-speed.csv"))) {
            for (int i = 0; i < 20; i++) {
                speed.sample();
            }
        }
        List<String> lines = Files.readAllLines(dir.resolve("core-speed.csv"));
        String[] last = lines.get(lines.size() - 1).split(",");
        // SHA-256 runs at hundreds to a few thousand MB/s on a core; the thread's CPU cannot exceed the wall time
        assertThat(Double.parseDouble(last[1])).isBetween(50.0, 20_000.0);
        assertThat(Long.parseLong(last[2])).isLessThanOrEqualTo(Long.parseLong(last[3]) + 1);
    }
}
