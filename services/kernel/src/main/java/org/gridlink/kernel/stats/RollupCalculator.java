package org.gridlink.kernel.stats;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import io.r2dbc.spi.Readable;
import org.gridlink.kernel.cases.CaseStatus;
import org.gridlink.kernel.cases.TimelineEntry;
import org.gridlink.kernel.cases.persistence.CaseStore;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Computes a unit's own roll-up from this node's own tables ({@code case_record}, {@code timeline_entry}): only
 * entries the unit made itself ({@code entry_unit = unit_code}) count, so the copies of other units' entries that
 * travel along a case's chain are never counted twice. Optionally for one grid cell of a community.
 */
public class RollupCalculator {

    /** How the state machine's RECEIVE entry of a dispatch and its DISPATCH entry to an officer begin. */
    static final String RECEIVED_DISPATCH_NOTE = "dispatched by ";
    static final String OFFICER_DISPATCH_NOTE = "to officer ";

    /** Each unit's code and the time from which its figures are computed (bound as {@code :units}, {@code :sinces}). */
    private static final String SINCE =
            " unnest(cast(:units as text[]), cast(:sinces as timestamptz[])) u(code, since) ";
    /**
     * Each unit's timeline entries from its {@code since} on, as {@code e}: by {@code timeline_entry_unit_at}, which
     * carries each entry's unit, action and case (kernel V13), so that a query reading no other column of an entry
     * ({@link #ACTIONS}; {@link #REPORTS} until it joins the record) reads the index alone.
     */
    private static final String ENTRIES = entries("e");

    /** The statuses of a record its unit may hold without having made them final: all but escalated and final. */
    private static final String OPEN = Arrays.stream(CaseStatus.values())
            .filter(st -> st != CaseStatus.ESCALATED && !st.isTerminal())
            .map(st -> "'" + st.name() + "'").collect(Collectors.joining(", ", "(", ")"));

    /**
     * The figures now of the units {@code :nowUnits} (docs/stats.md), a row per unit and {@code kind}: {@code held}
     * per {@code status}, the records the unit holds (each case at one unit: not escalated, not dispatched to a child
     * unit, a record dispatched to one of its own department officers being the unit's, and a final one only where the
     * unit made it final, kernel V12's {@code closed_here}); {@code overdue}, its records whose running clock has run
     * out (a parked record is not, until its review date); {@code parked}, those parked that it holds. One arm per
     * figure, each read by its own index (the final records by V12's {@code case_record_held_final}, index only; the
     * open ones by {@code case_record_queue_status}, index only since V13 put {@code dispatched_to} in it; the overdue
     * by V11's clocks; the parked by V4's). Before V12 this was one pass over all the units' records that looked up
     * each final record's closing entry: 6.3 s for the 18 communities of issue 8's million records, against 0.15 s for
     * this on a copy of that database.
     * {@code gridFilter} is a condition on {@code r}, or a blank.
     */
    static String now(String gridFilter) {
        return "select r.unit_code as unit, 'held' as kind, r.status as status, count(*) as n from case_record r"
                + " where r.unit_code = any(:nowUnits) and r.status in ('CLOSED', 'REJECTED') and r.closed_here"
                + gridFilter + "group by 1, 3"
                + " union all select r.unit_code, 'held', r.status, count(*) from case_record r"
                + " where r.unit_code = any(:nowUnits) and r.status in " + OPEN + " and r.dispatched_to is null"
                + gridFilter + "group by 1, 3"
                + " union all select r.unit_code, 'overdue', null, count(*) from case_record r"
                + " where r.unit_code = any(:nowUnits) and " + CaseStore.OVERDUE + gridFilter + "group by 1"
                + " union all select r.unit_code, 'parked', null, count(*) from case_record r"
                + " where r.unit_code = any(:nowUnits) and r.parked_until > :now and r.status in " + OPEN
                + " and r.dispatched_to is null" + gridFilter + "group by 1";
    }

