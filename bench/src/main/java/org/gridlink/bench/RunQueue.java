package org.gridlink.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * How long processes' threads waited for a core: the second field of Linux's {@code /proc/<pid>/task/<tid>/schedstat}
 * (nanoseconds spent runnable on a run queue, not running), summed over every thread. On two cores shared by six JVMs,
 * PostgreSQL and Kafka, a request crosses many threads (the driver's, the gateway's, the node's HTTP and database
 * event loops, a backend), and each may wait for a core before it runs: in issue 8's intake at half the maximum, the
 * community node's HTTP and database threads waited longer than they ran (2026-12-04-only-intake-10).
 */
final class RunQueue {

    private RunQueue() {
    }

    /** The threads of {@code processes} together; empty where Linux does not say (no {@code /proc}, no schedstat). */
    static Optional<Long> waitNanos(List<ProcessHandle> processes) {
        long sum = 0;
        boolean any = false;
        for (ProcessHandle p : processes) {
            Optional<Long> waited = waitNanos(Path.of("/proc", Long.toString(p.pid()), "task"));
            if (waited.isPresent()) {
                sum += waited.get();
                any = true;
            }
        }
        return any || processes.isEmpty() ? Optional.of(sum) : Optional.empty();
    }

    /** The threads under {@code tasks} (a {@code /proc/<pid>/task} directory); empty if it cannot be read. */
    static Optional<Long> waitNanos(Path tasks) {
        if (!Files.isDirectory(tasks)) {
            return Optional.empty();
        }
        long sum = 0;
        try (Stream<Path> threads = Files.list(tasks)) {
            for (Path thread : (Iterable<Path>) threads::iterator) {
                try {
                    sum += parse(Files.readString(thread.resolve("schedstat")));
                } catch (IOException ended) {
                    // the thread ended since the directory was listed: its wait is gone with it
                } catch (RuntimeException unreadable) {
                    return Optional.empty();
                }
            }
        } catch (IOException | UncheckedIOException gone) {
            return Optional.empty(); // the process ended meanwhile
        }
        return Optional.of(sum);
    }

    /** The wait of one {@code schedstat} line: "running-ns waiting-ns timeslices". */
    static long parse(String schedstat) {
        String[] fields = schedstat.trim().split("\\s+");
        if (fields.length < 2) {
            throw new IllegalArgumentException("not a schedstat line: " + schedstat);
        }
        return Long.parseLong(fields[1]);
    }
}
