package org.gridlink.bench;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Fills the community node's own database with a year of cases, straight into its tables (the shapes of the kernel's
 * migrations V1–V6 and V12): {@code records} rows of {@code case_record}, each with its {@code REPORT} entry in
 * {@code timeline_entry}, spread round robin over the city's communities, their grid cells, the batch's categories
 * (the everyday ones most) and sources, {@code created_at} one a ~31 s over the last 365 days (seq follows it, as on a
 * node that took them in one by one).
 *
 * <p>What the rows are, and why: the oldest 97% are closed (CLOSED, 1 in 50 REJECTED) with their clocks long past,
 * which no clock reads; the newest 3% (about the last 11 days) are open (REPORTED, ACCEPTED, IN_PROGRESS in turn) with
 * their acceptance and handling deadlines 30 to 60 days after the load. The closed ones are closed by their unit (its
 * CLOSE or REJECT entry, below), so each is marked {@code closed_here} as it is inserted (V12's trigger, which the
 * entries fire, finds it marked and writes nothing). A node's overdue scan tells the units above
 * of every record whose clock ran out (three events each, through the outbox, to the township, district and city): open
 * records overdue by the tens of thousands would measure a flood of notices, not reads. None of the loaded records is
 * overdue, and the load checks it.
 *
 * <p>How: a few big server-side statements, {@code insert … select … from generate_series}, {@value #BATCH} rows
 * each, all in one transaction (the node's roll-up publisher sees the million at once, not a quarter at a time), then
 * {@code vacuum (analyze)} so that the reads meet settled tables (visibility map, hint bits, statistics) and not an
 * autovacuum pass: again, a second apart, until the visibility map has {@value #SETTLED} of case_record's pages (a
 * statement of the node's roll-ups that began before the commit keeps the loaded rows from being visible to all: one
 * run's single vacuum left 31% of them in the map, and the roll-up's count of final records read the table instead
 * of its index alone, 160 ms against 3.4 ms). The values come from {@code md5(i)}, so {@link #expectedStatuses()} and
 * {@link #expectedCategories()} say in Java what the database must hold, and {@link #load} checks that it does.
 */
final class BulkLoad {

    /** Marks the loaded rows ({@code description}), so that the timeline and the checks find them and nothing else. */
    static final String MARKER = "loaded by the benchmark (bench BulkLoad)";
    static final int BATCH = 250_000;
    static final Duration SPAN = Duration.ofDays(365);
    /** The open records' deadlines start this long after the load. */
    static final Duration OPEN_DUE_AHEAD = Duration.ofDays(30);
    /** The newest share of the records is open. */
    static final double OPEN_SHARE = 0.03;
    static final int REJECTED_ONE_IN = 50;
    /** The share of case_record's pages all-visible after which the load is settled, and the vacuums tried for it. */
    static final double SETTLED = 0.95;
    static final int VACUUMS = 10;
    static final List<String> OPEN_STATUSES = List.of("REPORTED", "ACCEPTED", "IN_PROGRESS");

    /** A category and its share of the loaded cases in percent: the batch's categories, skewed as CaseBatch skews them. */
    record Share(String value, int percent) {
    }

    static final List<Share> CATEGORIES = List.of(new Share("GARBAGE_PILE", 45), new Share("ILLEGAL_PARKING", 8),
            new Share("NOISE", 7), new Share("STREETLIGHT_BROKEN", 15), new Share("ROAD_OCCUPATION", 10),
            new Share("FIRE_HAZARD", 15));
    /** As CaseBatch draws them: three in five from grid patrols. */
    static final List<String> SOURCES = List.of("GRID_PATROL", "GRID_PATROL", "GRID_PATROL", "CITIZEN_COMPLAINT",
            "HOTLINE_12345");

    private static final Pattern UNIT = Pattern.compile("\\d{12}");
    private static final Pattern CELL = Pattern.compile("[0-9A-Za-z_-]{1,32}");
    private static final Pattern CODE = Pattern.compile("[A-Z0-9_]{1,64}");

    /**
     * Each loaded record's REPORT entry, and for a closed or rejected one its CLOSE or REJECT entry (at its
     * {@code updated_at}, made by the unit itself), as a real node's closed records have: the roll-up's status-now
     * query looks for them.
     */
    static final String TIMELINE = """
            insert into timeline_entry (unit_code, case_id, entry_id, at, entry_unit, actor, action, from_status,
                to_status, note)
            select unit_code, case_id, gen_random_uuid(), at, unit_code, actor, action, from_status, to_status, note
            from (select seq, 0 as k, unit_code, case_id, reported_at as at, reporter as actor, 'REPORT' as action,
                         null as from_status, 'REPORTED' as to_status, title as note
                  from case_record where seq > ? and description = '%1$s'
                  union all
                  select seq, 1, unit_code, case_id, updated_at, 'handler.' || unit_code,
                         case when status = 'CLOSED' then 'CLOSE' else 'REJECT' end,
                         case when status = 'CLOSED' then 'VERIFIED' else 'REPORTED' end, status, resolution
                  from case_record where seq > ? and description = '%1$s' and status in ('CLOSED', 'REJECTED')) x
            order by seq, k""".formatted(MARKER);

    private final int records;
    private final List<String> communities;
    private final Map<String, List<String>> cells;
    private final Instant end;

    /**
     * @param cellsByCommunity the city's communities and their grid cells (as the node loaded them)
     * @param end              the newest record's {@code created_at}: the load's own time
     */
    BulkLoad(int records, Map<String, List<String>> cellsByCommunity, Instant end) {
        if (records < 1) {
            throw new IllegalArgumentException("records must be at least 1, got " + records);
        }
        if (cellsByCommunity.isEmpty()) {
            throw new IllegalArgumentException("no communities to load cases into");
        }
        int categoryPercent = CATEGORIES.stream().mapToInt(Share::percent).sum();
        if (categoryPercent != 100) {
            throw new IllegalStateException("category shares add up to " + categoryPercent + "%, not 100%");
        }
        this.records = records;
        this.communities = cellsByCommunity.keySet().stream().sorted().toList();
        this.cells = new TreeMap<>(cellsByCommunity);
        this.communities.forEach(c -> check(UNIT, c, "community code"));
        this.cells.values().forEach(l -> l.forEach(g -> check(CELL, g, "grid cell code")));
        CATEGORIES.forEach(s -> check(CODE, s.value(), "category"));
        SOURCES.forEach(s -> check(CODE, s, "source"));
        this.end = end.truncatedTo(ChronoUnit.SECONDS);
    }

    int records() {
        return records;
    }

    /** Records {@code i > openFrom()} (counted from 1) are open. */
    long openFrom() {
        return records - Math.round(records * OPEN_SHARE);
    }

    /** The microseconds between two consecutive records' {@code created_at}. */
    long stepMicros() {
        return SPAN.toNanos() / 1_000 / records;
    }

    /** The newest record's {@code created_at} in microseconds since the epoch. */
    long endMicros() {
        return end.getEpochSecond() * 1_000_000L;
    }

    /** The statement that inserts records {@code from..to} (inclusive, from 1). */
    String caseBatch(long from, long to) {
        if (from < 1 || to > records || from > to) {
            throw new IllegalArgumentException("records " + from + ".." + to + " are not within 1.." + records);
        }
        int n = communities.size();
        String units = java.util.stream.IntStream.range(0, n).mapToObj(k -> "(" + k + ", '" + communities.get(k)
                        + "', array[" + cells.get(communities.get(k)).stream().map(g -> "'" + g + "'")
                        .collect(Collectors.joining(", ")) + "]::text[])")
                .collect(Collectors.joining(",\n        "));
        StringBuilder category = new StringBuilder("case");
        int upTo = 0;
        for (Share s : CATEGORIES) {
            upTo += s.percent();
            category.append(" when m.h % 100 < ").append(upTo).append(" then '").append(s.value()).append("'");
        }
        category.append(" end");
        String sources = SOURCES.stream().map(s -> "'" + s + "'").collect(Collectors.joining(", "));
        String open = OPEN_STATUSES.stream().map(s -> "'" + s + "'").collect(Collectors.joining(", "));
        Instant far = end.plus(OPEN_DUE_AHEAD);
        return """
                insert into case_record (unit_code, case_id, status, origin, category_code, title, description, lat, lon,
                    address, grid_code, source, reporter, reported_at, resolution, due_at, created_at, updated_at,
                    clock_from, accept_due_at, closed_here)
                select u.code, gen_random_uuid(), s.status, 'INTAKE', %s,
                    'bulk case ' || g.i, '%s',
                    34.70 + (m.h / 10000 %% 1000) / 10000.0, 113.60 + (m.h / 7 %% 1000) / 10000.0,
                    'bulk address ' || (m.h %% 4999),
                    case when cardinality(u.cells) = 0 then null
                         else u.cells[1 + (m.h / 100000) %% cardinality(u.cells)] end,
                    (array[%s])[1 + (m.h / 100) %% %d], 'grid-worker-' || (g.i %% 50), t.at,
                    case when s.status = 'CLOSED' then 'handled (bulk load)'
                         when s.status = 'REJECTED' then 'not a grid matter (bulk load)' end,
                    case when s.open then timestamptz '%s' + ((g.i / %d) %% 30) * interval '1 day'
                         else t.at + interval '48 hours' end,
                    t.at,
                    case when s.open then t.at else t.at + (1 + m.h %% 72) * interval '1 hour' end,
                    t.at,
                    case when s.open then timestamptz '%s' else t.at + interval '2 hours' end,
                    not s.open
                from generate_series(%d, %d) as g(i)
                join (values
                        %s) as u(k, code, cells) on u.k = g.i %% %d
                cross join lateral (select ('x' || substr(md5(g.i::text), 1, 7))::bit(28)::int as h) m
                cross join lateral (select to_timestamp(((%d - (%d - g.i)::bigint * %d) / 1e6)::float8) as at) t
                cross join lateral (select g.i > %d as open,
                    case when g.i > %d then (array[%s])[1 + (g.i / %d) %% %d]
                         when (g.i / %d) %% %d = 0 then 'REJECTED' else 'CLOSED' end as status) s
                order by g.i""".formatted(category, MARKER, sources, SOURCES.size(), far, n, far, from, to, units, n,
                endMicros(), records, stepMicros(), openFrom(), openFrom(), open, n, OPEN_STATUSES.size(), n, REJECTED_ONE_IN);
    }

    /** The batches of {@link #BATCH} records that make the load, as {from, to} pairs. */
    List<long[]> batches() {
        List<long[]> batches = new ArrayList<>();
        for (long from = 1; from <= records; from += BATCH) {
            batches.add(new long[] {from, Math.min(records, from + BATCH - 1)});
        }
        return batches;
    }

    // ---- what the database must hold: the same arithmetic in Java ------------------------------------------------

    /** {@code ('x' || substr(md5(i::text), 1, 7))::bit(28)::int}: the first 28 bits of the md5 of the number. */
    static int hash(long i) {
        try {
            byte[] md5 = MessageDigest.getInstance("MD5").digest(Long.toString(i).getBytes(StandardCharsets.US_ASCII));
            return Integer.parseInt(HexFormat.of().formatHex(md5).substring(0, 7), 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    String communityOf(long i) {
        return communities.get((int) (i % communities.size()));
    }

    String statusOf(long i) {
        long perUnit = i / communities.size();
        if (i > openFrom()) {
            return OPEN_STATUSES.get((int) (perUnit % OPEN_STATUSES.size()));
        }
        return perUnit % REJECTED_ONE_IN == 0 ? "REJECTED" : "CLOSED";
    }

    static String categoryOf(long i) {
        int bucket = hash(i) % 100;
        int upTo = 0;
        for (Share s : CATEGORIES) {
            upTo += s.percent();
            if (bucket < upTo) {
                return s.value();
            }
        }
        throw new IllegalStateException("category shares add up to less than 100%");
    }

    /** How many of the loaded records must be in each status. */
    Map<String, Long> expectedStatuses() {
        Map<String, Long> counts = new TreeMap<>();
        for (long i = 1; i <= records; i++) {
            counts.merge(statusOf(i), 1L, Long::sum);
        }
        return counts;
    }

    /** How many of the loaded records must be of each category. */
    Map<String, Long> expectedCategories() {
        Map<String, Long> counts = new TreeMap<>();
        for (long i = 1; i <= records; i++) {
            counts.merge(categoryOf(i), 1L, Long::sum);
        }
        return counts;
    }

    // ---- the load -------------------------------------------------------------------------------------------------

    /** What the load did and how long each part took; {@code committedNanos}: when it committed (System.nanoTime). */
    record Result(long firstSeq, long lastSeq, long records, Duration insert, Duration vacuum, int vacuums,
                  double allVisible, Map<String, Long> statuses, long committedNanos) {

        Duration total() {
            return insert.plus(vacuum);
        }
    }

    /**
     * Loads into the community node's database over {@code c} (autocommit on, as a fresh connection is), checks
     * what it holds against the arithmetic above and that none of it is overdue, then vacuums and analyzes.
     */
    Result load(Connection c, Consumer<String> say) throws SQLException {
        long started = System.nanoTime();
        long before;
        try (Statement s = c.createStatement()) {
            // a load, not an intake: its one commit need not wait for the disk; big sorts stay in memory
            s.execute("set synchronous_commit = off");
            s.execute("set work_mem = '256MB'");
            s.execute("set maintenance_work_mem = '512MB'");
        }
        c.setAutoCommit(false);
        try {
            before = single(c, "select coalesce(max(seq), 0) from case_record");
            for (long[] b : batches()) {
                long batchStart = System.nanoTime();
                long seqBefore = single(c, "select coalesce(max(seq), 0) from case_record");
                int cases;
                try (Statement s = c.createStatement()) {
                    cases = s.executeUpdate(caseBatch(b[0], b[1]));
                }
                int entries;
                try (PreparedStatement p = c.prepareStatement(TIMELINE)) {
                    p.setLong(1, seqBefore);
                    p.setLong(2, seqBefore);
                    entries = p.executeUpdate();
                }
                if (cases != b[1] - b[0] + 1 || entries < cases || entries > 2 * cases) {
                    throw new IllegalStateException("records " + b[0] + ".." + b[1] + ": inserted " + cases
                            + " cases and " + entries + " timeline entries");
                }
                say.accept("bulk load: records " + b[0] + ".." + b[1] + " and their " + entries + " timeline entries in "
                        + seconds(System.nanoTime() - batchStart));
            }
            Map<String, Long> statuses = grouped(c, "select status, count(*) from case_record where seq > " + before
                    + " and description = '" + MARKER + "' group by 1");
            Map<String, Long> categories = grouped(c, "select category_code, count(*) from case_record where seq > "
                    + before + " and description = '" + MARKER + "' group by 1");
            Map<String, Long> meantStatuses = expectedStatuses();
            Map<String, Long> meantCategories = expectedCategories();
            if (!statuses.equals(meantStatuses) || !categories.equals(meantCategories)) {
                throw new IllegalStateException("the loaded records are not what BulkLoad meant: statuses " + statuses
                        + " (meant " + meantStatuses + "), categories " + categories + " (meant " + meantCategories
                        + ")");
            }
            long overdue = countAt(c, "select count(*) from case_record where seq > " + before + " and "
                    + QueryPlans.OVERDUE, Instant.now());
            if (overdue != 0) {
                throw new IllegalStateException(overdue + " loaded records are overdue; the overdue scan would tell the"
                        + " units above of each");
            }
            c.commit();
            long committed = System.nanoTime();
            Duration insert = Duration.ofNanos(System.nanoTime() - started);
            long last = single(c, "select max(seq) from case_record where description = '" + MARKER + "'");
            c.setAutoCommit(true);
            say.accept("bulk load: committed in " + seconds(insert.toNanos()) + "; vacuum (analyze) ...");
            long vacuumStart = System.nanoTime();
            int vacuums = 0;
            double allVisible;
            try (Statement s = c.createStatement()) {
                while (true) {
                    s.execute("vacuum (analyze) case_record, timeline_entry");
                    vacuums++;
                    allVisible = allVisible(c);
                    if (allVisible >= SETTLED || vacuums == VACUUMS) {
                        break;
                    }
                    // a statement that began before the commit (the node's roll-ups read the table meanwhile) keeps
                    // the loaded rows from being visible to all, and their pages out of the visibility map: the
                    // reads would then meet index-only scans that read the table after all
                    pause(Duration.ofSeconds(1));
                }
            }
            Duration vacuum = Duration.ofNanos(System.nanoTime() - vacuumStart);
            say.accept("bulk load: vacuum (analyze) in " + seconds(vacuum.toNanos()) + " (" + vacuums + "×), "
                    + Math.round(allVisible * 100) + "% of case_record's pages all-visible");
            return new Result(before + 1, last, records, insert, vacuum, vacuums, allVisible, statuses, committed);
        } catch (SQLException | RuntimeException e) {
            if (!c.getAutoCommit()) {
                c.rollback();
            }
            throw e;
        }
    }

    /** The share of case_record's pages the visibility map has as all-visible (as the last vacuum left them). */
    private static double allVisible(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select relallvisible::float8"
                + " / greatest(relpages, 1) from pg_class where relname = 'case_record'")) {
            rs.next();
            return rs.getDouble(1);
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to vacuum the load again", e);
        }
    }

    private static long single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A count whose SQL says {@code :now} (the kernel's clock conditions), as of {@code now}. */
    private static long countAt(Connection c, String sql, Instant now) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql.replace(":now", "?"))) {
            int params = p.getParameterMetaData().getParameterCount();
            for (int k = 1; k <= params; k++) {
                p.setObject(k, now.atOffset(java.time.ZoneOffset.UTC));
            }
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Map<String, Long> grouped(Connection c, String sql) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        }
        return counts;
    }

    static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    private static void check(Pattern pattern, String value, String what) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new IllegalArgumentException("not a plain " + what + ": " + value);
        }
    }
}
