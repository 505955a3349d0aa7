package org.gridlink.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.gridlink.bench.driver.Measurement;
import tools.jackson.databind.JsonNode;

/**
 * How long until the city's figures include a new case, while other cases keep coming in: a probe case is reported
 * at a community (through the gateway), and the city's supervisor reads the city's figures (through the gateway)
 * every {@link #POLL} until the probe's district shows it; the time from the probe's 201 to the answer that shows it.
 *
 * <p>"Shows it" is exact under any load: the probes are the only cases of {@link #PROBE_CATEGORY} (the load, the
 * bulk load and the other scenarios report other categories) and go one at a time. Right after a probe's 201 the
 * community node's database is asked how many reports of that category the probe's district's units made (N, the
 * probe included: its transaction committed before the 201), counted as the roll-up counts them (the unit's own
 * {@code REPORT} entries, by the record's category). The district's report at the city counts each of its
 * communities' reports as of some moment; no such count can exceed what the database holds now, so the district's
 * {@code category.<probe category>} figure at the city reaches N only when every one of those reports, the probe's
 * included, is in it. (A probe that timed out is counted by the next one's N, which then waits for both.)
 *
 * <p>Between probes a random pause of up to one publish interval, so that the probes land at random points of the
 * nodes' publishing cycles rather than in step with them.
 */
final class RollupFreshness {

    /** A category of the sample city's that nothing else in the benchmark reports (BenchCity.CATEGORIES, BulkLoad). */
    static final String PROBE_CATEGORY = "WATER_LEAK";
    static final Duration POLL = Duration.ofMillis(50);
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** The nodes' {@code gridlink.stats.publish-interval} (their default): a changed unit reports at most this often. */
    static final Duration PUBLISH_INTERVAL = Duration.ofSeconds(1);

    /**
     * A probe whose report is refused (the gateway's 503 when the community node does not answer in time, or its
     * circuit breaker is open) is reported again {@link #REPORT_RETRY} later, up to this many times in all: freshness
     * starts at a 201. A refused report may still commit later; N counts it too, so "shows it" stays exact.
     */
    static final int REPORT_ATTEMPTS = 3;
    static final Duration REPORT_RETRY = Duration.ofSeconds(5);

    /** N: the district's units' own reports of the category, as the roll-up counts them (docs/stats.md). */
    static final String COUNT = """
            select count(*) from timeline_entry e
            join case_record r on r.unit_code = e.unit_code and r.case_id = e.case_id
            where e.action = 'REPORT' and e.entry_unit = e.unit_code and r.category_code = ? and e.unit_code like ?""";

    /** What the probes measured: µs from a probe's 201 to the answer that showed it; the polls' own latencies. */
    record Result(Histogram freshness, Histogram polls, long pollErrors, int failures, Optional<String> firstFailure,
                  List<Long> millis, int refusedReports) {
    }

    private final CaseApi api;
    private final String base;
    private final String city;
    private final List<String> communities;
    private final Map<String, List<String>> cells;
    private final Connection communityDb;
    private final Random random;
    private int refused;

    /**
     * @param base        the gateway: probes and polls go through it, as a supervisor's would
     * @param communityDb the community node's database, where N is counted
     */
    RollupFreshness(CaseApi api, String base, String city, Map<String, List<String>> cellsByCommunity,
                    Connection communityDb, long seed) {
        if (BenchCity.CATEGORIES.contains(PROBE_CATEGORY)
                || BulkLoad.CATEGORIES.stream().anyMatch(s -> s.value().equals(PROBE_CATEGORY))) {
            throw new IllegalStateException(PROBE_CATEGORY + " is reported by other scenarios too: no exact probe");
        }
        this.api = api;
        this.base = base;
        this.city = city;
        this.cells = cellsByCommunity;
        this.communityDb = communityDb;
        this.random = new Random(seed);
        List<String> shuffled = new ArrayList<>(cellsByCommunity.keySet());
        Collections.sort(shuffled);
        Collections.shuffle(shuffled, random); // probes over the districts, not one township after another
        this.communities = shuffled;
    }

    /** A unit's district: {@code PPCCDD000000}. */
    static String districtOf(String unit) {
        return unit.substring(0, 6) + "000000";
    }

    /** The counter a report of {@code category} adds to ({@code docs/stats.md}). */
    static String counter(String category) {
        return "category." + category;
    }