    /**
     * One counter per timeline action each unit made, per day, from its {@code since} on ({@code inCell}: the join of
     * each entry's record for a grid cell's figures, or nothing).
     */
    static String actions(String inCell) {
        return """
                select e.unit_code as unit, (e.at at time zone :zone)::date as day, e.at < :split as settled,
                       e.action as action, count(*) as n
                from""" + ENTRIES + inCell + """
                where e.entry_unit = e.unit_code group by 1, 2, 3, 4""";
    }

    /** {@link #actions} for whole units: what a unit's whole computation runs (the bench explains it). */
    public static final String ACTIONS = actions("");

    /**
     * Each unit's reports per day by category and source, and of the hotline's those it accepted in time ({@code
     * record}: the join of each entry's record, {@code r}, of the grid cell when the figures are a cell's).
     */
    static String reports(String record) {
        return """
                select e.unit_code as unit, (e.at at time zone :zone)::date as day, e.at < :split as settled,
                       r.category_code as category, coalesce(r.source, 'UNKNOWN') as source, count(*) as n,
                       count(*) filter (where case when r.source = any(:hotline)
                           then exists (select 1 from timeline_entry a
                               where a.unit_code = e.unit_code and a.case_id = e.case_id
                                 and a.entry_unit = e.unit_code and a.action = 'ACCEPT'
                                 and (r.accept_due_at is null or a.at <= r.accept_due_at)) end) as responded
                from""" + ENTRIES + record + """
                where e.entry_unit = e.unit_code and e.action = 'REPORT' group by 1, 2, 3, 4, 5""";
    }

    /** {@link #reports} for whole units (the bench explains it). */
    public static final String REPORTS = reports("join case_record r on r.unit_code = e.unit_code"
            + " and r.case_id = e.case_id ");

    /** {@link #firstOfChanged}'s query. */
    public static final String CHANGED = """
            select min(f.at) as first_at
            from (select case_id from timeline_entry where seq > :seen and unit_code = :unit
                  union
                  select t.case_id from unnest(cast(:from as bigint[]), cast(:to as bigint[])) g(a, b)
                  join timeline_entry t on t.seq between g.a and g.b and t.unit_code = :unit) n
            cross join lateral (select f.at from timeline_entry f where f.unit_code = :unit
                                and f.case_id = n.case_id order by f.at, f.seq limit 1) f""";

    /** {@link #now} for whole units. */
    public static final String NOW = now(" ");

    private final DatabaseClient db;
    private final List<TierFigures> tierFigures;
    private final StatsProperties props;

    public RollupCalculator(DatabaseClient db, StatsProperties props) {
        this(db, props, List.of());
    }

    public RollupCalculator(DatabaseClient db, StatsProperties props, List<TierFigures> tierFigures) {
        this.db = db;
        this.props = props;
        this.tierFigures = List.copyOf(tierFigures);
    }

    /** The unit's own figures, per day since {@code first} and now. */
    public Mono<UnitReport.Section> own(String unit, String grid, LocalDate first, Instant now) {
        Instant start = first.atStartOfDay(props.zone()).toInstant();
        return compute(Map.of(unit, start), grid, start, first, now, Set.of(unit))
                .map(all -> all.getOrDefault(unit, Own.NONE).section(Map.of(), first));
    }

    /**
     * The unit's (with {@code grid}: its grid cell's) counts per day since {@code first}, and of its figures now only
     * what its tier adds ({@link TierFigures#current}: a community's grid cells): what an assessment ranks by, without
     * the figures now of the records ({@link #now}), whose statuses it does not weigh and whose pass over a grid
     * cell's records reads each of the unit's final records in the table (0.5–0.7 s a cell at issue 8's 55 555
     * records a community).
     */
    public Mono<UnitReport.Section> days(String unit, String grid, LocalDate first, Instant now) {
        Instant start = first.atStartOfDay(props.zone()).toInstant();
        return compute(Map.of(unit, start), grid, start, first, now, Set.of()).map(all -> {
            TreeMap<String, Long> current = new TreeMap<>();
            tierFigures.forEach(f -> f.current(unit, grid).forEach((counter, n) -> current.merge(counter, n, Long::sum)));
            return all.getOrDefault(unit, Own.NONE).withCurrent(current).section(Map.of(), first);
        });
    }

