package org.gridlink.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Locale;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Each second, how fast one of the machine's cores ran a fixed piece of work then, to a CSV beside {@code cpu.csv}
 * ({@code time,sha256_mb_per_cpu_s,cpu_us,wall_us}): a thread of the driver hashes {@link #WORK} bytes with SHA-256 (a
 * 16 KiB block, which stays in the core's cache) and times it by its own CPU time. The time it waited for a core is not
 * in that, so the platform's load does not slow the figure; what does is the core itself running slower: the host
 * lowering its clock, another machine's thread on the same physical core, or steal the guest does not see. A second
 * that stalls in {@code progress.csv} while every process used more CPU for less work can then be told apart: the same
 * hashing at a lower rate in that second says it was the host's, at the usual rate says it was the platform's work. It
 * costs about a millisecond of a core a second (1.6 MB at 1.5 GB/s).
 */
final class CoreSpeedSeconds implements AutoCloseable {

    /** The bytes hashed each second: 100 passes over a 16 KiB block. */
    static final int BLOCK = 16 * 1024;
    static final int PASSES = 100;
    static final long WORK = (long) BLOCK * PASSES;

    private final Writer out;
    private final LongSupplier cpuNanos;
    private final MessageDigest sha = MachineSpeed.sha256();
    private final byte[] block = new byte[BLOCK];
    /** Each second's rate, MB a CPU second, by when it was taken. */
    private final NavigableMap<Instant, Double> rates = new TreeMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "core-speed");
        t.setDaemon(true);
        return t;
    });

    CoreSpeedSeconds(Path file) throws IOException {
        this(file, threadCpuNanos());
    }

    CoreSpeedSeconds(Path file, LongSupplier cpuNanos) throws IOException {
        this.cpuNanos = cpuNanos;
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) (i * 31 + 7);
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        out.write("time,sha256_mb_per_cpu_s,cpu_us,wall_us\n");
        out.flush();
        // the JIT compiles the hashing (SHA-256's intrinsic) before the first line: 300 ms of one core
        timer.execute(this::warmUp);
        timer.scheduleAtFixedRate(this::sample, 1, 1, TimeUnit.SECONDS);
    }

    /** One second's line: hashes {@link #WORK} bytes, timed by this thread's CPU and by the wall clock. */
    synchronized void sample() {
        long wall = System.nanoTime();
        long cpu = cpuNanos.getAsLong();
        hash();
        cpu = cpuNanos.getAsLong() - cpu;
        wall = System.nanoTime() - wall;
        Instant at = Instant.now();
        if (cpu > 0) {
            rates.put(at, WORK / 1e6 / (cpu / 1e9));
        }
        try {
            out.write(line(at, cpu, wall));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The rates of the seconds taken from {@code from} to {@code to}: their median and the slowest against it, e.g.
     * "SHA-256 1598 MB a CPU second in the median of 31 seconds, 1102 in the slowest (0.69×)".
     */
    synchronized String describe(Instant from, Instant to) {
        return describe(rates.subMap(from, true, to, true).values().stream().mapToDouble(Double::doubleValue).sorted()
                .toArray());
    }

    static String describe(double[] sorted) {
        if (sorted.length == 0) {
            return "no second measured";
        }
        double median = sorted[sorted.length / 2];
        return String.format(Locale.ROOT, "SHA-256 %.0f MB a CPU second in the median of %d seconds, %.0f in the "
                + "slowest (%.2f×)", median, sorted.length, sorted[0], sorted[0] / median);
    }

    static String line(Instant at, long cpuNanos, long wallNanos) {
        return String.format(Locale.ROOT, "%s,%.0f,%d,%d%n", at, cpuNanos <= 0 ? Double.NaN
                : WORK / 1e6 / (cpuNanos / 1e9), cpuNanos / 1000, wallNanos / 1000);
    }

    private synchronized void warmUp() {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
        while (System.nanoTime() < end) {
            hash();
        }
    }

    /** Each digest feeds the next pass's first bytes, so that no pass can be left out. */
    private void hash() {
        for (int i = 0; i < PASSES; i++) {
            sha.update(block);
            System.arraycopy(sha.digest(), 0, block, 0, 32);
        }
    }

    private static LongSupplier threadCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (!threads.isCurrentThreadCpuTimeSupported()) {
            throw new IllegalStateException("this JVM cannot tell a thread's CPU time");
        }
        return threads::getCurrentThreadCpuTime;
    }

    @Override
    public void close() throws IOException {
        timer.shutdownNow();
        synchronized (this) {
            out.close();
        }
    }
}
