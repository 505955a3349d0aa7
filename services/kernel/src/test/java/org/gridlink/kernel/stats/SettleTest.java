package org.gridlink.kernel.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The settle is the configured one (5 s here) until an entry commits late; then twice the latest lag seen within the
 * memory (5 min here), at most the memory itself, and the configured one again one to two memories after the last lag.
 */
class SettleTest {

    private final AtomicLong nanos = new AtomicLong(7_000_000_000L);
    private final Settle settle = new Settle(Duration.ofSeconds(5), Duration.ofMinutes(5), nanos::get);

    private void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    @Test
    void theConfiguredSettleWhileNothingCommitsLate() {
        assertThat(settle.current()).isEqualTo(Duration.ofSeconds(5));
        settle.late(Duration.ofMillis(3)); // an entry that committed a few milliseconds after the look's time
        assertThat(settle.current()).isEqualTo(Duration.ofSeconds(5));
        advance(Duration.ofHours(2));
        assertThat(settle.current()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void widensToTwiceTheLatestLag() {
        settle.late(Duration.ofSeconds(4));
        assertThat(settle.current()).isEqualTo(Duration.ofSeconds(8));
        settle.late(Duration.ofSeconds(3)); // a shorter lag does not narrow it
        assertThat(settle.current()).isEqualTo(Duration.ofSeconds(8));
        settle.late(Duration.ofSeconds(11));
        assertThat(settle.current()).isEqualTo(Duration.ofSeconds(22));
    }

    @Test
    void neverLongerThanTheMemory() {
        settle.late(Duration.ofHours(3)); // whatever came later still, the whole computation counts
        assertThat(settle.current()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void keptForOneToTwoMemoriesAfterTheLastLag() {
        advance(Duration.ofMinutes(4)); // late in its bucket
        settle.late(Duration.ofSeconds(10));
        advance(Duration.ofMinutes(2)); // the next bucket (5 to 10 min): still remembered
        assertThat(settle.current()).isEqualTo(Duration.ofSeconds(20));
        advance(Duration.ofMinutes(4)); // 10 min: the bucket after it ended, forgotten 6 min after the lag
        assertThat(settle.current()).isEqualTo(Duration.ofSeconds(5));

        settle.late(Duration.ofSeconds(6)); // at the start of a bucket (10 to 15 min)
        advance(Duration.ofMinutes(9).plusSeconds(59));
        assertThat(settle.current()).isEqualTo(Duration.ofSeconds(12));
        advance(Duration.ofSeconds(1)); // 20 min: forgotten 10 min after the lag
        assertThat(settle.current()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aLagInTheBucketAfterAQuietOneCounts() {
        advance(Duration.ofMinutes(12)); // two quiet buckets and more
        settle.late(Duration.ofSeconds(7));
        assertThat(settle.current()).isEqualTo(Duration.ofSeconds(14));
        advance(Duration.ofMinutes(5));
        assertThat(settle.current()).isEqualTo(Duration.ofSeconds(14));
    }
}
