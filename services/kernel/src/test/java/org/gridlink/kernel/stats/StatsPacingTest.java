package org.gridlink.kernel.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The roll-up rounds' pacing: at most {@code busyShare} of the time, at least a poll interval apart. */
class StatsPacingTest {

    private static StatsProperties withShare(double share) {
        return new StatsProperties(Duration.ofSeconds(5), Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMinutes(1), Duration.ofSeconds(5), Duration.ofMillis(500), share, null,
                400, ZoneId.of("Asia/Shanghai"), List.of("GRID_PATROL"), List.of("HOTLINE_12345"), Duration.ZERO);
    }

    @Test
    void byDefaultARoundIsFollowedByARestAsLong() {
        StatsProperties defaults = org.springframework.boot.context.properties.bind.Binder.get(
                new org.springframework.core.env.StandardEnvironment())
                .bindOrCreate("gridlink.stats", StatsProperties.class);
        assertThat(defaults.busyShare()).isEqualTo(0.5);
        assertThat(defaults.pauseAfter(Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aQuickRoundIsFollowedAfterThePollInterval() {
        assertThat(withShare(0.2).pauseAfter(Duration.ofMillis(40))).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void aCostlyRoundIsFollowedByFourTimesItsCostAtAFifth() {
        assertThat(withShare(0.2).pauseAfter(Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(8));
        assertThat(withShare(0.5).pauseAfter(Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(2));
        assertThat(withShare(1.0).pauseAfter(Duration.ofSeconds(2))).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void aShareOutsideZeroToOneIsRefused() {
        assertThatThrownBy(() -> withShare(0)).hasMessageContaining("busy-share");
        assertThatThrownBy(() -> withShare(1.5)).hasMessageContaining("busy-share");
    }
}
