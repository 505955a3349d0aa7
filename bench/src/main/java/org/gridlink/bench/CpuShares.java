package org.gridlink.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.gridlink.bench.driver.Formats;
import org.gridlink.bench.driver.MachineTicks;

/**
 * Where the machine's CPU went during a measurement: each of the platform's processes' CPU time (user + system, from
 * {@link ProcessHandle}) and the machine's busy time ({@code /proc/stat}), as the difference of two snapshots, in
 * shares of the machine (all cores). PostgreSQL is its server process and every backend (a backend that exited in
 * between is missing); the driver is the benchmark's own JVM; kdamond the kernel's memory monitor, where the machine
 * runs one ({@link KernelMemoryMonitor}).
 */
final class CpuShares {

    /** Groups of many processes, their CPU summed. */
    private static final Set<String> SUMMED = Set.of("postgres", "kafka");

    /** Groups measured beside the platform's and never counted as its CPU. */
    static final Set<String> NOT_THE_PLATFORM = Set.of("driver", KernelMemoryMonitor.GROUP);

    /**
     * CPU nanoseconds per process group, and the machine's busy and total jiffies; and per group, where Linux says
     * ({@code /proc/<pid>/task/<tid>/schedstat}), the nanoseconds its threads spent ready to run but waiting for a core.
     */
    record Snapshot(Map<String, Long> nanos, long machineBusy, long machineTotal, Map<String, Long> waitNanos) {

        Snapshot(Map<String, Long> nanos, long machineBusy, long machineTotal) {
            this(nanos, machineBusy, machineTotal, Map.of());
        }

        /**
         * Each process group's threads' time waiting for a core between {@code before} and this, {@code elapsedNanos}
         * apart, in percent of that time (100: on average one of its threads waiting all the time); a group without
         * the figure at either end, or whose figure went back (a new process under the same name), is left out.
         */
        Map<String, Double> waitsSince(Snapshot before, long elapsedNanos) {
            return percentSince(waitNanos, before.waitNanos, elapsedNanos);
        }

        /**
         * "community 52.3%, gateway 21.0%, …": each group's threads' waiting for a core between {@code before} and
         * this, {@code elapsedNanos} apart ({@link #waitsSince}); "n/a" where neither snapshot has the figures.
         */
        String describeWaitsSince(Snapshot before, long elapsedNanos) {
            Map<String, Double> waits = waitsSince(before, elapsedNanos);
            return waits.isEmpty() ? "n/a" : waits.entrySet().stream()
                    .map(e -> e.getKey() + " " + Formats.number(e.getValue()) + "%")
                    .collect(Collectors.joining(", "));
        }

        /** "community 21.4%, gateway 12.0%, …, machine 93.1% busy" of the time between {@code before} and this. */
        String describeSince(Snapshot before, Duration over, int cores) {
            String parts = sharesSince(before, over.toNanos(), cores).entrySet().stream()
                    .map(e -> e.getKey() + " " + Formats.number(e.getValue()) + "%")
                    .collect(Collectors.joining(", "));
            long total = machineTotal - before.machineTotal;
            String machine = total <= 0 ? "" : ", machine " + Formats.number(100.0 * (machineBusy - before.machineBusy)
                    / total) + "% busy";
            return parts + machine;
        }

        /**
         * Each process group's CPU between {@code before} and this, {@code elapsedNanos} apart, in percent of
         * {@code cores} cores, in this snapshot's order; a group missing before, or whose CPU went back (a new process
         * under the same name), is left out.
         */
        Map<String, Double> sharesSince(Snapshot before, long elapsedNanos, int cores) {
            return percentSince(nanos, before.nanos, (double) elapsedNanos * cores);
        }

        /**
         * Each group's nanoseconds between {@code was} and {@code now} in percent of {@code capacity}, in {@code now}'s
         * order; a group missing from {@code was}, or whose figure went back (a new process under the same name), is
         * left out.
         */
        private static Map<String, Double> percentSince(Map<String, Long> now, Map<String, Long> was, double capacity) {
            Map<String, Double> percent = new LinkedHashMap<>();
            now.forEach((name, n) -> {
                Long before = was.get(name);
                if (before != null && n >= before && capacity > 0) {
                    percent.put(name, 100.0 * (n - before) / capacity);
                }
            });
            return percent;
        }

        /**
         * "412 ms (community 98.0 ms, township 105 ms, …)": the platform's CPU time between {@code before} and this per
         * one of {@code items} (the driver's own left out), in all and per process group.
         */
        String perItemSince(Snapshot before, long items) {
            return perItem(spentSince(before), items);
        }

        /**
         * Each process group's CPU nanoseconds between {@code before} and this (the driver's own and the kernel's
         * memory monitor's left out: neither is the platform's).
         */
        Map<String, Long> spentSince(Snapshot before) {
            Map<String, Long> spent = new LinkedHashMap<>();
            nanos.forEach((name, n) -> {
                if (!NOT_THE_PLATFORM.contains(name) && before.nanos.containsKey(name)) {
                    spent.put(name, n - before.nanos.get(name));
                }
            });
            return spent;
        }
    }

    /** "412 ms (community 98.0 ms, township 105 ms, …)": {@code spent} CPU nanoseconds per one of {@code items}. */
    static String perItem(Map<String, Long> spent, long items) {
        if (items <= 0) {
            return "n/a (none done)";
        }
        return Formats.millis(millisPerItem(spent, items) * 1000) + " (" + spent.entrySet().stream()
                .map(e -> e.getKey() + " " + Formats.millis(e.getValue() / 1000.0 / items))
                .collect(Collectors.joining(", ")) + ")";
    }

