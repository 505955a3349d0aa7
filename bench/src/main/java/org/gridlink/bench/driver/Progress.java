package org.gridlink.bench.driver;

import java.io.PrintStream;
import org.HdrHistogram.Histogram;

/** Where a running phase reports itself about once a second. */
public interface Progress {

    /**
     * @param interval the latencies (µs) of the requests that finished since the last call, over {@code intervalSeconds}
     */
    void update(String phase, double elapsedSeconds, double totalSeconds, Histogram interval, long intervalErrors,
                double intervalSeconds);

    /** The phase is over. */
    default void done(String phase) {
    }

    Progress SILENT = (phase, elapsed, total, interval, errors, seconds) -> { };

    /**
     * One line per phase, rewritten in place on a terminal; on a pipe or a log file, one line every five seconds.
     */
    static Progress to(PrintStream out, boolean terminal) {
        return new Progress() {
            private double lastPrinted = -1;

            @Override
            public void update(String phase, double elapsed, double total, Histogram interval, long errors,
                               double seconds) {
                String line = String.format("[bench] %-34s %5.0f/%.0f s %8.0f req/s  p50 %9s  p99 %9s  errors %d",
                        phase, elapsed, total, seconds > 0 ? interval.getTotalCount() / seconds : 0,
                        Formats.millis(interval.getTotalCount() == 0 ? 0 : interval.getValueAtPercentile(50)),
                        Formats.millis(interval.getTotalCount() == 0 ? 0 : interval.getValueAtPercentile(99)), errors);
                if (terminal) {
                    out.print("\r" + line);
                    out.flush();
                } else if (lastPrinted < 0 || elapsed - lastPrinted >= 5 || elapsed >= total) {
                    out.println(line);
                    lastPrinted = elapsed;
                }
            }

            @Override
            public void done(String phase) {
                if (terminal) {
                    out.println();
                }
                lastPrinted = -1;
            }
        };
    }
}
