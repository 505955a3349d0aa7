package org.gridlink.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RollupRoundsTest {

    private static final String SCRAPE = """
            # HELP gridlink_stats_round_seconds a round of roll-ups
            # TYPE gridlink_stats_round_seconds summary
            gridlink_stats_round_seconds_count{application="community"} 120
            gridlink_stats_round_seconds_sum{application="community"} 6.0
            # TYPE gridlink_stats_round_seconds_max gauge
            gridlink_stats_round_seconds_max{application="community"} 0.25
            gridlink_stats_round_units_count{application="community"} 120
            gridlink_stats_round_units_sum{application="community"} 300.0
            gridlink_stats_reports_published_total{application="community"} 299.0
            """;

    @Test
    void theRoundCountersAreReadFromTheExposition() {
        RollupRounds.Scrape s = RollupRounds.parse(SCRAPE);

        assertThat(s).isEqualTo(new RollupRounds.Scrape(120, 6.0, 300));
    }

    @Test
    void theWaitsOfChangesAndTheLagOfChildrensReportsAreReadByKind() {
        RollupRounds.Scrape s = RollupRounds.parse(SCRAPE + """
                gridlink_stats_change_wait_seconds_count{application="township",change="own"} 4
                gridlink_stats_change_wait_seconds_sum{application="township",change="own"} 10.0
                gridlink_stats_change_wait_seconds_count{application="township",change="subtree"} 50
                gridlink_stats_change_wait_seconds_sum{application="township",change="subtree"} 5.0
                gridlink_stats_change_wait_seconds_max{application="township",change="subtree"} 0.9
                gridlink_stats_report_lag_seconds_count{application="township"} 60
                gridlink_stats_report_lag_seconds_sum{application="township"} 3.0
                gridlink_stats_report_delivery_seconds_count{application="township"} 60
                gridlink_stats_report_delivery_seconds_sum{application="township"} 0.6
                gridlink_outbox_lag_seconds_count{application="township"} 80
                gridlink_outbox_lag_seconds_sum{application="township"} 1.6
                """);

        assertThat(s.ownWait()).isEqualTo(new RollupRounds.Timed(4, 10.0));
        assertThat(s.subtreeWait()).isEqualTo(new RollupRounds.Timed(50, 5.0));
        assertThat(s.lag()).isEqualTo(new RollupRounds.Timed(60, 3.0));
        assertThat(s.reportDelivery()).isEqualTo(new RollupRounds.Timed(60, 0.6));
        assertThat(s.outbox()).isEqualTo(new RollupRounds.Timed(80, 1.6));
        assertThat(s.minus(new RollupRounds.Scrape(20, 1.0, 40)).describe(Duration.ofSeconds(50))).isEqualTo(
                "100 rounds in 50 s, 50.0 ms each (10.0% of the time), 2.60 units reported each; a change waited for"
                        + " its report: own 2500 ms (4), subtree 100 ms (50); children's reports came to its listener"
                        + " 10.0 ms (60) after their producer had them and were kept 50.0 ms (60) after they were"
                        + " computed; the node's outbox rows reached the broker 20.0 ms (80) after"
                        + " their insert");
    }

    @Test
    void theStepsOfAnEventsWayBetweenNodesAreReadAndDescribed() {
        RollupRounds.Scrape before = RollupRounds.parse(events(10, 0.5, 5, 0.05, 5, 1.0));
        RollupRounds.Scrape after = RollupRounds.parse(events(30, 0.9, 25, 0.15, 25, 3.0)
                + "gridlink_inbox_lag_seconds_max{application=\"township\"} 0.4\n");

        assertThat(after.inboxLag()).isEqualTo(new RollupRounds.Timed(25, 3.0));
        assertThat(after.minus(before).describeEvents()).isEqualTo("its outbox rows reached the broker 20.0 ms (20)"
                + " after the transaction that wrote them began; events from other nodes came to its listener 5.00 ms"
                + " (20) after their producer had them, and were applied here 100 ms (20) after the change that sent"
                + " them");
    }

    /** A township's scrape of the three timers on an event's way: each as its count and sum (seconds). */
    private static String events(int outboxCount, double outboxSum, int deliveryCount, double deliverySum,
                                 int lagCount, double lagSum) {
        return String.join("\n",
                "gridlink_outbox_lag_seconds_count{application=\"township\"} " + outboxCount,
                "gridlink_outbox_lag_seconds_sum{application=\"township\"} " + outboxSum,
                "gridlink_inbox_delivery_seconds_count{application=\"township\"} " + deliveryCount,
                "gridlink_inbox_delivery_seconds_sum{application=\"township\"} " + deliverySum,
                "gridlink_inbox_lag_seconds_count{application=\"township\"} " + lagCount,
                "gridlink_inbox_lag_seconds_sum{application=\"township\"} " + lagSum) + "\n";
    }

    @Test
    void aNodeThatHasNotRunARoundYetReadsAsZeros() {
        assertThat(RollupRounds.parse("# nothing\njvm_threads_live_threads 30\n"))
                .isEqualTo(new RollupRounds.Scrape(0, 0, 0));
    }

    @Test
    void theDifferenceOfTwoScrapesIsDescribedPerRound() {
        RollupRounds.Scrape before = new RollupRounds.Scrape(20, 1.0, 40);
        RollupRounds.Scrape after = RollupRounds.parse(SCRAPE);

        assertThat(after.minus(before).describe(Duration.ofSeconds(50)))
                .isEqualTo("100 rounds in 50 s, 50.0 ms each (10.0% of the time), 2.60 units reported each");
        assertThat(before.minus(before).describe(Duration.ofSeconds(50))).isEqualTo("no round");
    }
}
