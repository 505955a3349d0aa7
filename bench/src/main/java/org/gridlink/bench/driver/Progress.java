package org.gridlink.bench.driver;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/** Where a running phase reports itself about once a second. */
public interface Progress {

    /**
     * @param interval the latencies (µs) of the requests that finished since the last call, over {@code intervalSeconds}
     */
    void update(String phase, double elapsedSeconds, double totalSeconds, Histogram interval, long intervalErrors,
                double intervalSeconds);

    /**
     * As {@link #update(String, double, double, Histogram, long, double)}, with {@code measured}: those of the
     * second's requests that count in the phase's figures (sent inside its measured window; a warm-up's do not). The
     * load driver calls this one; by default it is the other.
     */
    default void update(String phase, double elapsedSeconds, double totalSeconds, Histogram interval,
                        Histogram measured, long intervalErrors, double intervalSeconds) {
        update(phase, elapsedSeconds, totalSeconds, interval, intervalErrors, intervalSeconds);
    }

    /**
     * As {@link #update(String, double, double, Histogram, Histogram, long, double)}, with {@code sendLag}: how late
     * (µs) the second's requests left after their intended times in an open loop (null in a closed loop, which has no
     * intended times). The load driver calls this one; by default it is the other.
     */
    default void update(String phase, double elapsedSeconds, double totalSeconds, Histogram interval,
                        Histogram measured, Histogram sendLag, long intervalErrors, double intervalSeconds) {
        update(phase, elapsedSeconds, totalSeconds, interval, measured, intervalErrors, intervalSeconds);
    }

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

    /**
     * Every second of every phase as a line of CSV in {@code file} (wall-clock time, phase, seconds since its start,
     * requests finished, p50, p99 and max in ms, errors; then the machine over that second: its cores' busy, iowait
     * and steal shares in percent, and the threads ready to run at its end; last, in an open loop, the p99 and max of
     * how late the second's requests left after their intended times, in ms: a slow second whose requests left late
     * was slowed by the driver, not the platform), to line a stall up with the apps' GC logs, PostgreSQL's log and
     * metrics: the terminal's line shows one second in five. The file stays open for the benchmark's life, flushed
     * line by line.
     */
    static Progress csv(Path file) {
        return csv(file, MachineTicks::read);
    }

    static Progress csv(Path file, Supplier<Optional<MachineTicks>> machine) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            out.write("time,phase,elapsed_s,finished,p50_ms,p99_ms,max_ms,errors,busy_pct,iowait_pct,steal_pct,runnable,"
                    + "send_lag_p99_ms,send_lag_max_ms\n");
            out.flush();
            return new Progress() {
                private Optional<MachineTicks> last = machine.get();

                @Override
                public void update(String phase, double elapsed, double total, Histogram interval, long errors,
                                   double seconds) {
                    update(phase, elapsed, total, interval, null, null, errors, seconds);
                }

                @Override
                public synchronized void update(String phase, double elapsed, double total, Histogram interval,
                                                Histogram measured, Histogram sendLag, long errors, double seconds) {
                    long n = interval.getTotalCount();
                    Optional<MachineTicks> now = machine.get();
                    String cores = now.isPresent() && last.isPresent() ? now.get().csvSince(last.get()) : ",,,";
                    last = now;
                    String lag = sendLag == null ? "," : sendLag.getTotalCount() == 0 ? "0.00,0.00"
                            : String.format(Locale.ROOT, "%.2f,%.2f", sendLag.getValueAtPercentile(99) / 1000.0,
                                    sendLag.getMaxValue() / 1000.0);
                    try {
                        out.write(String.format(Locale.ROOT, "%s,%s,%.1f,%d,%.2f,%.2f,%.2f,%d,%s,%s%n", Instant.now(),
                                phase.replace(',', ';'), elapsed, n,
                                n == 0 ? 0 : interval.getValueAtPercentile(50) / 1000.0,
                                n == 0 ? 0 : interval.getValueAtPercentile(99) / 1000.0,
                                n == 0 ? 0 : interval.getMaxValue() / 1000.0, errors, cores, lag));
                        out.flush();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Both, in turn. */
    static Progress both(Progress first, Progress second) {
        return new Progress() {
            @Override
            public void update(String phase, double elapsed, double total, Histogram interval, long errors,
                               double seconds) {
                first.update(phase, elapsed, total, interval, errors, seconds);
                second.update(phase, elapsed, total, interval, errors, seconds);
            }

            @Override
            public void update(String phase, double elapsed, double total, Histogram interval, Histogram measured,
                               long errors, double seconds) {
                first.update(phase, elapsed, total, interval, measured, errors, seconds);
                second.update(phase, elapsed, total, interval, measured, errors, seconds);
            }

            @Override
            public void update(String phase, double elapsed, double total, Histogram interval, Histogram measured,
                               Histogram sendLag, long errors, double seconds) {
                first.update(phase, elapsed, total, interval, measured, sendLag, errors, seconds);
                second.update(phase, elapsed, total, interval, measured, sendLag, errors, seconds);
            }

            @Override
            public void done(String phase) {
                first.done(phase);
                second.done(phase);
            }
        };
    }
}
