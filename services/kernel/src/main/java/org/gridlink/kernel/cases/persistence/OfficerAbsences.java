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

    /** Keeps the absence, replacing the one kept for the officer at the unit. */
    public Mono<Void> mark(OfficerAbsence a) {
        return new NamedValues().put("unit", a.unit().value()).put("officer", a.officer()).at("from", a.from())
                .at("until", a.until()).put("reason", a.reason()).put("by", a.markedBy()).at("at", a.markedAt())
                .bindTo(db.sql("insert into officer_absence (" + COLUMNS + ") values (:unit, :officer, :from, :until,"
                        + " :reason, :by, :at) on conflict (unit_code, officer) do update set away_from = excluded.away_from,"
                        + " away_until = excluded.away_until, reason = excluded.reason, marked_by = excluded.marked_by,"
                        + " marked_at = excluded.marked_at"))
                .then();
    }

    /** Forgets the officer's absence at the unit (返岗); whether there was one. */
    public Mono<Boolean> remove(UnitCode unit, String officer) {
        return db.sql("delete from officer_absence where unit_code = :unit and officer = :officer")
                .bind("unit", unit.value()).bind("officer", officer)
                .fetch().rowsUpdated().map(n -> n > 0);
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
