package org.gridlink.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.gridlink.bench.driver.Formats;

/**
 * How many SQL statements each node ran during a measurement, from PostgreSQL's own pg_stat_statements (loaded by
 * the platform's server; the view is created in the {@code postgres} database and sees every database): with the
 * number of cases, the statements each case cost at each tier, and the statements that cost the most calls. A node's
 * CPU goes mostly to the work each statement drives (the driver, the reactive chain), so this is the count to bring
 * down.
 */
final class StatementCounts {

    /** Marks the benchmark's own statements (a comment PostgreSQL keeps in the text), which are not counted. */
    static final String BENCH = "gridlink-bench";

    /** One normalised statement of one database: how often it ran and its total execution time in PostgreSQL. */
    record Entry(String database, long calls, double totalMillis, String query) {
    }

    private StatementCounts() {
    }

    /** Creates the view if needed and forgets what was counted so far. */
    static void reset(Connection postgres) throws SQLException {
        try (Statement s = postgres.createStatement()) {
            s.execute("create extension if not exists pg_stat_statements");
            s.execute("select pg_stat_statements_reset()");
        }
    }

    /** What was counted since the reset, for the databases whose names start with {@code prefix}. */
    static List<Entry> read(Connection postgres, String prefix) throws SQLException {
        List<Entry> entries = new ArrayList<>();
        try (PreparedStatement s = postgres.prepareStatement("select d.datname, s.calls, s.total_exec_time, s.query"
                + " from pg_stat_statements s join pg_database d on d.oid = s.dbid"
                + " where starts_with(d.datname, ?) and strpos(s.query, ?) = 0")) {
            s.setString(1, prefix);
            s.setString(2, BENCH);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    entries.add(new Entry(rs.getString(1), rs.getLong(2), rs.getDouble(3), rs.getString(4)));
                }
            }
        }
        return entries;
    }

    /**
     * Per database, in the given order: statements per case, and the {@code top} statements by calls with their calls
     * per case (BEGIN and COMMIT included: each is a round trip).
     */
    static String perCase(List<Entry> entries, List<String> databases, long cases, int top) {
        return perDatabase(entries, databases, top, Comparator.comparingLong(Entry::calls),
                own -> Formats.number(own.stream().mapToLong(Entry::calls).sum() / (double) cases)
                        + " statements per case (" + Formats.number(own.stream().mapToDouble(Entry::totalMillis).sum()
                        / cases) + " ms in PostgreSQL)",
                e -> Formats.number(e.calls() / (double) cases) + "× `" + shorten(e.query()) + "`");
    }

    /**
     * Per database, in the given order: the time its statements took in PostgreSQL per second of the measurement, and
     * the {@code top} statements by that time, each with its calls per second and its first words (enough to tell
     * the roll-up's queries apart).
     */
    static String mostTime(List<Entry> entries, List<String> databases, double seconds, int top) {
        return perDatabase(entries, databases, top, Comparator.comparingDouble(Entry::totalMillis),
                own -> Formats.number(own.stream().mapToDouble(Entry::totalMillis).sum() / seconds) + " ms per s",
                e -> Formats.number(e.totalMillis() / seconds) + " ms/s in " + Formats.number(e.calls() / seconds)
                        + " calls/s `" + cut(e.query().replaceAll("\\s+", " ").trim(), 110) + "`");
    }

    /** "db: total, most: top1, top2; db2: …", the {@code top} of each database's statements by {@code order}, largest first. */
    private static String perDatabase(List<Entry> entries, List<String> databases, int top, Comparator<Entry> order,
                                      java.util.function.Function<List<Entry>, String> total,
                                      java.util.function.Function<Entry, String> each) {
        Map<String, List<Entry>> byDatabase = entries.stream()
                .collect(Collectors.groupingBy(Entry::database, LinkedHashMap::new, Collectors.toList()));
        List<String> parts = new ArrayList<>();
        for (String db : databases) {
            List<Entry> own = byDatabase.getOrDefault(db, List.of());
            List<String> most = own.stream().sorted(order.reversed()).limit(top).map(each).toList();
            parts.add(db + ": " + total.apply(own) + (most.isEmpty() ? "" : ", most: " + String.join(", ", most)));
        }
        return String.join("; ", parts);
    }

    /** A statement's first words, enough to tell it: {@code insert into outbox …}, {@code select … from case_record …}. */
    static String shorten(String query) {
        String q = query.replaceAll("\\s+", " ").trim();
        String lower = q.toLowerCase(java.util.Locale.ROOT);
        int from = lower.indexOf(" from ");
        if (lower.startsWith("select") && from > 0) {
            String rest = q.substring(from + 1);
            return "select … " + cut(rest, 56);
        }
        return cut(q, 48);
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + " …";
    }
}