    /**
     * The earliest first entry at the unit of the cases whose timeline at the unit has entries {@code seen} had not
     * seen: numbered after its last, or in one of its gaps (by the entries' identity column, {@code timeline_entry_seq};
     * each case's first entry by {@code timeline_entry_order}), or nothing when none has: how far back the unit's
     * figures can have changed since a computation that had seen those entries ({@link Rollups}, as the publisher's
     * look finds it for every unit).
     */
    public Mono<Optional<Instant>> firstOfChanged(String unit, TimelineSeen seen) {
        return db.sql(CHANGED).bind("seen", seen.last()).bind("unit", unit)
                .bind("from", seen.fromBound()).bind("to", seen.toBound())
                .map(row -> Optional.ofNullable(row.get("first_at", Instant.class))).one();
    }

    /**
     * What {@link #compute} found for one unit: the counts per day of what happened from its {@code since} (every
     * counter but {@code overdue}), split at the computation's {@code split}: {@code settled} before it, {@code days}
     * from it on (a day can have counts in both); the {@code overdue} counts per day of the whole window (a record's
     * overdue mark is cleared without a timeline entry when it stops being overdue, so its day cannot be told from the
     * entries: it is read whole, from the few records marked); and the counts now.
     */
    public record Own(Map<LocalDate, SortedMap<String, Long>> settled, Map<LocalDate, SortedMap<String, Long>> days,
                      Map<LocalDate, Long> overdue, SortedMap<String, Long> current) {

        static final Own NONE = new Own(Map.of(), Map.of(), Map.of(), new TreeMap<>());

        /** These counts with the counts now as computed earlier. */
        public Own withCurrent(SortedMap<String, Long> earlier) {
            return new Own(settled, days, overdue, earlier);
        }

        /**
         * The unit's section: {@code earlier} (counts per day of what happened before this computation's
         * {@code since}, without {@code overdue}) and this computation's counts added to them, with the overdue
         * counts, from {@code first} on.
         */
        public UnitReport.Section section(Map<LocalDate, SortedMap<String, Long>> earlier, LocalDate first) {
            TreeMap<LocalDate, SortedMap<String, Long>> all = new TreeMap<>();
            add(all, earlier);
            add(all, settled);
            add(all, days);
            overdue.forEach((d, n) -> put(all, d, "overdue", n));
            List<UnitReport.Day> list = new ArrayList<>();
            all.tailMap(first).forEach((d, counts) -> {
                if (!counts.isEmpty()) {
                    list.add(new UnitReport.Day(d, counts));
                }
            });
            return new UnitReport.Section(current, list);
        }
    }

    /** Adds every count of {@code more} to {@code all}. */
    static void add(Map<LocalDate, SortedMap<String, Long>> all, Map<LocalDate, SortedMap<String, Long>> more) {
        more.forEach((d, c) -> c.forEach((counter, n) -> put(all, d, counter, n)));
    }

