package org.gridlink.bench.driver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Where the load driver writes each request that took longer than a bound, one by one: a second's p99 in
 * {@code progress.csv} says that a second had slow requests, not when in it they were due, and a tail made of moments
 * (a GC pause, a thread of the driver's own that takes a core, a timer in one of the apps) shows only in the times of
 * the requests themselves, to be lined up with the GC logs' and {@code cpu.csv}'s wall-clock times.
 */
public interface SlowRequests {

    /** How long a request must take to be written. */
    Duration over();

    /**
     * A request of {@code phase}, due (open loop) or sent (closed loop) at {@code startNanos} on the driver's clock,
     * took {@code micros}; {@code measured} when it counts in the phase's figures (a warm-up's do not).
     */
    void request(String phase, long startNanos, long micros, boolean ok, boolean measured);

    /** Writes out what is buffered (a phase ended). */
    default void flush() {
    }

    /** Writes none. */
    SlowRequests NONE = new SlowRequests() {
        @Override
        public Duration over() {
            return Duration.ofNanos(Long.MAX_VALUE);
        }

        @Override
        public void request(String phase, long startNanos, long micros, boolean ok, boolean measured) {
        }
    };

    /**
     * Each request over {@code over} as a line of CSV in {@code file}: when it was due or sent (wall clock, to the
     * microsecond, from {@link System#nanoTime()} by an offset taken now), the phase, how long it took in ms, whether
     * it succeeded and whether it was measured. Buffered, and written out at each phase's end.
     */
    static SlowRequests csv(Path file, Duration over) {
        Instant wall = Instant.now();
        long nanos = System.nanoTime();
        return csv(file, over, wall, nanos);
    }

    /**
     * The times of {@code phase}'s measured requests in a file {@link #csv} wrote, in the order written; none where
     * there is no file.
     */
    static List<Instant> measured(Path file, String phase) {
        if (!Files.exists(file)) {
            return List.of();
        }
        String name = phase.replace(',', ';');
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.skip(1).map(line -> line.split(",")).filter(f -> f.length == 5 && f[1].equals(name)
                    && Boolean.parseBoolean(f[4])).map(f -> Instant.parse(f[0])).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** As {@link #csv(Path, Duration)}, the driver's clock reading {@code atNanos} at {@code at}. */
    static SlowRequests csv(Path file, Duration over, Instant at, long atNanos) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            out.write("time,phase,latency_ms,ok,measured\n");
            out.flush();
            return new SlowRequests() {
                @Override
                public Duration over() {
                    return over;
                }

                @Override
                public synchronized void request(String phase, long startNanos, long micros, boolean ok,
                                                 boolean measured) {
                    try {
                        out.write(String.format(Locale.ROOT, "%s,%s,%.3f,%b,%b%n",
                                at.plusNanos(startNanos - atNanos).truncatedTo(ChronoUnit.MICROS),
                                phase.replace(',', ';'), micros / 1000.0, ok, measured));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }

                @Override
                public synchronized void flush() {
                    try {
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
}
