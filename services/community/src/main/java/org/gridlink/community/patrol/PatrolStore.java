package org.gridlink.community.patrol;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.gridlink.contracts.UnitCode;
import org.gridlink.kernel.cases.TimelineEntry;
import org.gridlink.kernel.support.r2dbc.NamedValues;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The community node's patrols (V101): each statement alone, none of them a cross-tier change. */
@Repository
public class PatrolStore {

    private static final String COLUMNS = "id, unit_code, grid_code, patroller, patroller_name, started_at, start_note,"
            + " ended_at, ended_by, end_note, end_request";

    private final DatabaseClient db;

    public PatrolStore(DatabaseClient db) {
        this.db = db;
    }

    /** A patrol as kept, without its check-ins and findings, and the request that ended it. */
    record Row(Patrol patrol, UUID endRequest) {
    }

    /** Starts a patrol; empty when one with its id exists already (the same start sent again under its key). */
    public Mono<Boolean> start(UUID id, UnitCode unit, String gridCode, String patroller, String patrollerName,
                               Instant at, String note) {
        return new NamedValues().put("id", id).put("unit", unit.value()).put("grid", gridCode)
                .put("who", patroller).put("name", patrollerName).at("at", at).nullable("note", note, String.class)
                .bindTo(db.sql("""
                        insert into patrol (id, unit_code, grid_code, patroller, patroller_name, started_at, start_note)
                        values (:id, :unit, :grid, :who, :name, :at, :note)
                        on conflict (id) do nothing
                        """))
                .fetch().rowsUpdated().map(n -> n > 0);
    }

    public Mono<Row> find(UnitCode unit, UUID id) {
        return db.sql("select " + COLUMNS + " from patrol where unit_code = :unit and id = :id")
                .bind("unit", unit.value()).bind("id", id).map(PatrolStore::row).one();
    }

    /** The patrol the person has under way, anywhere on this node. */
    public Mono<Row> underWay(String patroller) {
        return db.sql("select " + COLUMNS + " from patrol where patroller = :who and ended_at is null")
                .bind("who", patroller).map(PatrolStore::row).one();
    }

    /**
     * A check-in on a patrol under way: takes the patrol's next number and keeps the point, in one statement; empty
     * when the patrol is not under way (ended, or none), or when {@code request} made a point already.
     */
    public Mono<Integer> checkIn(UnitCode unit, UUID patrolId, UUID request, Instant at, double lat, double lon,
                                 String gridCode, String note) {
        return new NamedValues().put("unit", unit.value()).put("id", patrolId).nullable("request", request, UUID.class)
                .at("at", at).put("lat", lat).put("lon", lon).nullable("grid", gridCode, String.class)
                .nullable("note", note, String.class)
                .bindTo(db.sql("""
                        with taken as (
                            update patrol set check_ins = check_ins + 1
                            where unit_code = :unit and id = :id and ended_at is null
                              and (cast(:request as uuid) is null
                                   or not exists (select 1 from patrol_point where request = :request))
                            returning id, check_ins)
                        insert into patrol_point (patrol_id, seq, at, lat, lon, grid_code, note, request)
                        select id, check_ins, :at, :lat, :lon, :grid, :note, :request from taken
                        returning seq
                        """))
                .map(r -> r.get("seq", Integer.class)).one();
    }

    /** The patrol a check-in request made its point on, if it made one. */
    public Mono<UUID> checkedInBy(UUID request) {
        return db.sql("select patrol_id from patrol_point where request = :request").bind("request", request)
                .map(r -> r.get("patrol_id", UUID.class)).one();
    }

    /** Ends a patrol under way; false when it is not (ended already, or none). */
    public Mono<Boolean> end(UnitCode unit, UUID id, Instant at, String endedBy, String note, UUID request) {
        return new NamedValues().put("unit", unit.value()).put("id", id).at("at", at).put("by", endedBy)
                .nullable("note", note, String.class).nullable("request", request, UUID.class)
                .bindTo(db.sql("""
                        update patrol set ended_at = greatest(:at, started_at), ended_by = :by, end_note = :note,
                               end_request = :request
                        where unit_code = :unit and id = :id and ended_at is null
                        """))
                .fetch().rowsUpdated().map(n -> n > 0);
    }