    /**
     * The own figures of several units at once (each query reads them all: a round of roll-ups costs the same few
     * statements for one unit or for all the node serves): per day of what happened from each unit's {@code since}
     * on, split at {@code split} (before it {@link Own#settled}, from it on {@link Own#days}), except
     * {@code overdue}, which is read from {@code first} (the window's first day); and now, for the units of
     * {@code nowFor} ({@link #now}: the others' {@link Own#current} is empty). A unit with nothing to count is missing
     * from the answer, except a unit of {@code nowFor}: its {@code overdueNow} and {@code parkedNow} are zero.
     */
    public Mono<Map<String, Own>> compute(Map<String, Instant> since, String grid, Instant split, LocalDate first,
                                          Instant now, Set<String> nowFor) {
        Map<String, Map<LocalDate, SortedMap<String, Long>>> settled = new HashMap<>();
        Map<String, Map<LocalDate, SortedMap<String, Long>>> live = new HashMap<>();
        Map<String, Map<LocalDate, Long>> overdue = new HashMap<>();
        Map<String, SortedMap<String, Long>> current = new HashMap<>();
        List<String> units = List.copyOf(since.keySet());
        // a unit whose figures now are computed has them all, zero when nothing counts
        nowFor.forEach(u -> current.put(u, new TreeMap<>(Map.of("overdueNow", 0L, "parkedNow", 0L))));
        Query q = new Query(units.toArray(String[]::new), units.stream().map(u -> since.get(u).toString())
                .toArray(String[]::new), since.values().stream().min(Comparator.naturalOrder()).orElseThrow(),
                nowFor.toArray(String[]::new), grid, split, first, now);
        // the rows of a query grouped by unit, day and whether before the split ("settled")
        Counts days = (row, counter, n) -> put(Boolean.TRUE.equals(row.get("settled", Boolean.class)) ? settled : live,
                row, counter, n);
        String gridFilter = grid == null ? " " : " and r.grid_code = :grid "; // spaced: it joins two text blocks
        // an entry's record (as r), of the grid cell when the computation is for one
        Function<String, String> record = e -> "join case_record r on r.unit_code = " + e + ".unit_code"
                + " and r.case_id = " + e + ".case_id" + gridFilter;
        // the figures that need nothing of the record but its grid cell read it only for one
        Function<String, String> inCell = e -> grid == null ? "" : record.apply(e);
        Mono<Void> work = Flux.concat(
                // one counter per timeline action the unit made
                q.rows(actions(inCell.apply("e")), row -> {
                            String counter = Figures.ACTION_COUNTERS.get(row.get("action", String.class));
                            if (counter != null) {
                                days.put(row, counter, row.get("n", Long.class));
                            }
                        }),
                // REWORK that sent this unit's own handling back (the handler's record goes to REWORK), and the
                // reporter's NOT_FIXED verdicts made here (回访 reopens the case)
                q.rows("""
                        select e.unit_code as unit, (e.at at time zone :zone)::date as day, e.at < :split as settled,
                               count(*) as n
                        from""" + ENTRIES + inCell.apply("e") + """
                        where e.entry_unit = e.unit_code
                          and ((e.action = 'REWORK' and e.to_status = 'REWORK') or e.action = 'VERDICT_NOT_FIXED')
                        group by 1, 2, 3""", row -> days.put(row, "reworked", row.get("n", Long.class))),
                // the reporter's verdicts on hotline cases, made here (满意率)
                q.rows("""
                        select e.unit_code as unit, (e.at at time zone :zone)::date as day, e.at < :split as settled,
                               e.action as action, count(*) as n
                        from""" + ENTRIES + record.apply("e") + """
                        where e.entry_unit = e.unit_code
                          and e.action in ('VERDICT_SATISFIED', 'VERDICT_NOT_FIXED') and r.source = any(:hotline)
                        group by 1, 2, 3, 4""", row -> days.put(row,
                        "VERDICT_SATISFIED".equals(row.get("action", String.class)) ? "hotlineSatisfied" : "hotlineNotFixed",
                        row.get("n", Long.class))),
                // dispatches this unit's people got: from the unit above (RECEIVE of a dispatch) or to one of its
                // officers; auto-escalations (ESCALATE by the system once the grace period passed)
                q.rows("""
                        select e.unit_code as unit, (e.at at time zone :zone)::date as day, e.at < :split as settled,
                               count(*) filter (where (e.action = 'RECEIVE' and e.note like :receivedDispatch)
                                                   or (e.action = 'DISPATCH' and e.note like :officerDispatch)) as dispatches,
                               count(*) filter (where e.action = 'ESCALATE' and e.actor = :system) as auto
                        from""" + ENTRIES + inCell.apply("e") + """
                        where e.entry_unit = e.unit_code and e.action in ('RECEIVE', 'DISPATCH', 'ESCALATE')
                        group by 1, 2, 3""", row -> {
                            days.put(row, "receivedDispatches", row.get("dispatches", Long.class));
                            days.put(row, "autoEscalations", row.get("auto", Long.class));
                        }),
                // decisions on requests, at the unit that asked: the latest request of the decision's kind before it
                // in the record is this unit's own entry (docs/stats.md)
                q.rows("""
                        select d.unit_code as unit, (d.at at time zone :zone)::date as day, d.at < :split as settled,
                               d.action as action, count(*) as n
                        from""" + entries("d") + inCell.apply("d") + """
                        where d.action in (:decisions)
                          and (select q.entry_unit from timeline_entry q
                               where q.unit_code = d.unit_code and q.case_id = d.case_id
                                 and q.action = case when d.action like 'RETURN%' then 'RETURN_REQUEST'
                                                     when d.action like 'EXTENSION%' then 'EXTEND_REQUEST'
                                                     else 'PARK_REQUEST' end
                                 and (q.at, q.seq) < (d.at, d.seq)
                               order by q.at desc, q.seq desc limit 1) = d.unit_code
                        group by 1, 2, 3, 4""", row -> {
                            String counter = Figures.DECISION_COUNTERS.get(row.get("action", String.class));
                            if (counter != null) {
                                days.put(row, counter, row.get("n", Long.class));
                            }
                        }),
                // reports by category and source, proactive and hotline shares, hotline responses in time
                q.rows(reports(record.apply("e")), row -> {
                            long n = row.get("n", Long.class);
                            String source = row.get("source", String.class);
                            days.put(row, "category." + row.get("category", String.class), n);
                            days.put(row, "source." + source, n);
                            if (props.proactiveSources().contains(source)) {
                                days.put(row, "proactive", n);
                            }
                            if (props.hotlineSources().contains(source)) {
                                days.put(row, "hotline", n);
                                days.put(row, "hotlineResponded", row.get("responded", Long.class));
                            }
                        }),
                // resolved: counted at the unit that made the case's last RESOLVE (as this unit's history shows it);
                // a case's last RESOLVE is on or after since exactly when one of its RESOLVEs is, so only those
                // cases are read
                q.rows("""
                        select l.unit_code as unit, (l.at at time zone :zone)::date as day, l.at < :split as settled,
                               count(*) as n,
                               count(*) filter (where r.due_at is null or l.at <= r.due_at) as on_time,
                               count(*) filter (where r.source = any(:hotline)) as hotline
                        from (select distinct on (t.unit_code, t.case_id) t.unit_code, t.case_id, t.at, t.entry_unit, c.since
                              from (select distinct e.unit_code, e.case_id, u.since from""" + ENTRIES + """
                                    where e.action = 'RESOLVE') c
                              join timeline_entry t on t.unit_code = c.unit_code and t.case_id = c.case_id
                              where t.action = 'RESOLVE'
                              order by t.unit_code, t.case_id, t.at desc, t.seq desc) l
                        """ + record.apply("l") + """
                        where l.entry_unit = l.unit_code and l.at >= l.since group by 1, 2, 3""", row -> {
                            days.put(row, "resolved", row.get("n", Long.class));
                            days.put(row, "resolvedOnTime", row.get("on_time", Long.class));
                            days.put(row, "hotlineResolved", row.get("hotline", Long.class));
                        }),
                // time to close, at the closing unit; and the verifications made in time (核查), at the verifying
                // unit: a VERIFY of the record's last verification round, no later than its due time (a record
                // resolved before kernel V15 has none: not late); in one statement, both read the record
                q.rows("""
                        select e.unit_code as unit, (e.at at time zone :zone)::date as day, e.at < :split as settled,
                               coalesce(sum(extract(epoch from e.at - r.reported_at))
                                   filter (where e.action = 'CLOSE'), 0)::bigint as secs,
                               count(*) filter (where e.action = 'VERIFY' and (r.verify_due_at is null
                                   or (e.at >= r.verify_from and e.at <= r.verify_due_at))) as verified_on_time
                        from""" + ENTRIES + record.apply("e") + """
                        where e.entry_unit = e.unit_code and e.action in ('CLOSE', 'VERIFY') group by 1, 2, 3""",
                        row -> {
                            days.put(row, "closeSeconds", row.get("secs", Long.class));
                            days.put(row, "verifiedOnTime", row.get("verified_on_time", Long.class));
                        }),
                // this unit's records found overdue, by the day found (once per record and clock), over the whole
                // window: only records marked overdue are read (case_record_told_overdue)
                q.rows("""
                        select x.unit_code as unit, (x.at at time zone :zone)::date as day, count(*) as n from (
                            select r.unit_code, r.accept_overdue_at as at, r.grid_code from case_record r
                            where r.unit_code = any(:units) and r.accept_overdue_at is not null
                            union all
                            select r.unit_code, r.handling_overdue_at, r.grid_code from case_record r
                            where r.unit_code = any(:units) and r.handling_overdue_at is not null
                            union all
                            select r.unit_code, r.verify_overdue_at, r.grid_code from case_record r
                            where r.unit_code = any(:units) and r.verify_overdue_at is not null) x
                        where x.at >= :first""" + (grid == null ? "" : " and x.grid_code = :grid") + " group by 1, 2",
                        row -> overdue.computeIfAbsent(row.get("unit", String.class), u -> new TreeMap<>())
                                .merge(row.get("day", LocalDate.class), row.get("n", Long.class), Long::sum)),
                // supervision notices this unit sent (督办), and those a leader sent (领导督办): the SUPERVISE entry
                // travels with the notice to the unit below, so the notice is the supervising unit's own record of it
                grid != null ? Mono.<Void>empty() : q.rows("""
                        select n.unit_code as unit, (n.sent_at at time zone :zone)::date as day,
                               n.sent_at < :split as settled, count(*) as n, count(*) filter (where n.leader) as leader
                        from""" + SINCE + """
                        join supervision_notice n on n.unit_code = u.code and n.sent_at >= u.since
                          and n.unit_code = any(:units) and n.sent_at >= :from group by 1, 2, 3""",
                        row -> {
                            days.put(row, "supervisions", row.get("n", Long.class));
                            days.put(row, "leaderSupervisions", row.get("leader", Long.class));
                        }),
                // what the tier adds from tables of its own (TierFigures: a community's patrols)
                Flux.fromIterable(tierFigures).concatMap(f -> {
                    String sql = f.sql(SINCE, grid != null);
                    return sql == null ? Mono.<Void>empty() : q.rows(sql, row -> f.counters().forEach((column, counter) ->
                            days.put(row, counter, row.get(column, Long.class))));
                }).then(),
                // now: the records each unit holds, by status, those overdue and those parked (NOW)
                nowFor.isEmpty() ? Mono.<Void>empty() : q.rows(now(gridFilter), row -> {
                            SortedMap<String, Long> c = current.get(row.get("unit", String.class));
                            String kind = row.get("kind", String.class);
                            c.merge("held".equals(kind) ? "status." + row.get("status", String.class)
                                    : "overdue".equals(kind) ? "overdueNow" : "parkedNow",
                                    row.get("n", Long.class), Long::sum);
                        })).then();
        return work.then(Mono.fromSupplier(() -> {
            nowFor.forEach(u -> tierFigures.forEach(f -> f.current(u, grid).forEach((counter, n) ->
                    current.get(u).merge(counter, n, Long::sum))));
            Map<String, Own> all = new HashMap<>();
            for (String unit : units) {
                if (settled.containsKey(unit) || live.containsKey(unit) || overdue.containsKey(unit)
                        || current.containsKey(unit)) {
                    all.put(unit, new Own(settled.getOrDefault(unit, Map.of()), live.getOrDefault(unit, Map.of()),
                            overdue.getOrDefault(unit, Map.of()), current.getOrDefault(unit, new TreeMap<>())));
                }
            }
            return all;
        }));
    }

