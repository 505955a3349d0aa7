package org.gridlink.kernel.stats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores and ranks sibling units (or a community's grid cells) from their figures (考核). Plain Java.
 *
 * <p>Score: 100 × Σ weight × rate ({@link AssessmentRules}); a rate without data counts 0, and an entrant with no
 * work at all (nothing reported or received, no patrol, in the period) is not ranked. Ties: the higher score first, then the
 * higher on-time rate (no data below any rate), then the lower unit code — so a ranking never depends on the order
 * the figures arrived in. Bands: the top ⌈n × commendedShare⌉ of the n ranked entrants are COMMENDED, the bottom
 * ⌈n × warnedShare⌉ WARNED (never more than half each, and none with fewer than two ranked), the rest NORMAL.
 */
public final class Assessment {

    private Assessment() {
    }

    public enum Band { COMMENDED, NORMAL, WARNED, NO_DATA }

    /**
     * One entrant: a unit or grid cell code, its name, its summed counts for the period, its counts now and the days
     * of the period (for 巡查覆盖率, {@link Figures#patrolCoverage}).
     */
    public record Entrant(String code, String name, Map<String, Long> counts, Map<String, Long> current, long days) {

        public Entrant(String code, String name, Map<String, Long> counts) {
            this(code, name, counts, Map.of(), 0);
        }
    }

    /** A weighted term of the score, shown so the entrant sees why. */
    public record Term(String rate, String label, double weight, Double value, double points) {
    }

    public record Ranked(int rank, String code, String name, Double score, Band band, List<Term> terms,
                         Map<String, Double> rates, Map<String, Long> counts) {
    }

    public static final Comparator<Ranked> ORDER = Comparator
            .comparing((Ranked r) -> r.score(), Comparator.reverseOrder())
            .thenComparing(r -> r.rates().get("onTimeRate") == null ? -1d : r.rates().get("onTimeRate"),
                    Comparator.reverseOrder())
            .thenComparing(Ranked::code);

    public static List<Ranked> rank(List<Entrant> entrants, AssessmentRules rules) {
        List<Ranked> scored = new ArrayList<>();
        List<Ranked> unranked = new ArrayList<>();
        for (Entrant e : entrants) {
            Map<String, Double> rates = Figures.rates(e.counts(), e.current(), e.days());
            long work = e.counts().getOrDefault("reported", 0L) + e.counts().getOrDefault("received", 0L)
                    + e.counts().getOrDefault("patrols", 0L);
            if (work == 0) {
                unranked.add(new Ranked(0, e.code(), e.name(), null, Band.NO_DATA, List.of(), rates, e.counts()));
                continue;
            }
            List<Term> terms = new ArrayList<>();
            double sum = 0;
            for (Map.Entry<String, Double> w : rules.weights().entrySet()) {
                Double value = rates.get(w.getKey());
                double points = Figures.round(100 * w.getValue() * (value == null ? 0 : value));
                terms.add(new Term(w.getKey(), AssessmentRules.label(w.getKey()), w.getValue(), value, points));
                sum += 100 * w.getValue() * (value == null ? 0 : value);
            }
            scored.add(new Ranked(0, e.code(), e.name(), Figures.round(sum), Band.NORMAL, terms, rates, e.counts()));
        }
        scored.sort(ORDER);
        int n = scored.size();
        int commended = n < 2 ? 0 : Math.min(n / 2, (int) Math.ceil(n * rules.commendedShare()));
        int warned = n < 2 ? 0 : Math.min(n / 2, (int) Math.ceil(n * rules.warnedShare()));
        List<Ranked> result = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Ranked r = scored.get(i);
            Band band = i < commended ? Band.COMMENDED : i >= n - warned ? Band.WARNED : Band.NORMAL;
            result.add(new Ranked(i + 1, r.code(), r.name(), r.score(), band, r.terms(), r.rates(), r.counts()));
        }
        unranked.sort(Comparator.comparing(Ranked::code));
        result.addAll(unranked);
        return result;
    }

}
