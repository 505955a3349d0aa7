package org.gridlink.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The kernel memory monitor's bursts of work while a load runs, as a thread polling kdamond's CPU every {@link #POLL}
 * sees them, written to {@code kdamond.csv} ({@code start,end,cpu_ms}, wall clock), and how many of the load's slow
 * requests were due around them.
 * <p>
 * On the AMD EPYC the benchmark ran on from 2026-12-03, DAMON samples the machine's memory every 500 ms. Under the
 * platform's load each sample took its kdamond thread a median of 23.1 ms of CPU over 49 ms, one every 573 ms, and 40 of
 * the 45 bursts of slow requests in the queue page's open loop at 250/s overlapped one (reads-1m-13; 5, 2 and 3 with
 * the bursts' times shifted by +150, +250 and −200 ms). A second's p99 cannot show that, as the monitor runs about twice
 * in every second: only the times of the bursts and of the requests do.
 */
final class MonitorBursts implements AutoCloseable {

    /**
     * How often the monitor's CPU is read: a burst of 49 ms is seen by about five polls. At every 5 ms the poll took
     * 19.1 ms of CPU a second in the open loop at 250/s (2026-12-08-only-reads-1m), most of it the thread's wake-ups.
     */
    static final Duration POLL = Duration.ofMillis(10);
    /** A burst has ended when the monitor has taken no CPU for longer than this: two polls that saw it take none. */
    static final Duration GAP = Duration.ofMillis(15);
    /**
     * A request counts as due around a burst from this long before the burst's start: the requests already in flight,
     * or queued in the platform, when the monitor took a core (reads-1m-13: 85% of the slow requests were due from
     * 60 ms before a burst to 30 ms after it).
     */
    static final Duration BEFORE = Duration.ofMillis(60);
    /** … to this long after its end, while what queued meanwhile drains. */
    static final Duration AFTER = Duration.ofMillis(30);
    /** The bursts' times moved by this much give the share a request's time would have by chance. */
    static final Duration SHIFT = Duration.ofMillis(250);

    /** One burst: from the last poll before the monitor ran to the last one that saw it run, and its CPU. */
    record Burst(Instant start, Instant end, long cpuNanos) {

        Duration length() {
            return Duration.between(start, end);
        }
    }

    /** Bursts from successive readings of the monitor's CPU; one reading at a time, in order. */
    static final class Detector {

        private final long gapNanos;
        private Instant last;
        private long lastCpu = -1;
        private Instant start;
        private Instant end;
        private long cpu;

        Detector(Duration gap) {
            this.gapNanos = gap.toNanos();
        }

        /** The monitor's CPU so far read {@code cpuNanos} at {@code at}: the burst that ended before, if one did. */
        Optional<Burst> observe(Instant at, long cpuNanos) {
            Optional<Burst> ended = Optional.empty();
            if (lastCpu >= 0 && cpuNanos > lastCpu) {
                if (start == null) {
                    start = last;
                    cpu = 0;
                }
                end = at;
                cpu += cpuNanos - lastCpu;
            } else if (start != null && Duration.between(end, at).toNanos() > gapNanos) {
                ended = finish();
            }
            last = at;
            lastCpu = cpuNanos;
            return ended;
        }

        /** The burst still open, if one is. */
        Optional<Burst> finish() {
            if (start == null) {
                return Optional.empty();
            }
            Burst burst = new Burst(start, end, cpu);
            start = null;
            return Optional.of(burst);
        }
    }

    /**
     * The slow requests of a measurement beside the bursts: {@code slow} of them due in it, {@code around} of those
     * due from {@link #BEFORE} a burst's start to {@link #AFTER} its end, windows that covered {@code share} of the
     * measurement; {@code aroundByChance} with the bursts' times shifted by {@link #SHIFT}, covering
     * {@code shareByChance}; and the requests due outside the windows (at a fixed rate, {@code requests} times the
     * share of the time outside them), of which {@code slow - around} were slow.
     */
    record Around(int bursts, int slow, int around, double share, int aroundByChance, double shareByChance,
                  long requests) {

        double outsideRequests() {
            return requests * (1 - share);
        }

        /** The share of the requests due outside the windows that were slow. */
        double slowOutside() {
            return outsideRequests() <= 0 ? Double.NaN : (slow - around) / outsideRequests();
        }

        String describe(Duration over) {
            if (bursts == 0) {
                return "the monitor had no burst of work in the measurement";
            }
            return String.format(Locale.ROOT, "%d of the %d requests over %d ms (%s) were due from %d ms before one of"
                            + " its bursts to %d ms after it, windows covering %s of the measurement (with the bursts'"
                            + " times shifted by %d ms, by chance: %d, %s of the time); of the requests due outside"
                            + " them (about %d, at the loop's fixed rate), %s took over %d ms", around, slow,
                    over.toMillis(), percent(slow == 0 ? Double.NaN : (double) around / slow), BEFORE.toMillis(),
                    AFTER.toMillis(), percent(share), SHIFT.toMillis(), aroundByChance, percent(shareByChance),
                    Math.round(outsideRequests()), percent(slowOutside()), over.toMillis());
        }
    }

    private final LongSupplier cpu;
    private final AutoCloseable source;
    private final Writer out;
    private final Detector detector = new Detector(GAP);
    private final List<Burst> bursts = new ArrayList<>();
    private final Thread poller;
    private volatile boolean running = true;
    private volatile long pollerCpuNanos;

    /**
     * Polls {@code cpu} (a thread's CPU so far in ns, or -1 once it cannot tell) from now until {@link #close()},
     * which closes {@code source} too.
     */
    MonitorBursts(LongSupplier cpu, AutoCloseable source, Path file) throws IOException {
        this.cpu = cpu;
        this.source = source;
        Files.createDirectories(file.toAbsolutePath().getParent());
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        out.write("start,end,cpu_ms\n");
        out.flush();
        poller = new Thread(this::poll, "kdamond-bursts");
        poller.setDaemon(true);
        poller.start();
    }

    /**
     * Polls the monitor's first kdamond thread from now until {@link #close()}, writing its bursts to {@code file};
     * empty (and no file) where the machine runs none.
     */
    static Optional<MonitorBursts> start(Path file) {
        List<Path> threads = KernelMemoryMonitor.threads(Path.of("/proc"));
        if (threads.isEmpty()) {
            return Optional.empty();
        }
        try {
            Schedstat schedstat = new Schedstat(threads.get(0).resolve("schedstat"));
            return Optional.of(new MonitorBursts(schedstat, schedstat, file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void poll() {
        long poll = POLL.toNanos();
        while (running) {
            LockSupport.parkNanos(poll);
            long now = cpu.getAsLong();
            if (now < 0) {
                break; // the monitor's thread is gone
            }
            detector.observe(Instant.now(), now).ifPresent(this::add);
        }
        pollerCpuNanos = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    /**
     * A thread's time on a core so far, in ns, from the first field of its {@code /proc/<pid>/schedstat}; -1 once it
     * cannot be read. The file stays open and is read from its start each time, a quarter of the CPU of opening it
     * each time (2 against 7–9 µs here).
     */
    static final class Schedstat implements LongSupplier, AutoCloseable {

        private final FileChannel file;
        private final ByteBuffer buffer = ByteBuffer.allocate(128);

        Schedstat(Path schedstat) throws IOException {
            file = FileChannel.open(schedstat);
        }

        @Override
        public long getAsLong() {
            try {
                buffer.clear();
                int n = file.read(buffer, 0);
                long value = 0;
                for (int i = 0; i < n && buffer.get(i) >= '0' && buffer.get(i) <= '9'; i++) {
                    value = value * 10 + (buffer.get(i) - '0');
                }
                return n > 0 ? value : -1;
            } catch (IOException | RuntimeException gone) {
                return -1;
            }
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }

    private synchronized void add(Burst burst) {
        bursts.add(burst);
        try {
            out.write(line(burst));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String line(Burst burst) {
        return String.format(Locale.ROOT, "%s,%s,%.3f%n", burst.start(), burst.end(), burst.cpuNanos() / 1e6);
    }

    /** The bursts that began from {@code from} to before {@code to}. */
    synchronized List<Burst> bursts(Instant from, Instant to) {
        return within(bursts, from, to);
    }

    /** All the bursts so far. */
    synchronized List<Burst> bursts() {
        return List.copyOf(bursts);
    }

    /** The poller's own CPU, once {@link #close()}d. */
    Duration pollerCpu() {
        return Duration.ofNanos(pollerCpuNanos);
    }

    static List<Burst> within(List<Burst> bursts, Instant from, Instant to) {
        return bursts.stream().filter(b -> !b.start().isBefore(from) && b.start().isBefore(to)).toList();
    }

    /**
     * "80 bursts, one every 573 ms, each 23.1 ms of CPU over 49.0 ms (medians; at most 35.5 ms of CPU)" of the bursts
     * that began from {@code from} to before {@code to}.
     */
    static String describe(List<Burst> all, Instant from, Instant to) {
        List<Burst> in = within(all, from, to);
        if (in.isEmpty()) {
            return "no burst";
        }
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < in.size(); i++) {
            gaps.add(Duration.between(in.get(i - 1).start(), in.get(i).start()).toNanos());
        }
        return String.format(Locale.ROOT, "%d bursts%s, each %.1f ms of CPU over %.1f ms (medians; at most %.1f ms of"
                        + " CPU)", in.size(), gaps.isEmpty() ? "" : String.format(Locale.ROOT, ", one every %.0f ms",
                        median(gaps) / 1e6), median(in.stream().map(Burst::cpuNanos).toList()) / 1e6,
                median(in.stream().map(b -> b.length().toNanos()).toList()) / 1e6,
                in.stream().mapToLong(Burst::cpuNanos).max().orElse(0) / 1e6);
    }

    /**
     * Lines up the {@code slowDue} times (the slow requests' due times) of a measurement from {@code from} to
     * {@code to} that held {@code requests} requests at a fixed rate with the bursts.
     */
    static Around around(List<Burst> bursts, List<Instant> slowDue, Instant from, Instant to, long requests) {
        List<Instant> slow = slowDue.stream().filter(t -> !t.isBefore(from) && t.isBefore(to)).toList();
        List<Instant[]> windows = windows(bursts, Duration.ZERO, from, to);
        List<Instant[]> chance = windows(bursts, SHIFT, from, to);
        long total = Duration.between(from, to).toNanos();
        return new Around(within(bursts, from, to).size(), slow.size(), count(slow, windows),
                total <= 0 ? Double.NaN : (double) covered(windows) / total, count(slow, chance),
                total <= 0 ? Double.NaN : (double) covered(chance) / total, requests);
    }

    /** Each burst's window moved by {@code shift}, clipped to the measurement, overlapping ones merged, in order. */
    static List<Instant[]> windows(List<Burst> bursts, Duration shift, Instant from, Instant to) {
        List<Instant[]> raw = bursts.stream()
                .map(b -> new Instant[] {max(from, b.start().plus(shift).minus(BEFORE)),
                        min(to, b.end().plus(shift).plus(AFTER))})
                .filter(w -> w[0].isBefore(w[1]))
                .sorted(Comparator.comparing(w -> w[0]))
                .toList();
        List<Instant[]> merged = new ArrayList<>();
        for (Instant[] w : raw) {
            Instant[] tail = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (tail != null && !w[0].isAfter(tail[1])) {
                tail[1] = max(tail[1], w[1]);
            } else {
                merged.add(new Instant[] {w[0], w[1]});
            }
        }
        return merged;
    }

    private static int count(List<Instant> times, List<Instant[]> windows) {
        return (int) times.stream()
                .filter(t -> windows.stream().anyMatch(w -> !t.isBefore(w[0]) && t.isBefore(w[1])))
                .count();
    }

    private static long covered(List<Instant[]> windows) {
        return windows.stream().mapToLong(w -> Duration.between(w[0], w[1]).toNanos()).sum();
    }

    private static double median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    static String percent(double share) {
        return Double.isNaN(share) ? "n/a" : String.format(Locale.ROOT, share < 0.1 ? "%.2f%%" : "%.1f%%",
                share * 100);
    }

    /** {@link #close()}, with a failure to write the file's end only said. */
    void closeQuietly() {
        try {
            close();
        } catch (IOException e) {
            BenchPlatform.say("kdamond.csv could not be closed: " + e);
        }
    }

    /** Stops the poller; the burst still open, if any, is written too. */
    @Override
    public void close() throws IOException {
        running = false;
        try {
            poller.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        detector.finish().ifPresent(this::add);
        try {
            source.close();
        } catch (Exception e) {
            BenchPlatform.say("kdamond's schedstat could not be closed: " + e);
        }
        synchronized (this) {
            out.close();
        }
    }
}
