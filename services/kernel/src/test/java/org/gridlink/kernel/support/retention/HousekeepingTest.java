package org.gridlink.kernel.support.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

class HousekeepingTest {

    @Test
    void theInboxMustOutlastTheInboxTopicsRecords() {
        assertThat(Housekeeping.whyTheInboxMayNotOutlast(Duration.ofDays(30), Duration.ofDays(7))).isEmpty();
        assertThat(Housekeeping.whyTheInboxMayNotOutlast(Duration.ofDays(7), Duration.ofDays(7)))
                .get(InstanceOfAssertFactories.STRING)
                .contains("keeps its records PT168H").contains("the inbox its ids only PT168H");
        assertThat(Housekeeping.whyTheInboxMayNotOutlast(Duration.ofDays(30), Duration.ofMillis(-1)))
                .get(InstanceOfAssertFactories.STRING).contains("for ever");
    }

    @Test
    void theFirstRoundComesWithinTheFirstIntervalAtARandomPoint() {
        Set<Duration> firsts = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            Duration first = Housekeeping.firstRound(Duration.ofHours(1));
            assertThat(first).isPositive().isLessThanOrEqualTo(Duration.ofHours(1));
            firsts.add(first);
        }
        assertThat(firsts).hasSizeGreaterThan(90);
    }
}
