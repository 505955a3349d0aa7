package org.gridlink.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The kernel's own memory monitor (DAMON), where the machine runs one: its kernel threads ({@code kdamond.N}) and
 * what its schemes do, for the results' Machine section and a line per second in {@code cpu.csv}.
 * <p>
 * The machine the benchmark ran on from 2026-12-03's evening (an AMD EPYC, kernel build {@code 6.18.44-fc-v1252})
 * runs a DAMON scheme that pages out file pages not accessed for a minute, at most 50 ms of a core a second: its
 * kdamond thread took a median of 37 ms of CPU a second during a run, in stretches of up to 19 ms as a thread polling
 * every 5 ms saw them. The same commit (befd953) had the queue page's open loop at p99 11.0 ms on the Intel Xeon before
 * it and 53.5 ms on this one; that the monitor is the cause was not shown (the seconds in which kdamond ran longer were
 * not the slower ones, and this machine's HTTP ceiling is half the Xeon's), but a run's results now say whether it ran
 * and what it took.
 */
final class KernelMemoryMonitor {

    /** The group name of kdamond's CPU in {@link CpuShares} and {@code cpu.csv}. */
    static final String GROUP = "kdamond";

    private static final Path ADMIN = Path.of("/sys/kernel/mm/damon/admin");
    private static final List<Path> THREADS = threads(Path.of("/proc"));

    private KernelMemoryMonitor() {
    }

    /** kdamond's CPU so far, all its threads together; empty where none runs. */
    static Optional<Long> cpuNanos() {
        return cpuNanos(THREADS);
    }

    /**
     * The CPU so far of the processes at {@code threads} ({@code /proc/<pid>}) as {@link ProcessHandle} reads it, which
     * it does for kernel threads too; empty for none. One that has ended counts nothing.
     */
    static Optional<Long> cpuNanos(List<Path> threads) {
        if (threads.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(threads.stream()
                .flatMap(t -> ProcessHandle.of(Long.parseLong(t.getFileName().toString())).stream())
                .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L))
                .sum());
    }

    /** The kernel threads under {@code proc} whose name starts with kdamond. */
    static List<Path> threads(Path proc) {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> entries = Files.list(proc)) {
            entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                try {
                    if (Files.readString(p.resolve("comm")).startsWith("kdamond")) {
                        found.add(p);
                    }
                } catch (IOException | RuntimeException gone) {
                    // a process that ended while the list was read
                }
            });
        } catch (IOException | RuntimeException noProc) {
            return List.of();
        }
        return List.copyOf(found);
    }

    /** What the machine's DAMON does now, in a sentence. */
    static String describe() {
        return describe(ADMIN);
    }

    /**
     * "kdamond 0 on (paddr, sampled every 500 ms; pageout of what was not accessed for 60 s (anon pages refused,
     * …), at most 128 MiB and 50 ms of CPU every 1000 ms)" from DAMON's sysfs tree at {@code admin}; "none" without
     * one.
     */
    static String describe(Path admin) {
        Path kdamonds = admin.resolve("kdamonds");
        int count = number(kdamonds.resolve("nr_kdamonds")).map(Long::intValue).orElse(0);
        if (count == 0) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            Path kd = kdamonds.resolve(String.valueOf(k));
            String state = text(kd.resolve("state")).orElse("?");
            int contexts = number(kd.resolve("contexts/nr_contexts")).map(Long::intValue).orElse(0);
            for (int c = 0; c < contexts; c++) {
                Path ctx = kd.resolve("contexts/" + c);
                String ops = text(ctx.resolve("operations")).orElse("?");
                long sampleUs = number(ctx.resolve("monitoring_attrs/intervals/sample_us")).orElse(0L);
                long aggrUs = number(ctx.resolve("monitoring_attrs/intervals/aggr_us")).orElse(0L);
                int schemes = number(ctx.resolve("schemes/nr_schemes")).map(Long::intValue).orElse(0);
                List<String> described = new ArrayList<>();
                for (int s = 0; s < schemes; s++) {
                    Path scheme = ctx.resolve("schemes/" + s);
                    long minAge = number(scheme.resolve("access_pattern/age/min")).orElse(0L);
                    long bytes = number(scheme.resolve("quotas/bytes")).orElse(0L);
                    long ms = number(scheme.resolve("quotas/ms")).orElse(0L);
                    long every = number(scheme.resolve("quotas/reset_interval_ms")).orElse(0L);
                    List<String> filters = new ArrayList<>();
                    int nrFilters = number(scheme.resolve("ops_filters/nr_filters")).map(Long::intValue).orElse(0);
                    for (int f = 0; f < nrFilters; f++) {
                        Path filter = scheme.resolve("ops_filters/" + f);
                        filters.add(text(filter.resolve("type")).orElse("?") + " pages "
                                + ("Y".equals(text(filter.resolve("allow")).orElse("")) ? "allowed" : "refused"));
                    }
                    described.add(text(scheme.resolve("action")).orElse("?") + " of what was not accessed for "
                            + (minAge * aggrUs / 1_000_000) + " s" + (filters.isEmpty() ? "" : " (" + String.join(
                            ", ", filters) + ")") + ", at most " + (bytes >> 20) + " MiB and " + ms
                            + " ms of CPU every " + every + " ms");
                }
                parts.add("kdamond " + k + " " + state + " (" + ops + ", sampled every " + sampleUs / 1000 + " ms"
                        + (described.isEmpty() ? ", no scheme" : "; " + String.join("; ", described)) + ")");
            }
            if (contexts == 0) {
                parts.add("kdamond " + k + " " + state);
            }
        }
        return String.join(", ", parts);
    }

    private static Optional<String> text(Path file) {
        try {
            return Optional.of(Files.readString(file).trim());
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    private static Optional<Long> number(Path file) {
        return text(file).flatMap(t -> {
            try {
                return Optional.of(Long.parseLong(t));
            } catch (NumberFormatException notANumber) {
                return Optional.empty();
            }
        });
    }
}
