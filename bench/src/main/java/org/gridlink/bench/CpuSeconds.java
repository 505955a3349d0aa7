package org.gridlink.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Each second, each of the platform's process groups' CPU over the second before ({@link CpuShares}: every app,
 * PostgreSQL with its backends, Kafka, the driver, the kernel's memory monitor where it runs) as a share of the
 * machine, to a CSV beside {@code progress.csv}
 * ({@code time,process,share_pct,wait_pct}, a line per group): a second that stalls in {@code progress.csv} can then be
 * told apart by where the machine's CPU went in it, and by how long each group's threads waited for a core in it
 * ({@code wait_pct}, in percent of the second: 100 is one of its threads waiting all the time, {@link RunQueue}; empty
 * where Linux does not say). A group missing from either end of a second (an app restarted or not yet started) or whose
 * CPU went back (a new process under the same name) has no line for it ({@link CpuShares.Snapshot#sharesSince}).
 */
final class CpuSeconds implements AutoCloseable {

    private final Supplier<CpuShares.Snapshot> take;
    private final int cores;
    private final Writer out;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cpu-seconds");
        t.setDaemon(true);
        return t;
    });
    private CpuShares.Snapshot last;
    private long lastNanos;

    CpuSeconds(Path file, Supplier<CpuShares.Snapshot> take, int cores) throws IOException {
        this.take = take;
        this.cores = cores;
        Files.createDirectories(file.toAbsolutePath().getParent());
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        out.write("time,process,share_pct,wait_pct\n");
        out.flush();
        last = take.get();
        lastNanos = System.nanoTime();
        timer.scheduleAtFixedRate(this::sample, 1, 1, TimeUnit.SECONDS);
    }

    private synchronized void sample() {
        try {
            CpuShares.Snapshot now = take.get();
            long nanos = System.nanoTime();
            for (String line : lines(last, now, nanos - lastNanos, cores, Instant.now())) {
                out.write(line);
            }
            out.flush();
            last = now;
            lastNanos = nanos;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            // a process that went away while it was read: the next second tries again
        }
    }

    /** The lines for the {@code elapsedNanos} between two snapshots, as shares of {@code cores} cores. */
    static List<String> lines(CpuShares.Snapshot before, CpuShares.Snapshot after, long elapsedNanos, int cores,
                              Instant at) {
        List<String> lines = new ArrayList<>();
        Map<String, Double> waits = after.waitsSince(before, elapsedNanos);
        after.sharesSince(before, elapsedNanos, cores).forEach((process, share) -> {
            Double wait = waits.get(process);
            lines.add(String.format(Locale.ROOT, "%s,%s,%.1f,%s%n", at, process, share,
                    wait == null ? "" : String.format(Locale.ROOT, "%.1f", wait)));
        });
        return lines;
    }

    @Override
    public void close() throws IOException {
        timer.shutdownNow();
        synchronized (this) {
            out.close();
        }
    }
}
