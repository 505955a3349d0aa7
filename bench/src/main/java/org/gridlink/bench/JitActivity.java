package org.gridlink.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.gridlink.bench.driver.Formats;

/**
 * How much CPU the platform's JVMs spend compiling: the CPU time of each JVM's JIT compiler threads (HotSpot's
 * {@code C1 CompilerThreadN} and {@code C2 CompilerThreadN}), read from {@code /proc/<pid>/task/<tid>/}.
 *
 * <p>On this 2-core machine six JVMs share the cores, and a JVM's C2 compiler goes on compiling a request path for
 * minutes after it first meets it. A measurement taken meanwhile counts the compiler's CPU as the request's, and its
 * requests wait for cores the compiler holds. {@link Bench} therefore keeps a scenario's load running until the
 * compilers are quiet before it measures, and says how much compiling went on during each measurement.
 */
final class JitActivity {

    /** Linux truncates a thread's name to 15 characters: "C2 CompilerThre". */
    private static final String COMPILER_THREAD = "C2 CompilerThre";
    private static final String C1_COMPILER_THREAD = "C1 CompilerThre";
    /** USER_HZ, the unit of utime and stime in /proc (100 on every Linux this runs on). */
    private static final long NANOS_PER_TICK = 10_000_000L;

    /** Compiler CPU nanoseconds per app at one moment. */
    record Snapshot(Map<String, Long> nanos) {

        /** Compiler CPU since {@code before}, per app present in both, in nanoseconds. */
        Map<String, Long> since(Snapshot before) {
            Map<String, Long> used = new LinkedHashMap<>();
            nanos.forEach((app, n) -> {
                Long then = before.nanos.get(app);
                if (then != null) {
                    used.put(app, n - then);
                }
            });
            return used;
        }

        /** All apps' compiler CPU since {@code before}, as a share of one core over {@code overNanos}. */
        double coreShareSince(Snapshot before, long overNanos) {
            long total = since(before).values().stream().mapToLong(Long::longValue).sum();
            return overNanos <= 0 ? 0 : total / (double) overNanos;
        }

        /** "gateway 12.0%, community 3.1%" of one core over {@code overNanos}, busiest first, none under 0.5%. */
        String describeSince(Snapshot before, long overNanos) {
            String busy = since(before).entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .filter(e -> overNanos > 0 && e.getValue() * 200L >= overNanos)
                    .map(e -> e.getKey() + " " + Formats.number(100.0 * e.getValue() / overNanos) + "%")
                    .collect(Collectors.joining(", "));
            return busy.isEmpty() ? "none over 0.5% of a core" : busy + " of a core";
        }
    }

    private JitActivity() {
    }

    static Snapshot take(Map<String, ProcessHandle> apps) {
        Map<String, Long> nanos = new LinkedHashMap<>();
        apps.forEach((app, p) -> nanos.put(app, compilerNanos(Path.of("/proc", Long.toString(p.pid()), "task"))));
        return new Snapshot(nanos);
    }

    /** The summed CPU time of the compiler threads among {@code tasks} (a {@code /proc/<pid>/task} directory). */
    static long compilerNanos(Path tasks) {
        long ticks = 0;
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
            for (Path thread : threads) {
                try {
                    String name = Files.readString(thread.resolve("comm")).strip();
                    if (name.startsWith(COMPILER_THREAD) || name.startsWith(C1_COMPILER_THREAD)) {
                        ticks += cpuTicks(Files.readString(thread.resolve("stat")));
                    }
                } catch (IOException e) {
                    // the thread ended between listing and reading: HotSpot retires idle compiler threads
                }
            }
        } catch (IOException e) {
            return 0; // the process is gone
        }
        return ticks * NANOS_PER_TICK;
    }

    /**
     * utime + stime of a {@code /proc/.../stat} line, in clock ticks. The fields are counted after the last ')',
     * since the thread's name between the parentheses may hold spaces ("C2 CompilerThre").
     */
    static long cpuTicks(String stat) {
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // after the name: state(3) ppid(4) … utime(14) stime(15); index 0 here is field 3
        return Long.parseLong(after[11]) + Long.parseLong(after[12]);
    }
}
