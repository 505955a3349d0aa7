package org.gridlink.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoopDelaysTest {

    /** A group's buckets as the node exports them: the counts within 1, 5, 20, 50 and 100 ms, and all. */
    static String group(String loops, int... counts) {
        String[] bounds = {"0.001", "0.005", "0.02", "0.05", "0.1", "+Inf"};
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < bounds.length; i++) {
            out.append("gridlink_eventloop_delay_seconds_bucket{application=\"gridlink-community\",loops=\"")
                    .append(loops).append("\",le=\"").append(bounds[i]).append("\"} ").append(counts[i]).append('\n');
        }
        return out.append("gridlink_eventloop_delay_seconds_count{application=\"gridlink-community\",loops=\"")
                .append(loops).append("\"} ").append(counts[bounds.length - 1]).append('\n').toString();
    }

    static String scrape(int http1ms, int http20ms, int httpAll, int dbAll) {
        return "# HELP gridlink_eventloop_delay_seconds how long after its time\n"
                + "# TYPE gridlink_eventloop_delay_seconds histogram\n"
                + group("http", http1ms, http1ms, http20ms, httpAll, httpAll, httpAll)
                + group("database", dbAll, dbAll, dbAll, dbAll, dbAll, dbAll);
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
