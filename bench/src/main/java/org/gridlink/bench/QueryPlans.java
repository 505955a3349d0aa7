package org.gridlink.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The query plans of what a node holding a million records runs, taken with {@code explain (analyze, buffers)} on
 * the loaded database: the queue's pages and the case page (what the read scenario measures over HTTP), the filters
 * a supervisor may add (a status, a category, overdue only), and what the node runs by itself on a timer over all
 * its records (the overdue scan, every 60 s, and the roll-up, per unit at least every 30 s). The SQL is the kernel's
 * ({@code CaseStore}, {@code RollupCalculator}) as it stands, copied: {@code QueryPlansTest} holds the copied
 * conditions to {@code CaseStore}'s own. The plans go to a file beside the results; the results' notes list each
 * query's execution time and its scan.
 */
final class QueryPlans {

    /** {@code CaseStore}'s columns of a record. */
    static final String COLUMNS = "seq, unit_code, case_id, status, origin, category_code, title, description, lat, lon,"
            + " address, grid_code, source, reporter, reported_at, escalated_from, escalated_to, dispatched_by,"
            + " dispatched_to, resolution, due_at, created_at, updated_at, clock_from, accept_due_at, assignee,"
            + " pending_kind, pending_from, pending_decider, pending_by, pending_reason, pending_note, pending_until,"
            + " pending_at, bounces, extensions, recategorisations, supervisions, leader_supervised, parked_until,"
            + " verify_from, verify_due_at";
    static final String ACCEPTANCE_RUNS = "(status = 'REPORTED' or (status = 'DISPATCHED' and assignee is not null))";
    static final String HANDLING_RUNS = "(status in ('ACCEPTED', 'IN_PROGRESS', 'REWORK', 'RETURNED', 'REOPENED')"
            + " or (status = 'DISPATCHED' and assignee is null))";
    static final String VERIFICATION_RUNS = "(status = 'RESOLVED' and (dispatched_to is not null or dispatched_by is null))";
    static final String NOT_PARKED = "(parked_until is null or parked_until <= :now)";
    static final String ACCEPTANCE_OVERDUE = "(" + ACCEPTANCE_RUNS + " and coalesce(accept_due_at, due_at) < :now and "
            + NOT_PARKED + ")";
    static final String CLOCK_MAY_RUN = "status in ('REPORTED', 'DISPATCHED', 'ACCEPTED', 'IN_PROGRESS', 'REWORK',"
            + " 'RETURNED', 'REOPENED', 'RESOLVED')";
    static final String HANDLING_OVERDUE = "(" + HANDLING_RUNS + " and due_at < :now and " + NOT_PARKED + ")";
    static final String VERIFICATION_OVERDUE = "(" + VERIFICATION_RUNS + " and verify_due_at < :now and "
            + NOT_PARKED + ")";
    static final String OVERDUE = "(" + ACCEPTANCE_OVERDUE + " or " + HANDLING_OVERDUE + " or "
            + VERIFICATION_OVERDUE + ")";
    /** Where a search's word is looked for, as CaseStore has it (QueryPlansTest checks). */
    static final String SEARCHED = "lower(title || ' ' || coalesce(description, '') || ' ' || coalesce(address, ''))";
    /** A case page's read, as CaseStore has it (QueryPlansTest checks). */
    static final String RECORD_WITH_TIMELINE = "select " + Arrays.stream(COLUMNS.split(","))
            .map(c -> "r." + c.strip()).collect(Collectors.joining(", ")) + ", t.entry_id as t_entry_id,"
            + " t.at as t_at, t.entry_unit as t_entry_unit, t.actor as t_actor, t.action as t_action,"
            + " t.from_status as t_from_status, t.to_status as t_to_status, t.note as t_note"
            + " from case_record r left join timeline_entry t on t.unit_code = r.unit_code and t.case_id = r.case_id"
            + " where r.unit_code = :unit and r.case_id = :id order by t.at, t.seq";
    // the overdue scan's queries, as CaseStore has them (QueryPlansTest checks)
    static final String NEWLY_OVERDUE = "select " + COLUMNS + " from case_record where"
            + " (" + ACCEPTANCE_OVERDUE + " and accept_overdue_at is null)"
            + " or (" + HANDLING_OVERDUE + " and handling_overdue_at is null)"
            + " or (" + VERIFICATION_OVERDUE + " and verify_overdue_at is null)"
            + " order by due_at limit :limit for update skip locked";
    static final String NO_LONGER_OVERDUE = "select " + COLUMNS + ", accept_overdue_at is not null and not coalesce("
            + ACCEPTANCE_OVERDUE + ", false) as accept_cleared, handling_overdue_at is not null and not coalesce("
            + HANDLING_OVERDUE + ", false) as handling_cleared, verify_overdue_at is not null and not coalesce("
            + VERIFICATION_OVERDUE + ", false) as verify_cleared from case_record where"
            + " (accept_overdue_at is not null and not coalesce(" + ACCEPTANCE_OVERDUE + ", false))"
            + " or (handling_overdue_at is not null and not coalesce(" + HANDLING_OVERDUE + ", false))"
            + " or (verify_overdue_at is not null and not coalesce(" + VERIFICATION_OVERDUE + ", false))"
            + " order by seq limit :limit for update skip locked";
    static final String OVERDUE_TO_ESCALATE = "select " + COLUMNS + " from case_record where ("
            + ACCEPTANCE_OVERDUE + " or " + HANDLING_OVERDUE + ") and category_code in (:categories)"
            + " order by coalesce(accept_due_at, due_at) limit :limit for update skip locked";
    /** The roll-up's figures now, as RollupCalculator has them (QueryPlansTest checks). */
    static final String ROLLUP_NOW = "select r.unit_code as unit, 'held' as kind, r.status as status, count(*) as n"
            + " from case_record r where r.unit_code = any(:nowUnits) and r.status in ('CLOSED', 'REJECTED')"
            + " and r.closed_here group by 1, 3"
            + " union all select r.unit_code, 'held', r.status, count(*) from case_record r"
            + " where r.unit_code = any(:nowUnits) and r.status in ('REPORTED', 'ACCEPTED', 'DISPATCHED', 'IN_PROGRESS',"
            + " 'RESOLVED', 'VERIFIED', 'REWORK', 'RETURNED', 'REOPENED', 'UNKNOWN') and r.dispatched_to is null"
            + " group by 1, 3"
            + " union all select r.unit_code, 'overdue', null, count(*) from case_record r"
            + " where r.unit_code = any(:nowUnits) and " + OVERDUE + " group by 1"
            + " union all select r.unit_code, 'parked', null, count(*) from case_record r"
            + " where r.unit_code = any(:nowUnits) and r.parked_until > :now and r.status in ('REPORTED', 'ACCEPTED',"
            + " 'DISPATCHED', 'IN_PROGRESS', 'RESOLVED', 'VERIFIED', 'REWORK', 'RETURNED', 'REOPENED', 'UNKNOWN')"
            + " and r.dispatched_to is null group by 1";
    /** One unit's entries from its {@code since} on, as RollupCalculator reads them. */
    private static final String ROLLUP_ENTRIES = " unnest(cast(:units as text[]), cast(:sinces as timestamptz[]))"
            + " u(code, since) join timeline_entry e on e.unit_code = u.code and e.at >= u.since"
            + " and e.unit_code = any(:units) and e.at >= :from ";
    /** A unit's actions per day, as RollupCalculator has them for whole units (QueryPlansTest checks). */
    static final String ROLLUP_ACTIONS = """
            select e.unit_code as unit, (e.at at time zone :zone)::date as day, e.at < :split as settled,
                   e.action as action, count(*) as n
            from""" + ROLLUP_ENTRIES + """
            where e.entry_unit = e.unit_code group by 1, 2, 3, 4""";
    /** A unit's reports by category and source, as RollupCalculator has them for whole units (QueryPlansTest checks). */
    static final String ROLLUP_REPORTS = """
            select e.unit_code as unit, (e.at at time zone :zone)::date as day, e.at < :split as settled,
                   r.category_code as category, coalesce(r.source, 'UNKNOWN') as source, count(*) as n,
                   count(*) filter (where case when r.source = any(:hotline)
                       then exists (select 1 from timeline_entry a
                           where a.unit_code = e.unit_code and a.case_id = e.case_id
                             and a.entry_unit = e.unit_code and a.action = 'ACCEPT'
                             and (r.accept_due_at is null or a.at <= r.accept_due_at)) end) as responded
            from""" + ROLLUP_ENTRIES + "join case_record r on r.unit_code = e.unit_code and r.case_id = e.case_id " + """
            where e.entry_unit = e.unit_code and e.action = 'REPORT' group by 1, 2, 3, 4, 5""";
    /** The nodes' hotline sources ({@code gridlink.stats.hotline-sources}), their default. */
    static final List<String> HOTLINE_SOURCES = List.of("HOTLINE_12345");

