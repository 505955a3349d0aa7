package org.gridlink.kernel.duplicates;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.gridlink.kernel.access.Jurisdiction;
import org.gridlink.kernel.access.Person;
import org.gridlink.kernel.cases.CaseRecord;
import org.gridlink.kernel.cases.application.CaseHandling;
import org.gridlink.kernel.geo.Distance;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Finds the open records of the same unit and category reported near a record, in place and time: a bounding-box
 * prefilter in SQL (no PostGIS), then the great-circle distance in Java.
 */
@Service
@EnableConfigurationProperties(DuplicateProperties.class)
public class DuplicateFinder {

    /** An open record that may be the same problem. */
    public record Candidate(UUID caseId, String title, String status, String gridCode, double distanceMetres,
                            Instant reportedAt, long ageSeconds) {
    }

    private final CaseHandling cases;
    private final DatabaseClient db;
    private final DuplicateProperties props;
    private final Clock clock;

    public DuplicateFinder(CaseHandling cases, DatabaseClient db, DuplicateProperties props, Clock clock) {
        this.cases = cases;
        this.db = db;
        this.props = props;
        this.clock = clock;
    }

    /** The candidates for the unit's record, nearest first; the person must be able to read the unit's queue. */
    public Mono<List<Candidate>> of(String unitCode, UUID caseId, Person person) {
        return cases.read(unitCode, caseId, person).flatMap(s -> {
            Jurisdiction.checkQueue(person, s.record().unit());
            return near(s.record());
        });
    }

    /** The candidates for a record, nearest first, for someone already allowed to read the unit's queue. */
    public Mono<List<Candidate>> near(CaseRecord r) {
        return Mono.defer(() -> {
            UUID caseId = r.caseId();
            if (r.details().location() == null || r.details().location().lat() == null
                    || r.details().location().lon() == null) {
                return Mono.just(List.<Candidate>of());
            }
            double lat = r.details().location().lat();
            double lon = r.details().location().lon();
            Distance.Box box = Distance.around(lat, lon, props.radius());
            Instant at = r.details().reportedAt();
            Duration window = props.window();
            Instant now = clock.instant();
            return db.sql("""
                            select case_id, title, status, grid_code, lat, lon, reported_at from case_record
                            where unit_code = :unit and category_code = :category and case_id <> :id
                              and status not in ('CLOSED', 'REJECTED')
                              and lat between :minLat and :maxLat and lon between :minLon and :maxLon
                              and reported_at between :from and :to
                            """)
                    .bind("unit", r.unit().value()).bind("category", r.details().categoryCode()).bind("id", caseId)
                    .bind("minLat", box.minLat()).bind("maxLat", box.maxLat())
                    .bind("minLon", box.minLon()).bind("maxLon", box.maxLon())
                    .bind("from", at.minus(window).atOffset(ZoneOffset.UTC)).bind("to", at.plus(window).atOffset(ZoneOffset.UTC))
                    .map(row -> {
                        Instant reported = row.get("reported_at", Instant.class);
                        double d = Distance.metres(lat, lon, row.get("lat", Double.class), row.get("lon", Double.class));
                        return new Candidate(row.get("case_id", UUID.class), row.get("title", String.class),
                                row.get("status", String.class), row.get("grid_code", String.class),
                                Math.round(d * 10) / 10.0, reported, Duration.between(reported, now).toSeconds());
                    })
                    .all()
                    .filter(c -> c.distanceMetres() <= props.radius())
                    .sort(Comparator.comparingDouble(Candidate::distanceMetres))
                    .collectList();
        });
    }
}