    /** {@code spent} CPU nanoseconds, all process groups together, per one of {@code items}, in ms (NaN for none). */
    static double millisPerItem(Map<String, Long> spent, long items) {
        return items <= 0 ? Double.NaN : spent.values().stream().mapToLong(Long::longValue).sum() / 1e6 / items;
    }

    /**
     * The platform's CPU (per process group, the driver's own left out) and the machine's busy and total jiffies
     * gathered over several phases, with the calls they made: "2.84 ms (community 1.00 ms, …), the machine 94.7% busy".
     */
    static final class Tally {
        private final Map<String, Long> spent = new LinkedHashMap<>();
        private long calls;
        private long machineBusy;
        private long machineTotal;

        void add(Snapshot before, Snapshot after, long phaseCalls) {
            after.spentSince(before).forEach((process, nanos) -> spent.merge(process, nanos, Long::sum));
            machineBusy += after.machineBusy - before.machineBusy;
            machineTotal += after.machineTotal - before.machineTotal;
            calls += phaseCalls;
        }

        String perCall() {
            return perItem(spent, calls) + ", the machine "
                    + (machineTotal <= 0 ? "n/a" : Formats.number(100.0 * machineBusy / machineTotal) + "%") + " busy";
        }
    }

    private CpuShares() {
    }

    /** Now, for {@code platform}'s processes: {@link #take(Map, String, List, boolean)} without the waits. */
    static Snapshot take(BenchPlatform platform) {
        return take(platform, false);
    }

    /** As {@link #take(BenchPlatform)}, with each group's threads' waits for a core when {@code waits}. */
    static Snapshot take(BenchPlatform platform, boolean waits) {
        return take(platform.processes(), platform.postgresData(), platform.kafkaProcess(), waits);
    }

    /**
     * Now: {@code apps} by name (the platform's app processes), the PostgreSQL server whose data directory is
     * {@code postgresData} with its backends ({@link #postgres}), {@code kafka}, the driver and kdamond (where it
     * runs); with each group's threads' waits for a core when {@code waits}.
     */
    static Snapshot take(Map<String, ProcessHandle> apps, String postgresData, List<ProcessHandle> kafka,
                         boolean waits) {
        Map<String, List<ProcessHandle>> groups = new LinkedHashMap<>();
        apps.forEach((name, p) -> groups.put(name, List.of(p)));
        groups.put("postgres", postgres(postgresData));
        groups.put("kafka", kafka);
        groups.put("driver", List.of(ProcessHandle.current()));
        Map<String, Long> nanos = new LinkedHashMap<>();
        Map<String, Long> waited = new LinkedHashMap<>();
        groups.forEach((name, processes) -> {
            if (SUMMED.contains(name)) { // all of its processes running now (none: 0)
                nanos.put(name, processes.stream().mapToLong(p -> cpu(p).orElse(0L)).sum());
            } else {
                cpu(processes.get(0)).ifPresent(n -> nanos.put(name, n));
            }
            if (waits) {
                RunQueue.waitNanos(processes).ifPresent(n -> waited.put(name, n));
            }
        });
        KernelMemoryMonitor.cpuNanos().ifPresent(n -> nanos.put(KernelMemoryMonitor.GROUP, n));
        long[] machine = machine();
        return new Snapshot(nanos, machine[0], machine[1], waited);
    }

    /**
     * The PostgreSQL server whose data directory is {@code postgresData} and its backends: the pid in its
     * {@code postmaster.pid} and that process's children as Linux lists them ({@code children} under {@code /proc/<pid>/task/});
     * where either cannot be read, found among all processes by command line, as PostgreSQL's server names its data
     * directory in its arguments (which reads every process's command line: several ms a call on a loaded machine).
     */
    static List<ProcessHandle> postgres(String postgresData) {
        try {
            long pid = Long.parseLong(Files.readAllLines(Path.of(postgresData, "postmaster.pid")).get(0).trim());
            Optional<ProcessHandle> server = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
            Path tasks = Path.of("/proc", Long.toString(pid), "task");
            String[] threads = tasks.toFile().list();
            if (server.isPresent() && threads != null && threads.length > 0
                    && Files.isReadable(tasks.resolve(threads[0]).resolve("children"))) {
                List<ProcessHandle> all = new ArrayList<>(List.of(server.get()));
                for (String thread : threads) { // PostgreSQL's server has one; each lists the children it started
                    for (String child : Files.readString(tasks.resolve(thread).resolve("children")).trim()
                            .split("\\s+")) {
                        if (!child.isEmpty()) {
                            ProcessHandle.of(Long.parseLong(child)).ifPresent(all::add);
                        }
                    }
                }
                return all;
            }
        } catch (IOException | RuntimeException unreadable) {
            // no such file or /proc: look among all processes
        }
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false)
                        && p.info().arguments().map(a -> Arrays.asList(a).contains(postgresData)).orElse(false))
                .flatMap(p -> Stream.concat(Stream.of(p), p.descendants()))
                .toList();
    }

    private static Optional<Long> cpu(ProcessHandle p) {
        return p.info().totalCpuDuration().map(Duration::toNanos);
    }

    /**
     * The machine's busy and total jiffies from the first line of /proc/stat (zeros where it cannot be read); busy is
     * all but idle and iowait, so time the host took (steal) counts as busy here.
     */
    static long[] machine() {
        return MachineTicks.read().map(CpuShares::busyAndTotal).orElse(new long[] {0, 0});
    }

    /** Busy (all but idle and iowait) and total of the {@code cpu} line. */
    static long[] parseProcStat(List<String> lines) {
        try {
            return busyAndTotal(MachineTicks.parse(lines));
        } catch (IllegalArgumentException noCpuLine) {
            return new long[] {0, 0};
        }
    }

    private static long[] busyAndTotal(MachineTicks ticks) {
        return new long[] {ticks.busy() + ticks.steal(), ticks.total()};
    }
}