    /**
     * Ends, as {@link TimelineEntry#SYSTEM}, every patrol under way whose last sign of life
     * (its start, its latest check-in) is before {@code cutoff}, at that sign; how many.
     */
    public Mono<Long> endIdle(Instant cutoff, String note) {
        return new NamedValues().at("cutoff", cutoff).put("system", TimelineEntry.SYSTEM).put("note", note)
                .bindTo(db.sql("""
                        update patrol p set ended_at = l.last, ended_by = :system, end_note = :note
                        from (select p2.id, greatest(p2.started_at,
                                     coalesce((select max(q.at) from patrol_point q where q.patrol_id = p2.id),
                                              p2.started_at)) as last
                              from patrol p2 where p2.ended_at is null) l
                        where p.id = l.id and p.ended_at is null and l.last < :cutoff
                        """))
                .fetch().rowsUpdated();
    }

    /** The unit's patrols started in [from, to), newest first, at most {@code limit}; narrowed when not null. */
    public Flux<Patrol> list(UnitCode unit, Instant from, Instant to, String gridCode, String patroller, int limit) {
        return new NamedValues().put("unit", unit.value()).at("from", from).at("to", to)
                .nullable("grid", gridCode, String.class).nullable("who", patroller, String.class).put("limit", limit)
                .bindTo(db.sql("select " + COLUMNS + " from patrol where unit_code = :unit"
                        + " and started_at >= :from and started_at < :to"
                        + " and (cast(:grid as text) is null or grid_code = :grid)"
                        + " and (cast(:who as text) is null or patroller = :who)"
                        + " order by started_at desc, id limit :limit"))
                .map(PatrolStore::row).all().map(Row::patrol);
    }

    /** The unit's patrols under way now, whatever day they started, newest first; narrowed when not null. */
    public Flux<Patrol> underWay(UnitCode unit, String patroller, int limit) {
        return new NamedValues().put("unit", unit.value()).nullable("who", patroller, String.class).put("limit", limit)
                .bindTo(db.sql("select " + COLUMNS + " from patrol where unit_code = :unit and ended_at is null"
                        + " and (cast(:who as text) is null or patroller = :who)"
                        + " order by started_at desc, id limit :limit"))
                .map(PatrolStore::row).all().map(Row::patrol);
    }

    /** The check-ins of these patrols, each patrol's in order. */
    public Mono<Map<UUID, List<Patrol.Point>>> points(Collection<UUID> patrols) {
        if (patrols.isEmpty()) {
            return Mono.just(Map.of());
        }
        return db.sql("select patrol_id, seq, at, lat, lon, grid_code, note from patrol_point"
                        + " where patrol_id = any(:ids) order by patrol_id, seq")
                .bind("ids", patrols.toArray(UUID[]::new))
                .map(r -> Map.entry(r.get("patrol_id", UUID.class), new Patrol.Point(r.get("seq", Integer.class),
                        r.get("at", Instant.class), r.get("lat", Double.class), r.get("lon", Double.class),
                        r.get("grid_code", String.class), r.get("note", String.class))))
                .all()
                .collect(HashMap::new, (Map<UUID, List<Patrol.Point>> m, Map.Entry<UUID, Patrol.Point> e) ->
                        m.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
    }

    /**
     * The cases these people reported at the unit in [from, to], oldest first: what their patrols found. Read by
     * V18's index of a unit's records by reporter.
     */
    public Flux<Patrol.Finding> reported(UnitCode unit, Collection<String> reporters, Instant from, Instant to) {
        if (reporters.isEmpty()) {
            return Flux.empty();
        }
        return new NamedValues().put("unit", unit.value()).put("who", reporters.toArray(String[]::new))
                .at("from", from).at("to", to)
                .bindTo(db.sql("""
                        select case_id, reporter, title, category_code, status, grid_code, reported_at from case_record
                        where unit_code = :unit and reporter = any(:who) and reported_at >= :from and reported_at <= :to
                        order by reported_at, case_id
                        limit 10000
                        """))
                .map(r -> new Patrol.Finding(r.get("case_id", UUID.class), r.get("reporter", String.class),
                        r.get("title", String.class), r.get("category_code", String.class),
                        r.get("status", String.class), r.get("grid_code", String.class),
                        r.get("reported_at", Instant.class)))
                .all();
    }

    private static Row row(Readable r) {
        Patrol patrol = new Patrol(r.get("id", UUID.class), UnitCode.of(r.get("unit_code", String.class)),
                r.get("grid_code", String.class), r.get("patroller", String.class),
                r.get("patroller_name", String.class), r.get("started_at", Instant.class),
                r.get("start_note", String.class), r.get("ended_at", Instant.class), r.get("ended_by", String.class),
                r.get("end_note", String.class), List.of(), List.of());
        return new Row(patrol, r.get("end_request", UUID.class));
    }
}
