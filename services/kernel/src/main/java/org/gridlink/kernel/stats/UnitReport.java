package org.gridlink.kernel.stats;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The body of {@code gridlink.unit.reported.v1}: a unit's roll-up as its node reports it to the parent, with the
 * unit's own figures and its subtree's (own plus the latest reports of its children), each as current counts and
 * counts per day ({@code zone}'s calendar days, the last {@code gridlink.stats.window-days}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UnitReport(String unit, String parentUnit, Instant reportedAt, long sequence, String zone,
                         Section own, Section subtree, List<ChildRef> children) {

    public static final String TYPE = "gridlink.unit.reported.v1";
    public static final String SCHEMA = "urn:gridlink:contracts:events:" + TYPE;
    /** The compacted topic keyed by the reporting unit's code: its latest report is all a parent needs. */
    public static final String TOPIC = "gridlink.unit-reports";

    /** Counts now ({@code status.<S>}, {@code overdueNow}) and per day (flows such as reported, resolved). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Section(Map<String, Long> current, List<Day> days) {

        public static Section empty() {
            return new Section(Map.of(), List.of());
        }

        /** The counts of the days in [from, to], summed. */
        public SortedMap<String, Long> between(LocalDate from, LocalDate to) {
            SortedMap<String, Long> total = new TreeMap<>();
            for (Day d : days) {
                if (!d.date().isBefore(from) && !d.date().isAfter(to)) {
                    Figures.add(total, d.counts());
                }
            }
            return total;
        }

        /** This section and {@code other} added day by day. */
        public Section plus(Section other) {
            SortedMap<String, Long> cur = new TreeMap<>(current);
            Figures.add(cur, other.current());
            TreeMap<LocalDate, SortedMap<String, Long>> byDay = new TreeMap<>();
            for (List<Day> list : List.of(days, other.days())) {
                for (Day d : list) {
                    Figures.add(byDay.computeIfAbsent(d.date(), k -> new TreeMap<>()), d.counts());
                }
            }
            List<Day> merged = new ArrayList<>();
            byDay.forEach((date, counts) -> merged.add(new Day(date, counts)));
            return new Section(cur, merged);
        }

        /** The days from {@code first} on. */
        public Section since(LocalDate first) {
            return new Section(current, days.stream().filter(d -> !d.date().isBefore(first)).toList());
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Day(LocalDate date, Map<String, Long> counts) {
    }

    /** A child whose latest report went into the subtree figures. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ChildRef(String unit, Instant reportedAt, long sequence) {
    }
}
