package org.gridlink.seeds;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A realistic batch of cases for a city (reproducible from a seed): where each is found (a community and one of its
 * grid cells), its category, how it was found (grid patrol, citizen complaint, the 12345 hotline) and what happens
 * to it. Tests drive it through the API; the benchmark uses it for its mix.
 */
public final class CaseBatch {

    /** How a planned case goes; the shares are those of {@link #plan}. */
    public enum Outcome {
        /** accepted, handled and closed by the community itself */
        RESOLVED_LOCALLY,
        /** as above, but the first resolution fails verification once */
        REWORKED_THEN_RESOLVED,
        /** rejected at intake (not a grid matter) */
        REJECTED,
        /** escalated to the township, which handles and closes it */
        ESCALATED_RESOLVED_ABOVE,
        /** escalated to the township, which dispatches it to another of its communities to handle */
        ESCALATED_DISPATCHED_SIDEWAYS,
        /** reported and accepted, still being handled */
        LEFT_OPEN
    }

    public record PlannedCase(int n, String community, String gridCode, String category, String source, Outcome outcome) {
    }

    private static final double[] SHARES = {0.45, 0.08, 0.07, 0.15, 0.10, 0.15};
    private static final String[] SOURCES = {"GRID_PATROL", "GRID_PATROL", "GRID_PATROL", "CITIZEN_COMPLAINT",
            "HOTLINE_12345"};

    private CaseBatch() {
    }

    /**
     * {@code size} cases over {@code cellsByCommunity} (community code → its grid cell codes), categories chosen with
     * a skew towards the everyday ones (the first of {@code categories} most often).
     */
    public static List<PlannedCase> plan(long seed, int size, Map<String, List<String>> cellsByCommunity,
                                         List<String> categories) {
        Random random = new Random(seed);
        List<String> communities = cellsByCommunity.keySet().stream().sorted().toList();
        List<PlannedCase> result = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            String community = communities.get(random.nextInt(communities.size()));
            List<String> cells = cellsByCommunity.get(community);
            String cell = cells.isEmpty() ? null : cells.get(random.nextInt(cells.size()));
            int c = (int) Math.min(categories.size() - 1, Math.abs(random.nextGaussian()) * categories.size() / 3);
            result.add(new PlannedCase(i, community, cell, categories.get(c), SOURCES[random.nextInt(SOURCES.length)],
                    outcome(random.nextDouble())));
        }
        return result;
    }

    static Outcome outcome(double r) {
        double acc = 0;
        for (int i = 0; i < SHARES.length; i++) {
            acc += SHARES[i];
            if (r < acc) {
                return Outcome.values()[i];
            }
        }
        return Outcome.LEFT_OPEN;
    }
}
