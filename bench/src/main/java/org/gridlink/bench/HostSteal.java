package org.gridlink.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.gridlink.bench.driver.MachineTicks;
import org.gridlink.bench.driver.Progress;

/**
 * How much of the machine's CPU the host took (steal, on a virtual machine) during each load phase. A phase run while
 * the host took a third of the cores measures the host's neighbours as much as gridlink: its figures are not
 * comparable with another run's, and the results say so beside them. (On 2026-12-02 the same code's queue page did
 * 1000–1700/s in one hour and 230–650/s the next, with 35–55% steal.)
 */
final class HostSteal implements Progress {

    /** A phase's steal, in percent of the machine, from which the results name it. */
    static final double NOTABLE_PCT = 2.0;

    private final Supplier<Optional<MachineTicks>> machine;
    private final Map<String, long[]> byPhase = new LinkedHashMap<>(); // phase -> {steal ticks, all ticks}
    private Optional<MachineTicks> last;

    HostSteal() {
        this(MachineTicks::read);
    }

    HostSteal(Supplier<Optional<MachineTicks>> machine) {
        this.machine = machine;
        this.last = machine.get();
    }

    @Override
    public synchronized void update(String phase, double elapsedSeconds, double totalSeconds, Histogram interval,
                                    long intervalErrors, double intervalSeconds) {
        Optional<MachineTicks> now = machine.get();
        if (now.isPresent() && last.isPresent() && now.get().total() > last.get().total()) {
            long[] sums = byPhase.computeIfAbsent(phase, p -> new long[2]);
            sums[0] += now.get().steal() - last.get().steal();
            sums[1] += now.get().total() - last.get().total();
        }
        last = now;
    }

    /** The host's share of the machine in each phase, in percent, in the order the phases ran. */
    synchronized Map<String, Double> shares() {
        Map<String, Double> shares = new LinkedHashMap<>();
        byPhase.forEach((phase, sums) -> shares.put(phase, 100.0 * sums[0] / sums[1]));
        return shares;
    }

    /** The phases in which the host took at least {@link #NOTABLE_PCT}, said for the results; empty when none did. */
    Optional<String> note() {
        List<String> notable = new ArrayList<>();
        double worst = 0;
        for (Map.Entry<String, Double> e : shares().entrySet()) {
            if (e.getValue() >= NOTABLE_PCT) {
                notable.add(String.format(Locale.ROOT, "%s %.1f%%", e.getKey(), e.getValue()));
                worst = Math.max(worst, e.getValue());
            }
        }
        if (notable.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "the host took up to %.0f%% of this machine's CPU (steal, "
                + "from /proc/stat) while these phases ran, so their figures are not comparable with a run in which "
                + "it took none: %s", worst, String.join("; ", notable)));
    }
}
