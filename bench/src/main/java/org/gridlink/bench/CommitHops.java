package org.gridlink.bench;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.HdrHistogram.Histogram;
import org.gridlink.bench.driver.Measurement;

/**
 * The escalation chain's hops as issue 8 defines a Kafka hop, outbox → broker → consumer committed: from the commit of
 * the sender's transaction that wrote the outbox row (its ESCALATE) to the commit of the receiver's transaction that
 * applied the event (the first that wrote the receiver's timeline of the case). Both are PostgreSQL's commit timestamps
 * ({@code pg_xact_commit_timestamp(xmin)}, {@code track_commit_timestamp} being on, see {@code PostgresServer}), one
 * clock for every database. The chain's own hop rows run from the sender's {@code updatedAt}, taken before its
 * transaction began, to the receiver's {@code createdAt}, taken before its transaction committed: they hold the
 * sender's whole transaction and leave out the receiver's commit.
 * <p>
 * Read once, after the measurement, for the cases it measured: the timeline is only ever appended to, so a row's
 * {@code xmin} is still the transaction that wrote it.
 */
final class CommitHops {

    /** A case the chain measured: the units it went through, community to city. */
    record Escalated(UUID caseId, List<String> units) {
    }

    /** A unit's record of a case. */
    record Key(String unit, UUID caseId) {
    }

    /**
     * The hops community→township, township→district, district→city (µs), and how many hops had no commit time on one
     * side (a database without {@code track_commit_timestamp}, or a case that never arrived). Beside them, the two
     * parts in which the chain's own hop rows differ from these (µs): {@code sending}, the sender's transaction from
     * its ESCALATE's {@code updatedAt} to its commit, which those rows hold and these do not; {@code applying}, the
     * receiver's transaction from its record's {@code createdAt} to its commit, which these hold and those do not.
     */
    record Result(Histogram[] hops, long missing, Histogram sending, Histogram applying) {

        /** The same hops, with the two parts in which the definitions differ. */
        Result with(Histogram sending, Histogram applying) {
            return new Result(hops, missing, sending, applying);
        }

        Histogram all() {
            Histogram all = Measurement.newHistogram();
            for (Histogram h : hops) {
                all.add(h);
            }
            return all;
        }
    }

    private CommitHops() {
    }

    /**
     * Reads the commit times of the cases' hops from every database in {@code databases} (JDBC URL by name) and times
     * them.
     */
    static Result measure(Map<String, String> databases, String user, String password, List<Escalated> cases)
            throws SQLException {
        Map<Key, Instant> escalated = new HashMap<>();
        Map<Key, Instant> escalatedAt = new HashMap<>();
        Map<Key, Instant> firstWritten = new HashMap<>();
        Map<Key, Instant> createdAt = new HashMap<>();
        Object[] ids = cases.stream().map(Escalated::caseId).distinct().toArray();
        for (String url : databases.values()) {
            try (Connection c = DriverManager.getConnection(url, user, password)) {
                Array asked = c.createArrayOf("uuid", ids);
                // a unit's own ESCALATE of the case: when its transaction committed, and its updatedAt
                read(c, asked, "select unit_code, case_id, min(pg_xact_commit_timestamp(xmin)), min(at)"
                        + " from timeline_entry where case_id = any(?) and action = 'ESCALATE'"
                        + " and entry_unit = unit_code group by unit_code, case_id", escalated, escalatedAt);
                read(c, asked, "select unit_code, case_id, min(pg_xact_commit_timestamp(xmin))"
                        + " from timeline_entry where case_id = any(?) group by unit_code, case_id", firstWritten);
                read(c, asked, "select unit_code, case_id, created_at from case_record"
                        + " where case_id = any(?) and origin = 'ESCALATION'", createdAt);
            }
        }
        return hops(cases, escalated, firstWritten).with(since(escalatedAt, escalated), since(createdAt, firstWritten));
    }

    /** For every key in both: from its time in {@code from} to its time in {@code to} (µs), unless that is negative. */
    static Histogram since(Map<Key, Instant> from, Map<Key, Instant> to) {
        Histogram h = Measurement.newHistogram();
        from.forEach((key, start) -> {
            Instant end = to.get(key);
            if (end != null && !end.isBefore(start)) {
                record(h, Duration.between(start, end));
            }
        });
        return h;
    }

    /** Runs {@code sql} for the case ids; its third column goes into the first map, the fourth into the second. */
    @SafeVarargs
    private static void read(Connection c, Array ids, String sql, Map<Key, Instant>... into) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("/* " + StatementCounts.BENCH + " */ " + sql)) {
            select.setArray(1, ids);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    Key key = new Key(rows.getString(1), rows.getObject(2, UUID.class));
                    for (int i = 0; i < into.length; i++) {
                        OffsetDateTime at = rows.getObject(3 + i, OffsetDateTime.class);
                        if (at != null) {
                            into[i].put(key, at.toInstant());
                        }
                    }
                }
            }
        }
    }

    /**
     * Hop {@code i} of a case: from the commit of the ESCALATE of its unit {@code i} to the first commit that wrote the
     * timeline of its unit {@code i + 1}.
     */
    static Result hops(List<Escalated> cases, Map<Key, Instant> escalated, Map<Key, Instant> firstWritten) {
        Histogram[] hops = {Measurement.newHistogram(), Measurement.newHistogram(), Measurement.newHistogram()};
        long missing = 0;
        for (Escalated c : cases) {
            for (int i = 0; i < hops.length && i + 1 < c.units().size(); i++) {
                Instant sent = escalated.get(new Key(c.units().get(i), c.caseId()));
                Instant applied = firstWritten.get(new Key(c.units().get(i + 1), c.caseId()));
                if (sent == null || applied == null || applied.isBefore(sent)) {
                    missing++;
                } else {
                    record(hops[i], Duration.between(sent, applied));
                }
            }
        }
        return new Result(hops, missing, Measurement.newHistogram(), Measurement.newHistogram());
    }

    /** In µs, at least 1, at most what the histogram holds (ten minutes). */
    private static void record(Histogram h, Duration d) {
        h.recordValue(Math.min(h.getHighestTrackableValue(), Math.max(1, d.toNanos() / 1_000)));
    }

    /** The databases that hold the cases' units, by name, with their JDBC URLs. */
    static Map<String, String> databases(List<Escalated> cases, Function<String, String> databaseOf,
                                         Function<String, String> jdbcUrl) {
        Set<String> names = new LinkedHashSet<>();
        cases.forEach(c -> c.units().forEach(u -> names.add(databaseOf.apply(u))));
        Map<String, String> urls = new LinkedHashMap<>();
        names.forEach(n -> urls.put(n, jdbcUrl.apply(n)));
        return urls;
    }
}
