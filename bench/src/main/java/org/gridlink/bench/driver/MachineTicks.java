package org.gridlink.bench.driver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The whole machine's CPU time from {@code /proc/stat}, to say what a second of load ran on: how busy the cores were,
 * how much of it was waiting on the disk or taken by the host (steal, on a virtual machine), and how many threads were
 * ready to run at its end. Without {@code /proc/stat} (not Linux) there is nothing to say. {@code busy} is all but
 * idle, iowait and steal.
 */
public record MachineTicks(long busy, long iowait, long steal, long total, int runnable) {

    static final Path PROC_STAT = Path.of("/proc/stat");

    public static Optional<MachineTicks> read() {
        try {
            return Optional.of(parse(Files.readAllLines(PROC_STAT)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The aggregate {@code cpu} line (user nice system idle iowait irq softirq steal ...) and {@code procs_running}. */
    public static MachineTicks parse(List<String> procStat) {
        long[] t = null;
        int runnable = -1;
        for (String line : procStat) {
            String[] f = line.trim().split("\\s+");
            if (f[0].equals("cpu")) {
                t = new long[8];
                for (int i = 0; i < 8 && i + 1 < f.length; i++) {
                    t[i] = Long.parseLong(f[i + 1]);
                }
            } else if (f[0].equals("procs_running")) {
                runnable = Integer.parseInt(f[1]);
            }
        }
        if (t == null) {
            throw new IllegalArgumentException("no aggregate cpu line in /proc/stat");
        }
        long idle = t[3];
        long iowait = t[4];
        long steal = t[7];
        long total = 0;
        for (long v : t) {
            total += v;
        }
        return new MachineTicks(total - idle - iowait - steal, iowait, steal, total, runnable);
    }

    /** The host's share of the machine (steal) since {@code before}, in percent; empty when no time passed. */
    public Optional<Double> stealPctSince(MachineTicks before) {
        long dt = total - before.total;
        return dt <= 0 ? Optional.empty() : Optional.of(100.0 * (steal - before.steal) / dt);
    }

    /** {@code busy%,iowait%,steal%,runnable} over the time since {@code before}, for a line of CSV. */
    String csvSince(MachineTicks before) {
        long dt = total - before.total;
        if (dt <= 0) {
            return ",,," + runnable;
        }
        return String.format(Locale.ROOT, "%.1f,%.1f,%.1f,%d", 100.0 * (busy - before.busy) / dt,
                100.0 * (iowait - before.iowait) / dt, 100.0 * (steal - before.steal) / dt, runnable);
    }
}
