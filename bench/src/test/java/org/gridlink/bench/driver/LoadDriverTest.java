package org.gridlink.bench.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LoadDriverTest {

    /** Time that moves only when the driver waits (running what falls due on the way) or an operation takes time. */
    static final class FakeTicker implements Ticker {
        long now;
        private final java.util.TreeMap<Long, List<Runnable>> timers = new java.util.TreeMap<>();

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleepUntil(long deadline) {
            while (!timers.isEmpty() && timers.firstKey() <= deadline) {
                var due = timers.pollFirstEntry();
                now = Math.max(now, due.getKey());
                due.getValue().forEach(Runnable::run);
            }
            now = Math.max(now, deadline);
        }

        void advance(Duration d) {
            now += d.toNanos();
        }

        void after(Duration d, Runnable action) {
            timers.computeIfAbsent(now + d.toNanos(), k -> new ArrayList<>()).add(action);
        }
    }

    @Test
    void openLoopMeasuresFromTheIntendedSendTimeSoThatAStalledSenderCannotHideTheBacklog() {
        // 100 requests/s are due, but every send blocks the sender for 50 ms: request i leaves at 50·i ms, though
        // due at 10·i ms, and answers at 50·(i+1) ms. Measured from when it left, each would take 50 ms.
        FakeTicker ticker = new FakeTicker();
        LoadDriver driver = new LoadDriver(ticker, Progress.SILENT, 1_000, Duration.ofMillis(100));
        List<Long> leftAt = new ArrayList<>();

        Measurement m = driver.openLoop("stalled sender", 100, Duration.ZERO, Duration.ofSeconds(1), () -> {
            leftAt.add(ticker.nanoTime());
            ticker.advance(Duration.ofMillis(50));
            return CompletableFuture.completedFuture(true);
        });

        assertThat(m.count()).isEqualTo(100);
        assertThat(m.errors()).isZero();
        assertThat(leftAt.get(99)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(99 * 50));
        // corrected: request i took 50·(i+1) − 10·i = 50 + 40·i ms; the last 4010 ms, the median about 2 s
        assertThat(m.latencyMicros().getMinValue()).isCloseTo(50_000L, within(100L));
        assertThat(m.latencyMicros().getMaxValue()).isCloseTo(4_010_000L, within(4_010L));
        assertThat(m.percentileMicros(50)).isCloseTo(2_010_000L, within(50_000L));
        assertThat(m.throughput()).isCloseTo(100, within(0.001));
        // and the measurement says the driver was the cause: request i left 40·i ms late, the last 3960 ms
        assertThat(m.sendLagMicros().getTotalCount()).isEqualTo(100);
        assertThat(m.sendLagMicros().getMaxValue()).isCloseTo(3_960_000L, within(3_960L));
        assertThat(m.sendLagPercentileMicros(50)).isCloseTo(1_960_000L, within(50_000L));
    }

    @Test
    void openLoopSendsOnScheduleAndMeasuresTheAnswerTimeWhenNothingStalls() {
        FakeTicker ticker = new FakeTicker();
        LoadDriver driver = new LoadDriver(ticker, Progress.SILENT, 1_000, Duration.ofMillis(100));
        List<Long> sent = new ArrayList<>();

        // each answer comes 5 ms after its request
        Measurement m = driver.openLoop("steady", 50, Duration.ZERO, Duration.ofMillis(200), () -> {
            sent.add(ticker.nanoTime());
            CompletableFuture<Boolean> answer = new CompletableFuture<>();
            ticker.after(Duration.ofMillis(5), () -> answer.complete(true));
            return answer;
        });

        assertThat(sent).containsExactly(0L, 20_000_000L, 40_000_000L, 60_000_000L, 80_000_000L, 100_000_000L,
                120_000_000L, 140_000_000L, 160_000_000L, 180_000_000L);
        assertThat(m.count()).isEqualTo(10);
        assertThat(m.latencyMicros().getMaxValue()).isCloseTo(5_000L, within(10L));
        assertThat(m.latencyMicros().getMinValue()).isCloseTo(5_000L, within(10L));
        assertThat(m.sendLagMicros().getTotalCount()).isEqualTo(10);
        assertThat(m.sendLagPercentileMicros(100)).as("every request left on time").isLessThanOrEqualTo(1L);
    }

    @Test
    void theWarmUpIsNotMeasured() {
        FakeTicker ticker = new FakeTicker();
        LoadDriver driver = new LoadDriver(ticker, Progress.SILENT, 1_000, Duration.ofMillis(100));
        int[] calls = {0};

        Measurement m = driver.openLoop("warm", 10, Duration.ofSeconds(1), Duration.ofSeconds(2), () -> {
            calls[0]++;
            // the first requests are slow (a cold JIT) and then fast
            ticker.advance(Duration.ofMillis(calls[0] <= 10 ? 80 : 1));
            return CompletableFuture.completedFuture(true);
        });

        assertThat(calls[0]).isEqualTo(30);
        assertThat(m.count()).isEqualTo(20);
        assertThat(m.latencyMicros().getMaxValue()).isLessThan(2_000L);
        assertThat(m.seconds()).isEqualTo(2.0);
    }

    @Test
    void anOpenLoopStoppedEarlySendsNothingMoreAndMeasuresOnlyTheTimeItRan() {
        FakeTicker ticker = new FakeTicker();
        LoadDriver driver = new LoadDriver(ticker, Progress.SILENT, 1_000, Duration.ofMillis(100));
        int[] calls = {0};

        // 10/s planned for 10 s after a 1 s warm-up; told to stop once 25 requests went out (the 26th due at 2.5 s)
        Measurement m = driver.openLoop("stopped", 10, Duration.ofSeconds(1), Duration.ofSeconds(10), () -> {
            calls[0]++;
            ticker.advance(Duration.ofMillis(2));
            return CompletableFuture.completedFuture(true);
        }, () -> calls[0] >= 25);

        assertThat(calls[0]).isEqualTo(25);
        assertThat(m.count()).as("the 15 sent after the warm-up").isEqualTo(15);
        assertThat(m.seconds()).isCloseTo(1.5, within(1e-9));
        assertThat(m.throughput()).isCloseTo(10, within(1e-9));
        assertThat(ticker.nanoTime()).as("it does not wait for the planned end").isLessThan(3_000_000_000L);
    }

    @Test
    void anOpenLoopStoppedInItsWarmUpMeasuredNothing() {
        FakeTicker ticker = new FakeTicker();
        LoadDriver driver = new LoadDriver(ticker, Progress.SILENT, 1_000, Duration.ofMillis(100));
        int[] calls = {0};

        Measurement m = driver.openLoop("stopped early", 10, Duration.ofSeconds(1), Duration.ofSeconds(10), () -> {
            calls[0]++;
            return CompletableFuture.completedFuture(true);
        }, () -> calls[0] >= 3);

        assertThat(m.count()).isZero();
        assertThat(m.seconds()).isZero();
        assertThat(m.throughput()).isZero();
    }

    @Test
    void failuresAndRequestsOverTheInFlightCapAreErrorsNotLatencies() {
        FakeTicker ticker = new FakeTicker();
        LoadDriver driver = new LoadDriver(ticker, Progress.SILENT, 3, Duration.ofMillis(100));
        List<CompletableFuture<Boolean>> never = new ArrayList<>();
        int[] calls = {0};

        Measurement m = driver.openLoop("capped", 10, Duration.ZERO, Duration.ofSeconds(1), () -> {
            calls[0]++;
            if (calls[0] == 1) {
                return CompletableFuture.failedFuture(new IllegalStateException("refused"));
            }
            if (calls[0] == 2) {
                return CompletableFuture.completedFuture(false);
            }
            CompletableFuture<Boolean> hanging = new CompletableFuture<>();
            never.add(hanging);
            if (never.size() == 3) {
                never.forEach(f -> f.complete(true)); // three answer late, together
            }
            return hanging;
        });

        // 10 due. #1 and #2 fail; #3-#5 answer together when #5 is sent; #6-#8 never answer (lost at the end);
        // #9 and #10 fall due while #6-#8 are out, over the cap of 3: never sent
        assertThat(calls[0]).isEqualTo(8);
        assertThat(m.count()).isEqualTo(3);
        assertThat(m.errors()).isEqualTo(7);
    }

    @Test
    void aClosedLoopClientNeverExceedsOneRequestPerAnswer() {
        LoadDriver driver = new LoadDriver(Ticker.SYSTEM, Progress.SILENT, 1_000, Duration.ofSeconds(1));
        var delayed = CompletableFuture.delayedExecutor(10, TimeUnit.MILLISECONDS);

        Measurement m = driver.closedLoop("closed", 2, Duration.ofMillis(100), Duration.ofMillis(500),
                () -> CompletableFuture.supplyAsync(() -> true, delayed));

        // two clients, each at most one request per 10 ms: at most 200/s, and each latency at least 10 ms
        assertThat(m.count()).isPositive();
        assertThat(m.throughput()).isLessThanOrEqualTo(200 * 1.05);
        assertThat(m.latencyMicros().getMinValue()).isGreaterThanOrEqualTo(9_900L);
        assertThat(m.load()).isEqualTo("closed loop, 2 clients");
        assertThat(m.sendLagMicros()).as("a closed loop has no intended times").isNull();
        assertThat(m.sendLagPercentileMicros(99)).isZero();
    }

    @Test
    void measurementsAddUp() {
        var a = Measurement.newHistogram();
        a.recordValue(1_000);
        var b = Measurement.newHistogram();
        b.recordValue(3_000);
        b.recordValue(5_000);

        Measurement sum = new Measurement("a", "x", a, 1, 2).plus(new Measurement("b", "y", b, 2, 3));

        assertThat(sum.count()).isEqualTo(3);
        assertThat(sum.errors()).isEqualTo(3);
        assertThat(sum.seconds()).isEqualTo(5);
        assertThat(sum.throughput()).isEqualTo(0.6);
        assertThat(sum.name()).isEqualTo("a");
        assertThat(a.getTotalCount()).as("the parts are left alone").isEqualTo(1);
    }

    @Test
    void eachRequestOverTheBoundIsWrittenWithTheTimeItWasDueAndWhetherItWasMeasured() {
        FakeTicker ticker = new FakeTicker();
        List<String> slow = new ArrayList<>();
        SlowRequests sink = new SlowRequests() {
            @Override
            public Duration over() {
                return Duration.ofMillis(20);
            }

            @Override
            public void request(String phase, long startNanos, long micros, boolean ok, boolean measured) {
                slow.add(phase + "@" + startNanos / 1_000_000 + "ms " + micros / 1000 + "ms " + ok + " " + measured);
            }
        };
        LoadDriver driver = new LoadDriver(ticker, Progress.SILENT, sink, 1_000, Duration.ofMillis(100));
        int[] calls = {0};

        // 10/s, 1 s of warm-up and 1 s measured: the 3rd and 15th requests take 30 ms, the 17th exactly the bound,
        // the 18th fails after 25 ms; the rest 2 ms
        driver.openLoop("reads", 10, Duration.ofSeconds(1), Duration.ofSeconds(1), () -> {
            calls[0]++;
            int ms = calls[0] == 3 || calls[0] == 15 ? 30 : calls[0] == 17 ? 20 : calls[0] == 18 ? 25 : 2;
            CompletableFuture<Boolean> answer = new CompletableFuture<>();
            boolean ok = calls[0] != 18;
            ticker.after(Duration.ofMillis(ms), () -> answer.complete(ok));
            return answer;
        });

        assertThat(slow).containsExactly("reads@200ms 30ms true false", "reads@1400ms 30ms true true",
                "reads@1700ms 25ms false true");
    }

    @Test
    void theSlowRequestsFileSaysWhenEachWasDueOnTheWallClock(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = dir.resolve("sub/slow.csv");
        java.time.Instant at = java.time.Instant.parse("2026-12-07T21:23:07Z");
        SlowRequests csv = SlowRequests.csv(file, Duration.ofMillis(20), at, 5_000_000_000L);

        csv.request("queue, open loop", 5_250_123_456L, 31_250, true, true);
        csv.request("case page", 4_000_000_000L, 20_001, false, false);
        csv.flush();

        assertThat(java.nio.file.Files.readAllLines(file)).containsExactly("time,phase,latency_ms,ok,measured",
                "2026-12-07T21:23:07.250123Z,queue; open loop,31.250,true,true",
                "2026-12-07T21:23:06Z,case page,20.001,false,false");
    }

    @Test
    void aPhasesMeasuredSlowRequestsAreReadBackFromTheFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = dir.resolve("slow.csv");
        java.time.Instant at = java.time.Instant.parse("2026-12-07T21:23:07Z");
        SlowRequests csv = SlowRequests.csv(file, Duration.ofMillis(20), at, 5_000_000_000L);
        csv.request("queue, open loop", 5_250_000_000L, 31_250, true, true);
        csv.request("queue, open loop", 5_100_000_000L, 40_000, true, false); // its warm-up
        csv.request("queue, open loop", 5_300_000_000L, 25_000, false, true); // failed, and measured
        csv.request("case page", 5_400_000_000L, 22_000, true, true);
        csv.flush();

        assertThat(SlowRequests.measured(file, "queue, open loop")).containsExactly(
                java.time.Instant.parse("2026-12-07T21:23:07.250Z"), java.time.Instant.parse("2026-12-07T21:23:07.300Z"));
        assertThat(SlowRequests.measured(file, "case page")).hasSize(1);
        assertThat(SlowRequests.measured(file, "intake")).isEmpty();
        assertThat(SlowRequests.measured(dir.resolve("none.csv"), "case page")).isEmpty();
    }
}
