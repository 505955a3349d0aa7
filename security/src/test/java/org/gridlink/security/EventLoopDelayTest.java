package org.gridlink.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.DefaultEventLoopGroup;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventLoopDelayTest {

    final DefaultEventLoopGroup loops = new DefaultEventLoopGroup(2);
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final EventLoopDelay delay = new EventLoopDelay(Map.of("http", () -> loops), Duration.ofMillis(10), meters);

    @AfterEach
    void close() {
        delay.stop();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    Timer timer() {
        return meters.get("gridlink.eventloop.delay").tag("loops", "http").timer();
    }

    /** How many of the recorded delays were longer than {@code millis} (and at most a second). */
    double over(long millis) {
        // from one snapshot's buckets only: a probe recorded between two separate reads would count as late
        CountAtBucket[] buckets = timer().takeSnapshot().histogramCounts();
        return atMost(buckets, 1000) - atMost(buckets, millis);
    }

    static double atMost(CountAtBucket[] buckets, long millis) {
        return Arrays.stream(buckets).filter(b -> b.bucket(TimeUnit.MILLISECONDS) == millis)
                .findFirst().orElseThrow().count();
    }

    @Test
    void aLoopHeldBusyRunsItsProbeLateByAboutAsLongAndTheTimerSaysSo() {
        delay.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> timer().count() >= 20);
        double before = over(50);

        // one loop runs something for 120 ms: its probe due meanwhile runs when that ends
        loops.next().submit(() -> {
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(120);
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> over(50) > before);

        assertThat(timer().max(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(50);
    }

    @Test
    void stoppedItProbesNoMore() {
        delay.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> timer().count() >= 4);
        delay.stop();
        // a loop runs its tasks one at a time: once each has run one given after the stop, no probe is running
        loops.forEach(loop -> loop.submit(() -> { }).syncUninterruptibly());
        long stopped = timer().count();
        // ten probe intervals, none recorded
        await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1))
                .until(() -> timer().count() == stopped);
        assertThat(delay.isRunning()).isFalse();
    }

    @Test
    void anIntervalThatIsNotPositiveIsRefusedNamingTheProperty() {
        assertThatThrownBy(() -> new EventLoopDelay(Map.of(), Duration.ZERO, meters))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gridlink.metrics.event-loop-interval");
    }
}
