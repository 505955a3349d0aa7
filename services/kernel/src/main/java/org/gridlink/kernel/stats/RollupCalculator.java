package org.gridlink.kernel.stats;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Computes a unit's own roll-up from this node's own tables ({@code case_record}, {@code timeline_entry}): only
 * entries the unit made itself ({@code entry_unit = unit_code}) count, so the copies of other units' entries that
 * travel along a case's chain are never counted twice. Optionally for one grid cell of a community.
 */
public class RollupCalculator {

    private final DatabaseClient db;
    private final StatsProperties props;

    public RollupCalculator(DatabaseClient db, StatsProperties props) {
        this.db = db;
        this.props = props;
    }

    /** The unit's own figures, per day since {@code first} and now. */
    public Mono<UnitReport.Section> own(String unit, String grid, LocalDate first, Instant now) {
        Map<LocalDate, SortedMap<String, Long>> days = new TreeMap<>();
        SortedMap<String, Long> current = new TreeMap<>();
        String gridFilter = grid == null ? " " : " and r.grid_code = :grid "; // spaced: it joins two text blocks
        Mono<Void> work = Flux.concat(
                // one counter per timeline action the unit made
                rows("""
                        select (e.at at time zone :zone)::date as day, e.action as action, count(*) as n
                        from timeline_entry e join case_record r on r.unit_code = e.unit_code and r.case_id = e.case_id
                        where e.unit_code = :unit and e.entry_unit = e.unit_code and e.at >= :since""" + gridFilter + """
                         group by 1, 2""", unit, grid, first, row -> {
                            String counter = Figures.ACTION_COUNTERS.get(row.get("action", String.class));
                            if (counter != null) {
                                put(days, row.get("day", LocalDate.class), counter, row.get("n", Long.class));
                            }
                        }),
                // REWORK that sent this unit's own handling back (the handler's record goes to REWORK)
                rows("""
                        select (e.at at time zone :zone)::date as day, count(*) as n
                        from timeline_entry e join case_record r on r.unit_code = e.unit_code and r.case_id = e.case_id
                        where e.unit_code = :unit and e.entry_unit = e.unit_code and e.action = 'REWORK'
                          and e.to_status = 'REWORK' and e.at >= :since""" + gridFilter + " group by 1", unit, grid, first, row -> put(days, row.get("day", LocalDate.class), "reworked", row.get("n", Long.class))),
                // reports by category and source, proactive and hotline shares, hotline responses in time
                rows("""
                        select (e.at at time zone :zone)::date as day, r.category_code as category,
                               coalesce(r.source, 'UNKNOWN') as source, count(*) as n,
                               count(*) filter (where exists (select 1 from timeline_entry a
                                   where a.unit_code = e.unit_code and a.case_id = e.case_id and a.entry_unit = e.unit_code
                                     and a.action = 'ACCEPT' and (r.accept_due_at is null or a.at <= r.accept_due_at))) as responded
                        from timeline_entry e join case_record r on r.unit_code = e.unit_code and r.case_id = e.case_id
                        where e.unit_code = :unit and e.entry_unit = e.unit_code and e.action = 'REPORT'
                          and e.at >= :since""" + gridFilter + " group by 1, 2, 3", unit, grid, first, row -> {
                            LocalDate day = row.get("day", LocalDate.class);
                            long n = row.get("n", Long.class);
                            String source = row.get("source", String.class);
                            put(days, day, "category." + row.get("category", String.class), n);
                            put(days, day, "source." + source, n);
                            if (props.proactiveSources().contains(source)) {
                                put(days, day, "proactive", n);
                            }
                            if (props.hotlineSources().contains(source)) {
                                put(days, day, "hotline", n);
                                put(days, day, "hotlineResponded", row.get("responded", Long.class));
                            }
                        }),
                // resolved: counted at the unit that made the case's last RESOLVE (as this unit's history shows it)
                rows("""
                        select (l.at at time zone :zone)::date as day, count(*) as n,
                               count(*) filter (where r.due_at is null or l.at <= r.due_at) as on_time,
                               count(*) filter (where r.source = any(:hotline)) as hotline
                        from (select distinct on (case_id) case_id, at, entry_unit from timeline_entry
                              where unit_code = :unit and action = 'RESOLVE' order by case_id, at desc, seq desc) l
                        join case_record r on r.unit_code = :unit and r.case_id = l.case_id
                        where l.entry_unit = :unit and l.at >= :since""" + gridFilter + " group by 1", unit, grid, first, row -> {
                            LocalDate day = row.get("day", LocalDate.class);
                            put(days, day, "resolved", row.get("n", Long.class));
                            put(days, day, "resolvedOnTime", row.get("on_time", Long.class));
                            put(days, day, "hotlineResolved", row.get("hotline", Long.class));
                        }),
                // time to close, at the closing unit
                rows("""
                        select (e.at at time zone :zone)::date as day,
                               sum(extract(epoch from e.at - r.reported_at))::bigint as secs
                        from timeline_entry e join case_record r on r.unit_code = e.unit_code and r.case_id = e.case_id
                        where e.unit_code = :unit and e.entry_unit = e.unit_code and e.action = 'CLOSE'
                          and e.at >= :since""" + gridFilter + " group by 1", unit, grid, first, row -> put(days, row.get("day", LocalDate.class), "closeSeconds", row.get("secs", Long.class))),
                // this unit's records found overdue, by the day found (once per record and clock)
                rows("""
                        select (x.at at time zone :zone)::date as day, count(*) as n from (
                            select r.accept_overdue_at as at, r.grid_code from case_record r where r.unit_code = :unit
                            union all
                            select r.handling_overdue_at, r.grid_code from case_record r where r.unit_code = :unit) x
                        where x.at >= :since""" + (grid == null ? "" : " and x.grid_code = :grid") + " group by 1",
                        unit, grid, first, row -> put(days, row.get("day", LocalDate.class), "overdue", row.get("n", Long.class))),
                // now: the records this unit holds, by status (see docs/stats.md: each case at one unit), and overdue
                rows("""
                        select r.status as status, count(*) as n from case_record r
                        where r.unit_code = :unit""" + gridFilter + """
                          and r.status not in ('ESCALATED', 'DISPATCHED')
                          and (r.status in ('CLOSED', 'REJECTED') or r.dispatched_to is null)
                          and (r.status not in ('CLOSED', 'REJECTED') or exists (select 1 from timeline_entry e
                               where e.unit_code = r.unit_code and e.case_id = r.case_id and e.entry_unit = r.unit_code
                                 and e.action in ('CLOSE', 'REJECT')))
                        group by 1""", unit, grid, null, row -> current.put("status." + row.get("status", String.class), row.get("n", Long.class))),
                rows("""
                        select count(*) as n from case_record r where r.unit_code = :unit""" + gridFilter + """
                          and :now > case when r.status = 'REPORTED' then coalesce(r.accept_due_at, r.due_at)
                                          when r.status in ('ACCEPTED', 'IN_PROGRESS', 'REWORK', 'RETURNED', 'DISPATCHED')
                                          then r.due_at end""", unit, grid, null, now, row -> current.put("overdueNow", row.get("n", Long.class)))).then();
        return work.then(Mono.fromSupplier(() -> {
            List<UnitReport.Day> list = new ArrayList<>();
            days.forEach((d, counts) -> list.add(new UnitReport.Day(d, counts)));
            return new UnitReport.Section(current, list);
        }));
    }

