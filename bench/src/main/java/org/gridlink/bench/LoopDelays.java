package org.gridlink.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gridlink.bench.driver.Formats;

/**
 * How late a node's event loops ran what they were given ({@code gridlink.eventloop.delay}, each loop probed every
 * 100 ms), by loop group, from the timer's buckets in two Prometheus scrapes: each group's cumulative counts by bucket
 * bound (seconds).
 */
record LoopDelays(Map<String, TreeMap<Double, Double>> groups) {

    private static final Pattern BUCKET = Pattern.compile(
            "^gridlink_eventloop_delay_seconds_bucket\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE);
    private static final Pattern LOOPS = Pattern.compile("\\bloops=\"([^\"]+)\"");
    private static final Pattern LE = Pattern.compile("\\ble=\"([^\"]+)\"");

    /** The node's now. */
    static LoopDelays scrape(String nodeUrl) {
        return parse(RollupRounds.exposition(nodeUrl));
    }

    /** The buckets of a Prometheus text exposition (none when the node exports no such timer). */
    static LoopDelays parse(String exposition) {
        Map<String, TreeMap<Double, Double>> groups = new TreeMap<>();
        Matcher m = BUCKET.matcher(exposition);
        while (m.find()) {
            Matcher loops = LOOPS.matcher(m.group(1));
            Matcher le = LE.matcher(m.group(1));
            if (loops.find() && le.find()) {
                double bound = le.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le.group(1));
                groups.computeIfAbsent(loops.group(1), g -> new TreeMap<>())
                        .merge(bound, Double.parseDouble(m.group(2)), Double::sum);
            }
        }
        return new LoopDelays(groups);
    }

    LoopDelays minus(LoopDelays before) {
        Map<String, TreeMap<Double, Double>> out = new TreeMap<>();
        groups.forEach((group, counts) -> {
            TreeMap<Double, Double> was = before.groups.getOrDefault(group, new TreeMap<>());
            TreeMap<Double, Double> diff = new TreeMap<>();
            counts.forEach((bound, count) -> diff.put(bound, count - was.getOrDefault(bound, 0.0)));
            out.put(group, diff);
        });
        return new LoopDelays(out);
    }

    /**
     * "http loops: 1200 probes, 3.1% over 5 ms, 0.8% over 20 ms, 0.1% over 50 ms, p99 at most 20 ms; database …", or
     * "no probe" when the node recorded none.
     */
    String describe() {
        if (groups.isEmpty()) {
            return "no probe (the node exports no gridlink.eventloop.delay)";
        }
        StringBuilder out = new StringBuilder();
        groups.forEach((group, counts) -> {
            double all = counts.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
            if (out.length() > 0) {
                out.append("; ");
            }
            out.append(group).append(" loops: ").append(Formats.number(all)).append(" probes");
            if (all <= 0) {
                return;
            }
            for (double bound : new double[] {0.005, 0.02, 0.05, 0.1}) {
                out.append(", ").append(Formats.number(100 * over(counts, bound, all))).append("% over ")
                        .append(Math.round(bound * 1000)).append(" ms");
            }
            out.append(", p99 at most ").append(upperBound(counts, 0.99 * all));
        });
        return out.toString();
    }

    /** The share of the probes later than {@code bound} (a bucket's upper bound). */
    static double over(TreeMap<Double, Double> counts, double bound, double all) {
        Double within = counts.get(bound);
        return within == null ? Double.NaN : (all - within) / all;
    }

    private static String upperBound(TreeMap<Double, Double> counts, double rank) {
        for (Map.Entry<Double, Double> e : counts.entrySet()) {
            if (e.getValue() >= rank) {
                return e.getKey().isInfinite() ? "above the last bucket" : Math.round(e.getKey() * 1000) + " ms";
            }
        }
        return "above the last bucket";
    }
}
