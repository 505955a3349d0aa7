package org.gridlink.kernel.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The gaps in the timeline's numbers the publisher's looks keep, until they fill or cannot any more. */
class UnseenEntriesTest {

    private final UnseenEntries unseen = new UnseenEntries();

    private static long[] run(long from, long to) {
        return new long[] {from, to};
    }

    @Test
    void aGapFoundIsUnseenUntilAnEntryFillsIt() {
        unseen.looked(List.of(), List.of(run(4, 4), run(7, 9)), 100, 105);
        TimelineSeen seen = unseen.seen(10);
        assertThat(seen).hasToString("up to 10 but [4, 7..9]");
        assertThat(List.of(3L, 4L, 5L, 6L, 7L, 9L, 10L, 11L)).map(seen::unseen)
                .containsExactly(false, true, false, false, true, true, false, true);

        // 8 committed: the gap splits around it
        unseen.looked(List.of(run(8, 8)), List.of(), 100, 106);
        assertThat(unseen.seen(10)).hasToString("up to 10 but [4, 7, 9]");
        unseen.looked(List.of(run(4, 4), run(7, 7)), List.of(), 100, 106);
        assertThat(unseen.seen(10)).hasToString("up to 10 but [9]");
        assertThat(unseen.numbers()).isEqualTo(1);
    }

    @Test
    void aGapIsGivenUpOnceEveryTransactionRunningAtTheLookAfterItWasFoundHasEnded() {
        unseen.looked(List.of(), List.of(run(20, 21)), 100, 110); // found
        unseen.looked(List.of(), List.of(), 100, 112);             // its transaction has an id below 112 now
        unseen.looked(List.of(), List.of(), 111, 115);             // 111 still runs: it may be the one
        assertThat(unseen.seen(30)).hasToString("up to 30 but [20..21]");

        unseen.looked(List.of(run(21, 21)), List.of(), 112, 118); // every one below 112 ended: 21 committed, 20 never will
        assertThat(unseen.seen(30)).hasToString("up to 30");
        assertThat(unseen.numbers()).isZero();
    }

    @Test
    void aGapFoundLaterWaitsForItsOwnLookAfter() {
        unseen.looked(List.of(), List.of(run(5, 5)), 100, 110);
        unseen.looked(List.of(), List.of(run(12, 13)), 100, 120); // 5's mark: 120; 12..13 found now
        unseen.looked(List.of(), List.of(), 120, 125);            // 5 given up; 12..13 marked 125
        assertThat(unseen.seen(20)).hasToString("up to 20 but [12..13]");
        unseen.looked(List.of(), List.of(), 125, 126);
        assertThat(unseen.seen(20)).hasToString("up to 20");
    }
}
