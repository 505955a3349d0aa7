package org.gridlink.kernel.stats;

import java.util.Map;

/**
 * Figures a tier adds to its units' roll-ups from tables of its own (a community's patrols), computed in the same
 * round as the kernel's and reported up the same way. A bean of the tier's app; none by default.
 * <p>
 * Its daily counts come from one query, run with the round's parameters ({@code :units}, {@code :sinces},
 * {@code :from}, {@code :zone}, {@code :split}, {@code :grid}: bound when named) over each unit's rows from its
 * {@code since} on; each row names {@code unit}, {@code day}, {@code settled} ({@code <time> < :split}) and the columns
 * {@link #counters()} names. A row must be dated by something that does not change once committed (a start, not an
 * end): a day before the split is kept, not counted again. What happens without a timeline entry is counted from the
 * settle before the last round, as a supervision notice is (Rollups), and reaches the parent within a heartbeat.
 */
public interface TierFigures {

    /**
     * The query of daily counts. {@code units} is the FROM item of each unit's code and since, {@code u(code, since)};
     * {@code forGrid}: the figures are one grid cell's ({@code :grid}), or null when this tier has none of a cell.
     */
    String sql(String units, boolean forGrid);

    /** The query's count columns and the counter each adds to. */
    Map<String, String> counters();

    /** The unit's counts now (or its grid cell's, {@code grid} not null): added to its {@code current}. */
    default Map<String, Long> current(String unit, String grid) {
        return Map.of();
    }
}