    private Mono<Void> rows(String sql, String unit, String grid, LocalDate first, Consumer<Readable> each) {
        return rows(sql, unit, grid, first, null, each);
    }

    /** Runs the query and hands each row to {@code each} while the row is readable. */
    private Mono<Void> rows(String sql, String unit, String grid, LocalDate first, Instant now, Consumer<Readable> each) {
        DatabaseClient.GenericExecuteSpec spec = db.sql(sql).bind("unit", unit);
        if (sql.contains(":zone")) {
            spec = spec.bind("zone", props.zone().getId());
        }
        if (sql.contains(":since")) {
            spec = spec.bind("since", first.atStartOfDay(props.zone()).toOffsetDateTime());
        }
        if (sql.contains(":grid")) {
            spec = spec.bind("grid", grid);
        }
        if (sql.contains(":hotline")) {
            spec = spec.bind("hotline", props.hotlineSources().toArray(String[]::new));
        }
        if (sql.contains(":now")) {
            spec = spec.bind("now", OffsetDateTime.ofInstant(now, props.zone()));
        }
        return spec.map(row -> {
            each.accept(row);
            return Boolean.TRUE;
        }).all().then();
    }

    private static void put(Map<LocalDate, SortedMap<String, Long>> days, LocalDate day, String counter, Long n) {
        if (n != null && n != 0) {
            days.computeIfAbsent(day, d -> new TreeMap<>()).merge(counter, n, Long::sum);
        }
    }
}
