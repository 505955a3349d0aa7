package org.gridlink.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import org.gridlink.bench.driver.Formats;

/**
 * Two community nodes, or two gateways ({@code --side-by-side-app=gateway}), measured side by side ({@code
 * --only=side-by-side}): A as built, B with other settings ({@code --side-by-side-args}) or from another build ({@code
 * --side-by-side-jar}), both started together beside the platform's own (the nodes on its database and broker, the
 * gateways in front of its nodes) and warmed the same way, then measured in alternated rounds. On a shared host whose
 * speed moves by half from one run to the next (the AMD EPYC, 2026-12-05), two runs cannot tell a change of a tenth in
 * a request's CPU; two JVMs with the same history, measured a few seconds apart, can: each round's B is compared with
 * the same round's A, and the median of those paired ratios is the answer (the method of the eighteenth session's A/B
 * by hand, bench/results/2026-12-02-ab-by-hand.md, made a scenario). With neither option B is A again: an A/A run, the
 * method's own spread.
 */
final class SideBySide {

    /** The apps that can be measured side by side. */
    static final List<String> APPS = List.of("community", "gateway");

    /**
     * What is measured ({@code app}: the community node or the gateway) and what B is besides A: settings added to
     * the app's own, and another build's executable jar.
     */
    record Setup(String app, List<String> args, Optional<Path> jar) {

        Setup {
            if (!APPS.contains(app)) {
                throw new IllegalArgumentException("--side-by-side-app is one of " + APPS + ", not " + app);
            }
            args = List.copyOf(args);
        }

        boolean sameAsA() {
            return args.isEmpty() && jar.isEmpty();
        }

        /** Two gateways, not two community nodes. */
        boolean gateways() {
            return app.equals("gateway");
        }

        /** The app's name in the results: "node" for the community node, "gateway". */
        String role() {
            return gateways() ? "gateway" : "node";
        }

        String describe() {
            String what = gateways() ? "two gateways; " : "";
            if (sameAsA()) {
                return what + "B the same build with the same settings as A (an A/A run: the method's own spread)";
            }
            return what + "B " + jar.map(j -> "from " + j).orElse("the same build") + (args.isEmpty() ? ""
                    : " with " + String.join(" ", args));
        }
    }

    /**
     * One side's closed loop on one path in one round: the calls it made, its app's CPU (the node's or the gateway's)
     * and PostgreSQL's.
     */
    record Phase(String path, boolean b, long calls, long appNanos, long postgresNanos, double seconds) {

        double appMillisPerCall() {
            return calls == 0 ? Double.NaN : appNanos / 1e6 / calls;
        }

        double postgresMillisPerCall() {
            return calls == 0 ? Double.NaN : postgresNanos / 1e6 / calls;
        }

        double perSecond() {
            return seconds <= 0 ? Double.NaN : calls / seconds;
        }
    }

    /**
     * One figure of a path on both sides: A's and B's medians over the rounds, and the median, lowest and highest of
     * the rounds' paired ratios B / A.
     */
    record Figure(double a, double b, double ratio, double lowest, double highest, int rounds) {

        /** "0.87× (A 0.452 ms, B 0.393 ms; 8 rounds 0.81–0.95×)", each side's figure written by {@code unit}. */
        String describe(java.util.function.DoubleFunction<String> unit) {
            return Formats.ratio(ratio, 1) + " (A " + unit.apply(a) + ", B " + unit.apply(b) + "; " + rounds
                    + " rounds paired, " + Formats.ratio(lowest, 1) + "–" + Formats.ratio(highest, 1) + ")";
        }
    }

    private final List<Phase> phases = new ArrayList<>();

    void add(Phase phase) {
        phases.add(phase);
    }

    /** The paths measured, in the order first measured. */
    List<String> paths() {
        return phases.stream().map(Phase::path).distinct().toList();
    }

    Figure appCpu(String path) {
        return figure(path, Phase::appMillisPerCall);
    }

    Figure postgresCpu(String path) {
        return figure(path, Phase::postgresMillisPerCall);
    }

    Figure throughput(String path) {
        return figure(path, Phase::perSecond);
    }

    /**
     * {@code value} of the path's phases, A's k-th against B's k-th: the rounds are paired in the order measured (a
     * round with a side missing is left out).
     */
    private Figure figure(String path, ToDoubleFunction<Phase> value) {
        List<Phase> a = phases.stream().filter(p -> p.path().equals(path) && !p.b()).toList();
        List<Phase> b = phases.stream().filter(p -> p.path().equals(path) && p.b()).toList();
        int rounds = Math.min(a.size(), b.size());
        if (rounds == 0) {
            throw new IllegalStateException("no round of " + path + " on both sides");
        }
        double[] as = new double[rounds];
        double[] bs = new double[rounds];
        double[] ratios = new double[rounds];
        for (int k = 0; k < rounds; k++) {
            as[k] = value.applyAsDouble(a.get(k));
            bs[k] = value.applyAsDouble(b.get(k));
            ratios[k] = bs[k] / as[k];
        }
        double[] sorted = ratios.clone();
        Arrays.sort(sorted);
        return new Figure(median(as), median(bs), median(ratios), sorted[0], sorted[rounds - 1], rounds);
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
