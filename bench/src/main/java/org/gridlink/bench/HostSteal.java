package org.gridlink.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.gridlink.bench.driver.Formats;
import org.gridlink.bench.driver.MachineTicks;
import org.gridlink.bench.driver.Measurement;
import org.gridlink.bench.driver.Progress;

/**
 * How much of the machine's CPU the host took (steal, on a virtual machine) during each load phase. A phase run while
 * the host took a third of the cores measures the host's neighbours as much as gridlink: its figures are not
 * comparable with another run's, and the results say so beside them. (On 2026-12-02 the same code's queue page did
 * 1000–1700/s in one hour and 230–650/s the next, with 35–55% steal.)
 * <p>
 * A phase's share can be small while a few of its seconds were not, and those seconds make its tail: on 2026-12-03
 * the queue page's open loop took 8.7% over its minute and 21–39% in seven seconds of it, and its slow stretch was
 * those seconds. So each phase also keeps its worst second, and splits its requests between the seconds in which the
 * host took at least {@link #STOLEN_SECOND_PCT} or the second after one (a stolen second's requests finish late, in the
 * next) and the rest, with the p99 of each: the requests of its measurement, whose p99 its row gives, not its warm-up's.
 */
final class HostSteal implements Progress {

    /** A phase's steal, in percent of the machine, from which the results name it. */
    static final double NOTABLE_PCT = 2.0;

    /** A second in which the host took at least this share of the machine, in percent, is a stolen second. */
    static final double STOLEN_SECOND_PCT = 10.0;

    private final Supplier<Optional<MachineTicks>> machine;
    private final Map<String, Phase> byPhase = new LinkedHashMap<>();
    private Optional<MachineTicks> last;

    /** One phase's seconds: its ticks, its worst second, and its requests by whether the host took their second. */
    private static final class Phase {
        long stealTicks;
        long allTicks;
        double worstSecondPct;
        boolean lastSecondStolen;
        int stolenSeconds;
        int measuredSeconds;
        // growing with what is added, where the driver's own cover ten minutes up front: a run has dozens of phases
        final Histogram stolen = new Histogram(3);
        final Histogram rest = new Histogram(3);

        double sharePct() {
            return 100.0 * stealTicks / allTicks;
        }

        boolean notable() {
            return sharePct() >= NOTABLE_PCT || worstSecondPct >= STOLEN_SECOND_PCT;
        }
    }

    HostSteal() {
        this(MachineTicks::read);
    }

    HostSteal(Supplier<Optional<MachineTicks>> machine) {
        this.machine = machine;
        this.last = machine.get();
    }

    /** A second without its measured requests: the steal is counted, no request is. */
    @Override
    public void update(String phase, double elapsedSeconds, double totalSeconds, Histogram interval,
                       long intervalErrors, double intervalSeconds) {
        update(phase, elapsedSeconds, totalSeconds, interval, Measurement.newHistogram(), intervalErrors,
                intervalSeconds);
    }

    /** A second of a phase: its steal, and its measured requests (a warm-up's are not in the phase's figures). */
    @Override
    public synchronized void update(String phase, double elapsedSeconds, double totalSeconds, Histogram interval,
                                    Histogram measured, long intervalErrors, double intervalSeconds) {
        Optional<MachineTicks> now = machine.get();
        if (now.isPresent() && last.isPresent() && now.get().total() > last.get().total()) {
            Phase p = byPhase.computeIfAbsent(phase, name -> new Phase());
            long steal = now.get().steal() - last.get().steal();
            long all = now.get().total() - last.get().total();
            p.stealTicks += steal;
            p.allTicks += all;
            double pct = 100.0 * steal / all;
            p.worstSecondPct = Math.max(p.worstSecondPct, pct);
            boolean stolen = pct >= STOLEN_SECOND_PCT;
            if (measured.getTotalCount() > 0) { // the seconds of its measurement, not of its warm-up
                if (stolen || p.lastSecondStolen) {
                    p.stolen.add(measured);
                    p.stolenSeconds++;
                } else {
                    p.rest.add(measured);
                }
                p.measuredSeconds++;
            }
            p.lastSecondStolen = stolen;
        }
        last = now;
    }

    /** The host's share of the machine in each phase, in percent, in the order the phases ran. */
    synchronized Map<String, Double> shares() {
        Map<String, Double> shares = new LinkedHashMap<>();
        byPhase.forEach((phase, p) -> shares.put(phase, p.sharePct()));
        return shares;
    }

    /**
     * The phases in which the host took at least {@link #NOTABLE_PCT} over the phase or {@link #STOLEN_SECOND_PCT} in
     * one second, said for the results with their worst second and, where a second was stolen, the p99 of the requests
     * in and right after the stolen seconds against the rest's; empty when none was notable.
     */
    synchronized Optional<String> note() {
        List<String> notable = new ArrayList<>();
        double worstPhase = 0;
        double worstSecond = 0;
        for (Map.Entry<String, Phase> e : byPhase.entrySet()) {
            Phase p = e.getValue();
            if (!p.notable()) {
                continue;
            }
            worstPhase = Math.max(worstPhase, p.sharePct());
            worstSecond = Math.max(worstSecond, p.worstSecondPct);
            StringBuilder said = new StringBuilder(String.format(Locale.ROOT, "%s %.1f%% (its worst second %.0f%%",
                    e.getKey(), p.sharePct(), p.worstSecondPct));
            if (p.stolenSeconds > 0 && p.stolen.getTotalCount() > 0 && p.rest.getTotalCount() > 0) {
                said.append(String.format(Locale.ROOT, "; %d of its %d measured s in or right after a stolen "
                        + "second, p99 %s there and %s in the rest", p.stolenSeconds, p.measuredSeconds,
                        Formats.millis(p.stolen.getValueAtPercentile(99)),
                        Formats.millis(p.rest.getValueAtPercentile(99))));
            }
            notable.add(said.append(')').toString());
        }
        if (notable.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "the host took up to %.0f%% of this machine's CPU over a phase "
                + "and up to %.0f%% in one second (steal, from /proc/stat) while these phases ran, so their figures are "
                + "not comparable with a run in which it took none; a stolen second is one in which it took at least "
                + "%.0f%%: %s", worstPhase, worstSecond, STOLEN_SECOND_PCT, String.join("; ", notable)));
    }
}