    /** The sample city's categories with an auto-escalation grace period (the overdue scan's third query). */
    static final List<String> AUTO_ESCALATING = List.of("UNLICENSED_WORKSHOP", "ILLEGAL_HAZMAT_PRODUCTION",
            "ILLEGAL_CONSTRUCTION", "UNSAFE_BUILDING", "FIRE_HAZARD");
    /** The nodes' stats zone and window ({@code gridlink.stats.zone}, {@code window-days}), their defaults. */
    static final ZoneId STATS_ZONE = ZoneId.of("Asia/Shanghai");
    static final int WINDOW_DAYS = 400;

    /** A named parameter, {@code :name} (group 1: the name), not a cast ({@code ::date}). */
    private static final Pattern NAMED = Pattern.compile("(?<!:):(?!:)([a-z]+)");
    private static final Pattern EXECUTION = Pattern.compile("Execution Time: ([\\d.]+) ms");
    private static final Pattern SCAN = Pattern.compile("((?:Parallel )?(?:Index Only Scan|Index Scan Backward|Index Scan"
            + "|Bitmap Heap Scan|Bitmap Index Scan|Seq Scan)(?: using \\S+)? on \\S+)");

    /** One query: named as the results name it, SQL with {@code :name} parameters bound in order of appearance. */
    record Query(String name, String sql, List<Object> params) {
    }