    /** One computation's parameters, bound to each query that names them. */
    private final class Query {

        private final String[] units;
        private final String[] sinces;
        private final Instant from;
        private final String[] nowUnits;
        private final String grid;
        private final Instant split;
        private final LocalDate first;
        private final Instant now;

        Query(String[] units, String[] sinces, Instant from, String[] nowUnits, String grid, Instant split,
              LocalDate first, Instant now) {
            this.units = units;
            this.sinces = sinces;
            this.from = from;
            this.nowUnits = nowUnits;
            this.grid = grid;
            this.split = split;
            this.first = first;
            this.now = now;
        }

        /** Runs the query and hands each row to {@code each} while the row is readable. */
        Mono<Void> rows(String sql, Consumer<Readable> each) {
            DatabaseClient.GenericExecuteSpec spec = db.sql(sql);
            if (sql.contains(":units")) {
                spec = spec.bind("units", units);
            }
            if (sql.contains(":nowUnits")) {
                spec = spec.bind("nowUnits", nowUnits);
            }
            if (sql.contains(":zone")) {
                spec = spec.bind("zone", props.zone().getId());
            }
            if (sql.contains(":sinces")) {
                spec = spec.bind("sinces", sinces).bind("from", OffsetDateTime.ofInstant(from, props.zone()));
            }
            if (sql.contains(":split")) {
                spec = spec.bind("split", OffsetDateTime.ofInstant(split, props.zone()));
            }
            if (sql.contains(":first")) {
                spec = spec.bind("first", first.atStartOfDay(props.zone()).toOffsetDateTime());
            }
            if (sql.contains(":grid")) {
                spec = spec.bind("grid", grid);
            }
            if (sql.contains(":hotline")) {
                spec = spec.bind("hotline", props.hotlineSources().toArray(String[]::new));
            }
            if (sql.contains(":decisions")) {
                spec = spec.bind("decisions", List.copyOf(Figures.DECISION_COUNTERS.keySet()));
            }
            if (sql.contains(":receivedDispatch")) {
                spec = spec.bind("receivedDispatch", RECEIVED_DISPATCH_NOTE + "%")
                        .bind("officerDispatch", OFFICER_DISPATCH_NOTE + "%")
                        .bind("system", TimelineEntry.SYSTEM);
            }
            if (sql.contains(":now")) {
                spec = spec.bind("now", OffsetDateTime.ofInstant(now, props.zone()));
            }
            return spec.map(row -> {
                each.accept(row);
                return Boolean.TRUE;
            }).all().then();
        }
    }

    /**
     * Each unit's timeline entries from its {@code since} on, as {@code alias}. The earliest {@code since} of all
     * ({@code :from}) is said as well: the planner cannot see into the unnested times, and with it reads the entries
     * from then on through {@code timeline_entry_unit_at} instead of the whole table.
     */
    private static String entries(String alias) {
        return SINCE + "join timeline_entry " + alias + " on " + alias + ".unit_code = u.code and " + alias
                + ".at >= u.since and " + alias + ".unit_code = any(:units) and " + alias + ".at >= :from ";
    }

    /** Where a query's row counts. */
    @FunctionalInterface
    private interface Counts {
        void put(Readable row, String counter, Long n);
    }

    private static void put(Map<String, Map<LocalDate, SortedMap<String, Long>>> days, Readable row, String counter,
                            Long n) {
        put(days.computeIfAbsent(row.get("unit", String.class), u -> new TreeMap<>()), row.get("day", LocalDate.class),
                counter, n);
    }

    private static void put(Map<LocalDate, SortedMap<String, Long>> days, LocalDate day, String counter, Long n) {
        if (n != null && n != 0) {
            days.computeIfAbsent(day, d -> new TreeMap<>()).merge(counter, n, Long::sum);
        }
    }
}