    /**
     * A child's figure in a unit's stats view ({@code children[].figures.counts}); 0 when the child has not reported
     * or not counted it yet; empty when the view has no such child.
     */
    static Optional<Long> childFigure(JsonNode stats, String child, String counter) {
        for (JsonNode c : stats.path("children")) {
            if (child.equals(c.path("code").asString())) {
                JsonNode n = c.path("figures").path("counts").path(counter);
                return Optional.of(n.isNumber() ? n.asLong() : 0L);
            }
        }
        return Optional.empty();
    }

    /** Whether the city's view shows at least {@code n} of the probe category's reports in the district. */
    static boolean shows(JsonNode stats, String district, long n) {
        return childFigure(stats, district, counter(PROBE_CATEGORY)).map(f -> f >= n).orElse(false);
    }

    /** N for a probe in {@code community}: the reports of the probe category by units of its district. */
    long count(String community) throws SQLException {
        try (PreparedStatement p = communityDb.prepareStatement(COUNT)) {
            p.setString(1, PROBE_CATEGORY);
            p.setString(2, community.substring(0, 6) + "%");
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** {@code probes} probes one after another, each after a random pause of up to a publish interval. */
    Result run(int probes, java.util.function.Consumer<String> say) {
        Histogram freshness = Measurement.newHistogram();
        Histogram polls = Measurement.newHistogram();
        long[] pollErrors = {0};
        List<Long> millis = new ArrayList<>();
        int failures = 0;
        String firstFailure = null;
        for (int k = 0; k < probes; k++) {
            LockSupport.parkNanos((long) (random.nextDouble() * PUBLISH_INTERVAL.toNanos()));
            String community = communities.get(k % communities.size());
            String district = districtOf(community);
            try {
                long micros = probe(community, district, k, polls, pollErrors);
                freshness.recordValue(Math.max(1, micros));
                millis.add(micros / 1_000);
                say.accept("freshness probe " + (k + 1) + "/" + probes + " at " + community + ": in the city's figures "
                        + "after " + micros / 1_000 + " ms");
            } catch (Exception e) {
                failures++;
                String why = e.getMessage();
                if (firstFailure == null) {
                    firstFailure = why;
                }
                say.accept("freshness probe " + (k + 1) + "/" + probes + " at " + community + " failed: " + why);
            }
        }
        return new Result(freshness, polls, pollErrors[0], failures, Optional.ofNullable(firstFailure), millis,
                refused);
    }

    private long probe(String community, String district, int k, Histogram polls, long[] pollErrors)
            throws Exception {
        List<String> ofCommunity = cells.get(community);
        String json = CaseApi.aReport(PROBE_CATEGORY, "freshness probe " + (k + 1),
                ofCommunity.isEmpty() ? null : ofCommunity.get(0), "GRID_PATROL");
        CaseApi.Reply created = api.report(base, community, json).get(30, TimeUnit.SECONDS);
        for (int attempt = 1; created.statusCode() != 201 && attempt < REPORT_ATTEMPTS; attempt++) {
            refused++; // the intake's trouble, not the roll-ups': the probe is reported again (N counts any copy)
            LockSupport.parkNanos(REPORT_RETRY.toNanos()); // an open circuit breaker at the gateway says "in 10 s"
            created = api.report(base, community, json).get(30, TimeUnit.SECONDS);
        }
        long reported = System.nanoTime();
        if (created.statusCode() != 201) {
            throw new IllegalStateException("the probe's report answered " + created.statusCode() + " "
                    + REPORT_ATTEMPTS + " times: " + created.body());
        }
        long n = count(community);
        long deadline = reported + TIMEOUT.toNanos();
        while (true) {
            long sent = System.nanoTime();
            CaseApi.Reply answer = api.stats(base, city, "").get(30, TimeUnit.SECONDS);
            long answered = System.nanoTime();
            if (CaseApi.ok(answer)) {
                polls.recordValue(Math.max(1, (answered - sent) / 1_000));
                if (shows(CaseApi.json(answer), district, n)) {
                    return (answered - reported) / 1_000;
                }
            } else {
                pollErrors[0]++;
            }
            if (answered > deadline) {
                throw new IllegalStateException("the city's figures did not show " + n + " " + PROBE_CATEGORY
                        + " reports in " + district + " within " + TIMEOUT.toSeconds() + " s");
            }
            LockSupport.parkNanos(sent + POLL.toNanos() - System.nanoTime());
        }
    }
}
