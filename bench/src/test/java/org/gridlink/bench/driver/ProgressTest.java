package org.gridlink.bench.driver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgressTest {

    @Test
    void csvHasOneLinePerSecondWithTheSecondsPercentilesInMilliseconds(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/progress.csv");
        Progress csv = Progress.csv(file);
        Histogram second = Measurement.newHistogram();
        for (int i = 1; i <= 100; i++) {
            second.recordValue(i * 1_000L); // 1 ms .. 100 ms
        }
        csv.update("intake, via gateway", 3.0, 30.0, second, 2, 1.0);
        csv.update("intake, via gateway", 4.0, 30.0, Measurement.newHistogram(), 0, 1.0);

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("time,phase,elapsed_s,finished,p50_ms,p99_ms,max_ms,errors");
        String[] first = lines.get(1).split(",");
        assertThat(first).hasSize(8);
        assertThat(first[1]).isEqualTo("intake; via gateway"); // a comma in the phase's name would shift the columns
        assertThat(first[2]).isEqualTo("3.0");
        assertThat(first[3]).isEqualTo("100");
        assertThat(Double.parseDouble(first[4])).isBetween(49.9, 50.1);
        assertThat(Double.parseDouble(first[5])).isBetween(98.9, 99.1);
        assertThat(Double.parseDouble(first[6])).isBetween(99.9, 100.1);
        assertThat(first[7]).isEqualTo("2");
        assertThat(lines.get(2)).endsWith(",4.0,0,0.00,0.00,0.00,0");
    }

    @Test
    void bothPassesEveryCallToEachInTurn() {
        List<String> calls = new ArrayList<>();
        Progress first = new Progress() {
            @Override
            public void update(String phase, double elapsed, double total, Histogram interval, long errors,
                               double seconds) {
                calls.add("first " + phase);
            }

            @Override
            public void done(String phase) {
                calls.add("first done " + phase);
            }
        };
        Progress second = (phase, elapsed, total, interval, errors, seconds) -> calls.add("second " + phase);
        Progress both = Progress.both(first, second);
        both.update("reads", 1, 10, Measurement.newHistogram(), 0, 1);
        both.done("reads");
        assertThat(calls).containsExactly("first reads", "second reads", "first done reads");
    }
}
