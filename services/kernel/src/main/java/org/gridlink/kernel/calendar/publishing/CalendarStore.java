package org.gridlink.kernel.calendar.publishing;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.gridlink.kernel.calendar.Holiday;
import org.gridlink.kernel.calendar.MakeUpWorkingDay;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * The years of the working calendar the city published, as this node keeps them ({@code calendar_year}, kernel V32),
 * and every revision of each it kept or received ({@code calendar_year_revision}, V34).
 */
public class CalendarStore {

    private static final TypeReference<List<Holiday>> HOLIDAYS = new TypeReference<>() {
    };
    private static final TypeReference<List<MakeUpWorkingDay>> WORKING_DAYS = new TypeReference<>() {
    };

    /** The columns, the days as text (a jsonb column read as a String in the binary format starts with its version). */
    private static final String COLUMNS = "select year, revision, source, holidays::text as holidays,"
            + " working_days::text as working_days, published_by, published_at from calendar_year";

    private final DatabaseClient db;
    private final ObjectMapper json;
    private final String city;

    public CalendarStore(DatabaseClient db, ObjectMapper json, String city) {
        this.db = db;
        this.json = json;
        this.city = city;
    }

    /** Every year kept, in order. */
    public Flux<CalendarEvents.Published> all() {
        return db.sql(COLUMNS + " order by year").map(this::published).all();
    }

    /**
     * The year as kept, read once the year is locked until the transaction ends: a publication of the year waits for
     * another one's, the first of the year included (a transaction-level advisory lock: there may be no row to lock
     * yet).
     */
    public Mono<CalendarEvents.Published> lock(int year) {
        return db.sql("select pg_advisory_xact_lock(:lock)").bind("lock", LOCK_SPACE + year).map(row -> year).one()
                .then(db.sql(COLUMNS + " where year = :year").bind("year", year).map(this::published).one());
    }

    /** The advisory locks of the calendar's years: this number plus the year ("cal" in ASCII, shifted). */
    static final long LOCK_SPACE = 0x63616CL << 32;

    /** Every revision of {@code year} this node kept or received ({@code calendar_year_revision}), newest first. */
    public Flux<CalendarEvents.Published> revisions(int year) {
        return db.sql(COLUMNS.replace(" from calendar_year", " from calendar_year_revision")
                        + " where year = :year order by revision desc")
                .bind("year", year).map(this::published).all();
    }

    /**
     * Keeps the publication unless the same or a newer revision of its year is kept; whether it was kept. Every
     * revision is recorded among the year's revisions all the same, in the same statement (an older one arriving late
     * too, once).
     */
    public Mono<Boolean> keepIfNewer(CalendarEvents.Published p) {
        DatabaseClient.GenericExecuteSpec spec = db.sql("""
                        with recorded as (
                            insert into calendar_year_revision (year, revision, source, holidays, working_days,
                                                                published_by, published_at)
                            values (:year, :revision, :source, cast(:holidays as jsonb), cast(:workingDays as jsonb),
                                    :publishedBy, :publishedAt)
                            on conflict (year, revision) do nothing)
                        insert into calendar_year (year, revision, source, holidays, working_days, published_by, published_at)
                        values (:year, :revision, :source, cast(:holidays as jsonb), cast(:workingDays as jsonb),
                                :publishedBy, :publishedAt)
                        on conflict (year) do update set revision = excluded.revision, source = excluded.source,
                            holidays = excluded.holidays, working_days = excluded.working_days,
                            published_by = excluded.published_by, published_at = excluded.published_at
                        where calendar_year.revision < excluded.revision""")
                .bind("year", p.year()).bind("revision", p.revision())
                .bind("holidays", json.writeValueAsString(p.holidays()))
                .bind("workingDays", json.writeValueAsString(p.workingDays()))
                .bind("publishedBy", p.publishedBy())
                .bind("publishedAt", OffsetDateTime.ofInstant(p.publishedAt(), ZoneOffset.UTC));
        spec = p.source() == null ? spec.bindNull("source", String.class) : spec.bind("source", p.source());
        return spec.fetch().rowsUpdated().map(n -> n > 0);
    }

    private CalendarEvents.Published published(Readable row) {
        return new CalendarEvents.Published(city, row.get("year", Integer.class), row.get("revision", Integer.class),
                row.get("source", String.class), json.readValue(row.get("holidays", String.class), HOLIDAYS),
                json.readValue(row.get("working_days", String.class), WORKING_DAYS),
                row.get("published_by", String.class), row.get("published_at", Instant.class));
    }
}