    /** A query's plan as PostgreSQL ran it. */
    record Plan(Query query, List<String> lines) {

        double executionMillis() {
            return QueryPlans.executionMillis(lines);
        }

        /** The scans of the plan, outermost first, de-duplicated: how it found its rows. */
        List<String> scans() {
            return QueryPlans.scans(lines);
        }
    }

    private QueryPlans() {
    }

    /**
     * The queries, for {@code unit} (a loaded community), a keyset cursor deep in its queue, one of its cases and
     * {@code rareCategory} (a category none of its records has: the filter read the unit's whole queue until kernel
     * V19's index by category).
     */
    static List<Query> queries(String unit, long deepCursor, UUID caseId, String rareCategory, Instant now) {
        Object at = now.atOffset(ZoneOffset.UTC);
        Object since = LocalDate.ofInstant(now, STATS_ZONE).minusDays(WINDOW_DAYS - 1L).atStartOfDay(STATS_ZONE)
                .toOffsetDateTime();
        Object today = LocalDate.ofInstant(now, STATS_ZONE).atStartOfDay(STATS_ZONE).toOffsetDateTime();
        String page = "select " + COLUMNS + " from case_record where unit_code = :unit";
        String overdue = OVERDUE;
        List<Query> q = new ArrayList<>();
        q.add(new Query("queue: first page", page + " order by seq desc limit 21", List.of(unit)));
        q.add(new Query("queue: a keyset page deep down", page + " and seq < :after order by seq desc limit 21",
                List.of(unit, deepCursor)));
        q.add(new Query("queue: status=REPORTED", page + " and status = :status order by seq desc limit 21",
                List.of(unit, "REPORTED")));
        q.add(new Query("queue: category=" + rareCategory + " (no record has it)",
                page + " and category_code = :category order by seq desc limit 21", List.of(unit, rareCategory)));
        q.add(new Query("queue: overdue=true (no record is)", page + " and " + CLOCK_MAY_RUN + " and " + overdue
                + " order by seq desc limit 21", repeat(List.of(unit), at, count(overdue))));
        // a search (检索, q=): not indexed; a word in every record costs a page, one in none the unit's whole queue
        String searched = page + " and (strpos(" + SEARCHED + ", lower(:word)) > 0) order by seq desc limit 21";
        q.add(new Query("queue: q=bulk (a search every record matches)", searched, List.of(unit, "bulk")));
        q.add(new Query("queue: q=井盖 (a search no record matches: the unit's whole queue read)", searched,
                List.of(unit, "井盖")));
        q.add(new Query("case page: the record with its timeline", RECORD_WITH_TIMELINE, List.of(unit, caseId)));
        String newly = NEWLY_OVERDUE.replace(":limit", "200");
        q.add(new Query("overdue scan (60 s): newly overdue", newly, repeat(List.of(), at, count(newly))));
        String cleared = NO_LONGER_OVERDUE.replace(":limit", "200");
        q.add(new Query("overdue scan (60 s): no longer overdue", cleared, repeat(List.of(), at, count(cleared))));
        String escalate = OVERDUE_TO_ESCALATE.replace(":limit", "200").replace(":categories",
                String.join(", ", AUTO_ESCALATING.stream().map(c -> "'" + c + "'").toList()));
        q.add(new Query("overdue scan (60 s): auto-escalation", escalate, repeat(List.of(), at, count(escalate))));
        // a unit's whole window, and a round's usual (from today), with the node's own statements and bindings
        Map<String, Object> wholeWindow = rollupParameters(unit, since, at);
        Map<String, Object> fromToday = rollupParameters(unit, today, at);
        q.add(new Query("roll-up, whole window (per unit, ≥ every 5 min): actions per day", ROLLUP_ACTIONS,
                inOrder(ROLLUP_ACTIONS, wholeWindow)));
        q.add(new Query("roll-up from today (each round's usual; V8's index): actions per day", ROLLUP_ACTIONS,
                inOrder(ROLLUP_ACTIONS, fromToday)));
        q.add(new Query("roll-up, whole window (per unit, ≥ every 5 min): reports by category and source",
                ROLLUP_REPORTS, inOrder(ROLLUP_REPORTS, wholeWindow)));
        String figuresNow = ROLLUP_NOW.replace(":nowUnits", "array[:unit]::text[]");
        q.add(new Query("roll-up (per unit, each round): status now", figuresNow,
                inOrder(figuresNow, Map.of("unit", unit, "now", at))));
        return q;
    }

