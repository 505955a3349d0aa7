package org.gridlink.kernel.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * When a unit reports: an own change at most once per publish interval (5 s here), a child's report at most once per
 * relay interval (500 ms) with the own figures as kept, every unit at least once per heartbeat interval (30 s).
 */
class ReportPacingTest {

    private static final StatsProperties PROPS = new StatsProperties(Duration.ofSeconds(5), Duration.ofMillis(500),
            Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMinutes(1), Duration.ofSeconds(5), Duration.ofMillis(500), 0.5, null, 400,
            ZoneId.of("Asia/Shanghai"), List.of("GRID_PATROL"), List.of("HOTLINE_12345"), Duration.ZERO);

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private ReportPacing pacing;

    @BeforeEach
    void quietUnits() {
        pacing = new ReportPacing(PROPS, nanos::get, Set.of("A", "B"));
        report(pacing.due()); // every unit's first report (a heartbeat: nothing reported yet)
    }

    private void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    private ReportPacing.Taken report(ReportPacing.Round round) {
        ReportPacing.Taken taken = pacing.take(round);
        pacing.reported(taken);
        return taken;
    }

    @Test
    void everyUnitReportsFirstThenOnlyWhatChangedOrAHeartbeatLater() {
        assertThat(pacing.due().due()).isEmpty();
        advance(Duration.ofSeconds(30));
        ReportPacing.Round heartbeat = pacing.due();
        assertThat(heartbeat.due()).containsExactly("A", "B");
        assertThat(heartbeat.subtreeOnly()).isEmpty();
    }

    @Test
    void anOwnChangeGoesAtOnceThenAtMostOncePerPublishInterval() {
        advance(Duration.ofSeconds(1));
        pacing.ownChanged("A");
        ReportPacing.Round round = pacing.due();
        assertThat(round.due()).containsExactly("A");
        assertThat(round.subtreeOnly()).isEmpty();
        report(round);

        advance(Duration.ofSeconds(1));
        pacing.ownChanged("A");
        assertThat(pacing.due().due()).isEmpty();
        advance(Duration.ofSeconds(4));
        assertThat(pacing.due().due()).containsExactly("A");
    }

    @Test
    void aChildsReportGoesUpWithinARelayIntervalWithTheOwnFiguresAsKept() {
        advance(Duration.ofMillis(100));
        assertThat(pacing.subtreeChanged("B")).isEqualTo(Duration.ofMillis(400)); // reported 100 ms ago: its relay interval
        assertThat(pacing.due().due()).isEmpty();
        advance(Duration.ofMillis(400));
        ReportPacing.Round round = pacing.due();
        assertThat(round.due()).containsExactly("B");
        assertThat(round.subtreeOnly()).containsExactly("B");
        report(round);

        advance(Duration.ofSeconds(1));
        assertThat(pacing.subtreeChanged("B")).isZero(); // a round now would report it
        assertThat(pacing.due().subtreeOnly()).containsExactly("B");
    }

    /** A's own change reported at 1 s, and another own change at 2 s, waiting until 6 s for its publish interval. */
    private void anOwnChangeReportedThenAnother() {
        advance(Duration.ofSeconds(1));
        pacing.ownChanged("A");
        report(pacing.due());
        advance(Duration.ofSeconds(1));
        pacing.ownChanged("A");
    }

    @Test
    void aRelayDoesNotTakeAnOwnChangeStillWaitingForItsPublishInterval() {
        anOwnChangeReportedThenAnother();
        pacing.subtreeChanged("A");
        ReportPacing.Round relay = pacing.due();
        assertThat(relay.subtreeOnly()).containsExactly("A");
        ReportPacing.Taken taken = report(relay);
        assertThat(taken.own()).isEmpty();

        advance(Duration.ofSeconds(4));
        ReportPacing.Round own = pacing.due();
        assertThat(own.due()).containsExactly("A");
        assertThat(own.subtreeOnly()).isEmpty();
    }

    @Test
    void anOwnChangeDueWithAChildsReportComputesTheOwnFigures() {
        advance(Duration.ofSeconds(6));
        pacing.ownChanged("A");
        pacing.subtreeChanged("A");
        ReportPacing.Round round = pacing.due();
        assertThat(round.due()).containsExactly("A");
        assertThat(round.subtreeOnly()).isEmpty();
        ReportPacing.Taken taken = report(round);
        assertThat(taken.own()).containsOnlyKeys("A");
        assertThat(taken.subtree()).containsOnlyKeys("A");
        assertThat(pacing.due().due()).isEmpty();
    }

    @Test
    void aRoundThatCouldNotWriteGivesItsChangesBack() {
        advance(Duration.ofSeconds(6));
        pacing.ownChanged("A");
        pacing.subtreeChanged("B");
        ReportPacing.Round round = pacing.due();
        ReportPacing.Taken taken = pacing.take(round);
        assertThat(pacing.due().due()).isEmpty(); // taken: the round carries them
        pacing.failed(taken);

        ReportPacing.Round again = pacing.due();
        assertThat(again.due()).containsExactly("A", "B");
        assertThat(again.subtreeOnly()).containsExactly("B");
    }

    @Test
    void aChangeDuringTheRoundGoesInTheNextOne() {
        advance(Duration.ofSeconds(1));
        pacing.subtreeChanged("B");
        ReportPacing.Taken taken = pacing.take(pacing.due());
        pacing.subtreeChanged("B"); // a child's report read after the round read the children's
        pacing.reported(taken);

        assertThat(pacing.due().due()).isEmpty();
        advance(Duration.ofMillis(500));
        assertThat(pacing.due().subtreeOnly()).containsExactly("B");
    }

    @Test
    void aReportSaysHowLongItsChangesWaitedFromFirstMarked() {
        anOwnChangeReportedThenAnother(); // the second first marked at 2 s: waits 4 s for the publish interval
        advance(Duration.ofSeconds(2));
        pacing.ownChanged("A");
        pacing.subtreeChanged("B");
        advance(Duration.ofMillis(300));
        ReportPacing.Round subtree = pacing.due();
        assertThat(subtree.due()).containsExactly("B");
        ReportPacing.Waited relayed = pacing.reported(pacing.take(subtree));
        assertThat(relayed.own()).isEmpty();
        assertThat(relayed.subtree()).containsExactly(Duration.ofMillis(300).toNanos());

        advance(Duration.ofMillis(1700));
        ReportPacing.Waited own = pacing.reported(pacing.take(pacing.due()));
        assertThat(own.own()).containsExactly(Duration.ofSeconds(4).toNanos());
        assertThat(own.subtree()).isEmpty();
    }

    @Test
    void unitsAnotherNodeServesAreNeverDue() {
        pacing.ownChanged("X");
        assertThat(pacing.subtreeChanged("X")).isNull();
        advance(Duration.ofSeconds(6));
        assertThat(pacing.due().due()).isEmpty();
    }
}
