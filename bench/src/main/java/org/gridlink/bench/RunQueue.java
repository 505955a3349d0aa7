package org.gridlink.bench;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

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

    /**
     * The threads under {@code tasks} (a {@code /proc/<pid>/task} directory); empty if it cannot be read. Read with
     * plain streams into one small buffer: {@code cpu.csv} reads every thread of the platform's (some 500) each second,
     * and with {@code Files.list}, {@code readString} and a split a read cost about twice as much.
     */
    static Optional<Long> waitNanos(Path tasks) {
        String[] threads = tasks.toFile().list();
        if (threads == null) {
            return Optional.empty(); // no such directory, or the process ended meanwhile
        }
        byte[] line = new byte[128];
        long sum = 0;
        for (String thread : threads) {
            try (FileInputStream in = new FileInputStream(tasks.resolve(thread).resolve("schedstat").toFile())) {
                sum += parse(line, in.read(line));
            } catch (IOException ended) {
                // the thread ended since the directory was listed: its wait is gone with it
            } catch (RuntimeException unreadable) {
                return Optional.empty();
            }
        }
        return Optional.of(sum);
    }

    /** The wait of one {@code schedstat} line: "running-ns waiting-ns timeslices". */
    static long parse(String schedstat) {
        byte[] bytes = schedstat.getBytes(StandardCharsets.US_ASCII);
        return parse(bytes, bytes.length);
    }

    /** The wait of the {@code schedstat} line in the first {@code length} bytes of {@code line}. */
    private static long parse(byte[] line, int length) {
        int i = 0;
        while (i < length && line[i] != ' ') {
            i++; // the time it ran
        }
        i++;
        int from = i;
        long wait = 0;
        while (i < length && line[i] >= '0' && line[i] <= '9') {
            wait = wait * 10 + (line[i++] - '0');
        }
        if (i == from || i > length) {
            throw new IllegalArgumentException("not a schedstat line: "
                    + new String(line, 0, Math.max(length, 0), StandardCharsets.US_ASCII));
        }
        return wait;
    }
}
