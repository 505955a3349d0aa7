package org.gridlink.kernel.support.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.LongStream;
import org.gridlink.kernel.support.outbox.RelayWakes.Step;
import org.junit.jupiter.api.Test;

class RelayWakesTest {

    @Test
    void aNotificationOfARowNotYetPublishedClaimsAtOnceAndOfOnePublishedDoesNothing() {
        RelayWakes wakes = new RelayWakes(16);
        assertThat(wakes.next(RelayWakes.notified("41"))).isEqualTo(Step.CLAIM);

        wakes.published(List.of(40L, 41L, 42L));

        assertThat(wakes.next(RelayWakes.notified("41"))).isEqualTo(Step.NOTHING);
        assertThat(wakes.next(RelayWakes.notified("42"))).isEqualTo(Step.NOTHING);
        assertThat(wakes.next(RelayWakes.notified("43"))).isEqualTo(Step.CLAIM);
    }

    @Test
    void aPollTickOrANotificationThatNamesNoRowLooksFirst() {
        RelayWakes wakes = new RelayWakes(16);
        wakes.published(List.of(1L));
        assertThat(wakes.next(RelayWakes.POLL)).isEqualTo(Step.LOOK);
        // a database before V9 notifies with an empty payload; anything else unreadable is treated the same
        assertThat(RelayWakes.notified("")).isEqualTo(RelayWakes.POLL);
        assertThat(RelayWakes.notified(null)).isEqualTo(RelayWakes.POLL);
        assertThat(RelayWakes.notified("x1")).isEqualTo(RelayWakes.POLL);
        assertThat(wakes.next(RelayWakes.notified(""))).isEqualTo(Step.LOOK);
    }

    @Test
    void onlyTheLastPublishedIdsAreRememberedSoAnOldOneClaimsAgain() {
        RelayWakes wakes = new RelayWakes(4);
        wakes.published(LongStream.rangeClosed(1, 6).boxed().toList());
        // 1 and 2 were forgotten: claiming finds them published and publishes nothing (a wasted claim, never a lost row)
        assertThat(wakes.next(1)).isEqualTo(Step.CLAIM);
        assertThat(wakes.next(2)).isEqualTo(Step.CLAIM);
        assertThat(wakes.next(3)).isEqualTo(Step.NOTHING);
        assertThat(wakes.next(6)).isEqualTo(Step.NOTHING);
    }
}
