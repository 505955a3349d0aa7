package org.gridlink.kernel.cases.persistence;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import org.gridlink.contracts.UnitCode;
import org.gridlink.kernel.cases.OfficerAbsence;
import org.gridlink.kernel.support.r2dbc.NamedValues;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The department officers marked away from a unit's work (kernel V26): one absence an officer and unit. */
public class OfficerAbsences {

    private static final String COLUMNS = "unit_code, officer, away_from, away_until, reason, marked_by, marked_at";

    private final DatabaseClient db;

    public OfficerAbsences(DatabaseClient db) {
        this.db = db;
    }

    /** How an absence ended: the officer marked back (返岗), or marked away again. */
    public enum Ended { BACK, REPLACED }

    /** An absence kept, with how it ended ({@code how} null: it is the one kept now, under way, to come or run out). */
    public record Kept(OfficerAbsence absence, Instant endedAt, String endedBy, Ended how) {
    }

    /**
     * Locks the officer's absences at the unit until the transaction ends (a transaction-level advisory lock: there
     * may be no row yet), so that two changes to them come one after the other and the record misses neither.
     */
    public Mono<Void> lock(UnitCode unit, String officer) {
        return db.sql("select pg_advisory_xact_lock(hashtext(:unit || ' ' || :officer))").bind("unit", unit.value())
                .bind("officer", officer).map(row -> true).one().then();
    }

    /**
     * Keeps the absence, replacing the one kept for the officer at the unit, which goes to the record of ended
     * absences (V33, {@link Ended#REPLACED}, by whoever marked this one, when), in the same statement; under
     * {@link #lock}.
     */
    public Mono<Void> mark(OfficerAbsence a) {
        return new NamedValues().put("unit", a.unit().value()).put("officer", a.officer()).at("from", a.from())
                .at("until", a.until()).put("reason", a.reason()).put("by", a.markedBy()).at("at", a.markedAt())
                .bindTo(db.sql("with ended as (insert into officer_absence_ended (" + COLUMNS + ", ended_at, ended_by,"
                        + " ended_how) select " + COLUMNS + ", :at, :by, 'REPLACED' from officer_absence"
                        + " where unit_code = :unit and officer = :officer) insert into officer_absence ("
                        + COLUMNS + ") values (:unit, :officer, :from,"
                        + " :until, :reason, :by, :at) on conflict (unit_code, officer) do update set"
                        + " away_from = excluded.away_from, away_until = excluded.away_until, reason = excluded.reason,"
                        + " marked_by = excluded.marked_by, marked_at = excluded.marked_at"))
                .then();
    }

    /**
     * Ends the officer's absence at the unit (返岗): it goes to the record of ended absences ({@link Ended#BACK}, by
     * {@code by} at {@code at}); whether there was one. Under {@link #lock}.
     */
    public Mono<Boolean> remove(UnitCode unit, String officer, String by, Instant at) {
        return db.sql("with old as (delete from officer_absence where unit_code = :unit and officer = :officer"
                        + " returning " + COLUMNS + ") insert into officer_absence_ended (" + COLUMNS + ", ended_at,"
                        + " ended_by, ended_how) select " + COLUMNS + ", :at, :by, 'BACK' from old")
                .bind("unit", unit.value()).bind("officer", officer).bind("by", by).bind("at", NamedValues.utc(at))
                .fetch().rowsUpdated().map(n -> n > 0);
    }

    /**
     * The unit's absences (请假记录), the one kept for each officer and those ended, of one officer when {@code officer}
     * is not null: the latest beginning first, at most {@code limit}.
     */
    public Flux<Kept> record(UnitCode unit, String officer, int limit) {
        String whose = officer == null ? "" : " and officer = :officer";
        DatabaseClient.GenericExecuteSpec spec = db.sql("select * from (select " + COLUMNS + ", null::timestamptz"
                        + " as ended_at, null::text as ended_by, null::text as ended_how from officer_absence"
                        + " where unit_code = :unit" + whose + " union all select " + COLUMNS + ", ended_at, ended_by,"
                        + " ended_how from officer_absence_ended where unit_code = :unit" + whose + ") a"
                        + " order by away_from desc, marked_at desc limit :limit")
                .bind("unit", unit.value()).bind("limit", limit);
        if (officer != null) {
            spec = spec.bind("officer", officer);
        }
        return spec.map(row -> {
            String how = row.get("ended_how", String.class);
            return new Kept(absence(row), row.get("ended_at", Instant.class), row.get("ended_by", String.class),
                    how == null ? null : Ended.valueOf(how));
        }).all();
    }

    /** The officer's absence at the unit that has not ended by {@code now} (under way, or to come), if any. */
    public Mono<OfficerAbsence> find(UnitCode unit, String officer, Instant now) {
        return db.sql("select " + COLUMNS + " from officer_absence where unit_code = :unit and officer = :officer"
                        + " and (away_until is null or away_until > :now)")
                .bind("unit", unit.value()).bind("officer", officer).bind("now", NamedValues.utc(now))
                .map(OfficerAbsences::absence).one();
    }

    /** The unit's absences that have not ended by {@code now}, by officer. */
    public Flux<OfficerAbsence> of(UnitCode unit, Instant now) {
        return db.sql("select " + COLUMNS + " from officer_absence where unit_code = :unit"
                        + " and (away_until is null or away_until > :now) order by officer")
                .bind("unit", unit.value()).bind("now", NamedValues.utc(now))
                .map(OfficerAbsences::absence).all();
    }

    private static OfficerAbsence absence(Readable row) {
        return new OfficerAbsence(UnitCode.of(row.get("unit_code", String.class)), row.get("officer", String.class),
                row.get("away_from", Instant.class), row.get("away_until", Instant.class), row.get("reason", String.class),
                row.get("marked_by", String.class), row.get("marked_at", Instant.class));
    }
}
