package org.gridlink.bench.driver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgressTest {

    @Test
    void csvHasOneLinePerSecondWithTheSecondsPercentilesInMilliseconds(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/progress.csv");
        // the machine as /proc/stat gives it: at the start, after the first second, after the second
        Iterator<MachineTicks> machine = List.of(
                MachineTicks.parse(List.of("cpu  1000 0 500 8000 100 0 0 0 0 0", "procs_running 1")),
                MachineTicks.parse(List.of("cpu  1100 0 550 8030 110 0 0 10 0 0", "procs_running 7")),
                MachineTicks.parse(List.of("cpu  1100 0 550 8230 110 0 0 10 0 0", "procs_running 1"))).iterator();
        Progress csv = Progress.csv(file, () -> Optional.of(machine.next()));
        Histogram second = Measurement.newHistogram();
        for (int i = 1; i <= 100; i++) {
            second.recordValue(i * 1_000L); // 1 ms .. 100 ms
        }
        Histogram lag = Measurement.newHistogram();
        for (int i = 1; i <= 100; i++) {
            lag.recordValue(i * 10L); // 0.01 ms .. 1 ms late
        }
        lag.recordValue(150_000); // and one 150 ms late
        csv.update("intake, via gateway", 3.0, 30.0, second, second, lag, 2, 1.0);
        csv.update("intake, via gateway", 4.0, 30.0, Measurement.newHistogram(), 0, 1.0);

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("time,phase,elapsed_s,finished,p50_ms,p99_ms,max_ms,errors,busy_pct,"
                + "iowait_pct,steal_pct,runnable,send_lag_p99_ms,send_lag_max_ms");
        String[] first = lines.get(1).split(",");
        assertThat(first).hasSize(14);
        assertThat(first[1]).isEqualTo("intake; via gateway"); // a comma in the phase's name would shift the columns
        assertThat(first[2]).isEqualTo("3.0");
        assertThat(first[3]).isEqualTo("100");
        assertThat(Double.parseDouble(first[4])).isBetween(49.9, 50.1);
        assertThat(Double.parseDouble(first[5])).isBetween(98.9, 99.1);
        assertThat(Double.parseDouble(first[6])).isBetween(99.9, 100.1);
        assertThat(first[7]).isEqualTo("2");
        // 200 ticks went by: 150 busy (user and system), 30 idle, 10 waiting on the disk, 10 taken by the host
        assertThat(List.of(first).subList(8, 12)).containsExactly("75.0", "5.0", "5.0", "7");
        assertThat(List.of(first).subList(12, 14)).containsExactly("1.00", "150.02");
        // a second without an open loop's send lag (a closed loop's) leaves its columns empty
        assertThat(lines.get(2)).endsWith(",4.0,0,0.00,0.00,0.00,0,0.0,0.0,0.0,1,,");
    }

    @Test
    void withoutProcStatTheMachinesColumnsAreLeftEmpty(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("progress.csv");
        Progress csv = Progress.csv(file, Optional::empty);
        csv.update("reads", 1.0, 10.0, Measurement.newHistogram(), 0, 1.0);
        assertThat(Files.readAllLines(file).get(1)).endsWith(",1.0,0,0.00,0.00,0.00,0,,,,,,");
    }

    @Test
    void procStatIsReadForItsAggregateLineAndRunnableThreads() {
        MachineTicks t = MachineTicks.parse(List.of("cpu  10 1 5 100 4 1 2 3 0 0", "cpu0 5 0 2 50 2 0 1 1 0 0",
                "intr 1 2 3", "procs_running 3", "procs_blocked 0"));
        assertThat(t.total()).isEqualTo(126);
        assertThat(t.busy()).isEqualTo(19); // user, nice, system, irq, softirq
        assertThat(t.iowait()).isEqualTo(4);
        assertThat(t.steal()).isEqualTo(3);
        assertThat(t.runnable()).isEqualTo(3);
        assertThat(MachineTicks.read()).as("this machine's /proc/stat").isPresent();
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

    @Test
    void theMeasuredRequestsGoOnToWhatTakesThemAndTheRestGetTheSecondWithoutThem() {
        List<String> calls = new ArrayList<>();
        Progress takesMeasured = new Progress() {
            @Override
            public void update(String phase, double elapsed, double total, Histogram interval, long errors,
                               double seconds) {
                calls.add("without them " + phase);
            }

            @Override
            public void update(String phase, double elapsed, double total, Histogram interval, Histogram measured,
                               long errors, double seconds) {
                calls.add("measured " + measured.getTotalCount() + " of " + interval.getTotalCount());
            }
        };
        Progress plain = (phase, elapsed, total, interval, errors, seconds) ->
                calls.add("plain " + interval.getTotalCount());
        Histogram second = Measurement.newHistogram();
        second.recordValueWithCount(1_000, 5);
        Histogram measured = Measurement.newHistogram();
        measured.recordValueWithCount(1_000, 3); // the other two were sent in the warm-up

        Progress.both(takesMeasured, plain).update("reads", 1, 10, second, measured, 0, 1);

        assertThat(calls).containsExactly("measured 3 of 5", "plain 5");
    }
}
