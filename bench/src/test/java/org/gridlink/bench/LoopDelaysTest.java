package org.gridlink.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoopDelaysTest {

    static String scrape(int http1ms, int http20ms, int httpAll, int dbAll) {
        return """
                # HELP gridlink_eventloop_delay_seconds how long after its time
                # TYPE gridlink_eventloop_delay_seconds histogram
                gridlink_eventloop_delay_seconds_bucket{application="gridlink-community",loops="http",le="0.001"} %d
                gridlink_eventloop_delay_seconds_bucket{application="gridlink-community",loops="http",le="0.005"} %d
                gridlink_eventloop_delay_seconds_bucket{application="gridlink-community",loops="http",le="0.02"} %d
                gridlink_eventloop_delay_seconds_bucket{application="gridlink-community",loops="http",le="0.05"} %d
                gridlink_eventloop_delay_seconds_bucket{application="gridlink-community",loops="http",le="0.1"} %d
                gridlink_eventloop_delay_seconds_bucket{application="gridlink-community",loops="http",le="+Inf"} %d
                gridlink_eventloop_delay_seconds_count{application="gridlink-community",loops="http"} %d
                gridlink_eventloop_delay_seconds_bucket{application="gridlink-community",loops="database",le="0.001"} %d
                gridlink_eventloop_delay_seconds_bucket{application="gridlink-community",loops="database",le="0.005"} %d
                gridlink_eventloop_delay_seconds_bucket{application="gridlink-community",loops="database",le="0.02"} %d
                gridlink_eventloop_delay_seconds_bucket{application="gridlink-community",loops="database",le="0.05"} %d
                gridlink_eventloop_delay_seconds_bucket{application="gridlink-community",loops="database",le="0.1"} %d
                gridlink_eventloop_delay_seconds_bucket{application="gridlink-community",loops="database",le="+Inf"} %d
                """.formatted(http1ms, http1ms, http20ms, httpAll, httpAll, httpAll, httpAll,
                dbAll, dbAll, dbAll, dbAll, dbAll, dbAll);
    }

    @Test
    void theDifferenceOfTwoScrapesSaysWhatShareOfTheProbesRanLateAndBoundsTheirP99() {
        LoopDelays before = LoopDelays.parse(scrape(100, 100, 100, 50));
        // 1000 probes of the http loops since: 900 within 1 ms, 980 within 20 ms, all within 50 ms
        LoopDelays after = LoopDelays.parse(scrape(1000, 1080, 1100, 250));

        assertThat(after.minus(before).describe()).isEqualTo("database loops: 200 probes, 0% over 5 ms, 0% over 20 ms,"
                + " 0% over 50 ms, 0% over 100 ms, p99 at most 1 ms; http loops: 1000 probes, 10.0% over 5 ms,"
                + " 2.00% over 20 ms, 0% over 50 ms, 0% over 100 ms, p99 at most 50 ms");
    }

    @Test
    void aNodeWithoutTheTimerSaysSo() {
        assertThat(LoopDelays.parse("jvm_threads_live_threads 40\n").describe()).startsWith("no probe");
    }
}