    /** What the roll-up's statements are bound to for {@code unit}'s figures from {@code since}, split at {@code now}. */
    private static Map<String, Object> rollupParameters(String unit, Object since, Object now) {
        return Map.of("units", new String[] {unit}, "sinces", new String[] {since.toString()}, "from", since,
                "zone", STATS_ZONE.getId(), "split", now, "hotline", HOTLINE_SOURCES.toArray(String[]::new));
    }

    /** Runs each query under {@code explain (analyze, buffers)}, in a transaction rolled back after it. */
    static List<Plan> explain(Connection c, List<Query> queries) throws SQLException {
        List<Plan> plans = new ArrayList<>();
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            for (Query q : queries) {
                List<String> lines = new ArrayList<>();
                try (PreparedStatement p = c.prepareStatement("explain (analyze, buffers) "
                        + parameters(q.sql()))) {
                    for (int i = 0; i < q.params().size(); i++) {
                        p.setObject(i + 1, q.params().get(i));
                    }
                    try (ResultSet rs = p.executeQuery()) {
                        while (rs.next()) {
                            lines.add(rs.getString(1));
                        }
                    }
                } finally {
                    c.rollback(); // the overdue scan's queries lock what they find
                }
                plans.add(new Plan(q, lines));
            }
        } finally {
            c.setAutoCommit(autoCommit);
        }
        return plans;
    }

    /** A query's parameters as the plans show them: an array's elements, not its identity. */
    static String shown(List<Object> params) {
        return params.stream().map(v -> v instanceof Object[] array ? Arrays.toString(array) : String.valueOf(v))
                .collect(Collectors.joining(", ", "[", "]"));
    }

    /** The plans as Markdown: each query, its SQL on one line, its plan. */
    static void write(Path file, String title, List<Plan> plans) throws IOException {
        StringBuilder b = new StringBuilder("# ").append(title).append("\n\n");
        for (Plan p : plans) {
            b.append("## ").append(p.query().name()).append(" — ")
                    .append(String.format(Locale.ROOT, "%.3f ms", p.executionMillis())).append("\n\n```sql\n")
                    .append(p.query().sql().replaceAll("\\s*\\n\\s*", " ").trim()).append("\n```\n\nparameters: ")
                    .append(shown(p.query().params())).append("\n\n```\n");
            p.lines().forEach(l -> b.append(l).append('\n'));
            b.append("```\n\n");
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
    }

    /** One line per plan for the results' notes: name, execution time, scans. */
    static String summary(List<Plan> plans) {
        List<String> parts = new ArrayList<>();
        for (Plan p : plans) {
            parts.add(p.query().name() + " " + String.format(Locale.ROOT, "%.2f ms", p.executionMillis()) + " ("
                    + String.join(", ", p.scans()) + ")");
        }
        return String.join("; ", parts);
    }

    /** {@code Execution Time: 1.234 ms} of an {@code explain analyze}; NaN when it has none. */
    static double executionMillis(List<String> lines) {
        for (String l : lines) {
            Matcher m = EXECUTION.matcher(l);
            if (m.find()) {
                return Double.parseDouble(m.group(1));
            }
        }
        return Double.NaN;
    }

    static List<String> scans(List<String> lines) {
        List<String> scans = new ArrayList<>();
        for (String l : lines) {
            Matcher m = SCAN.matcher(l);
            if (m.find() && !scans.contains(m.group(1))) {
                scans.add(m.group(1));
            }
        }
        return scans;
    }

    /** The first plan whose name starts so. */
    static Optional<Plan> named(List<Plan> plans, String prefix) {
        return plans.stream().filter(p -> p.query().name().startsWith(prefix)).findFirst();
    }

    /** The SQL with each {@code :name} parameter as JDBC's {@code ?}; casts ({@code ::date}) stay. */
    static String parameters(String sql) {
        return NAMED.matcher(sql).replaceAll("?");
    }

    /** The values of a query's named parameters, in the order they appear in it. */
    static List<Object> inOrder(String sql, Map<String, Object> values) {
        List<Object> params = new ArrayList<>();
        Matcher m = NAMED.matcher(sql);
        while (m.find()) {
            Object value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("no value for :" + m.group(1));
            }
            params.add(value);
        }
        return params;
    }

    private static int count(String sql) {
        Matcher m = Pattern.compile(":now").matcher(sql);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static List<Object> repeat(List<Object> first, Object value, int times) {
        List<Object> params = new ArrayList<>(first);
        for (int i = 0; i < times; i++) {
            params.add(value);
        }
        return params;
    }
}
