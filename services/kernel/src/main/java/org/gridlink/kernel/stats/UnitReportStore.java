package org.gridlink.kernel.stats;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/** The latest report of each child unit, as received by the node that serves the child's parent. */
public class UnitReportStore {

    private final DatabaseClient db;
    private final ObjectMapper json;

    public UnitReportStore(DatabaseClient db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    /** A received report and when it arrived here. */
    public record Received(UnitReport report, Instant receivedAt) {
    }

    /**
     * Keeps the report if it is newer than the one kept for its unit — by its sequence, which the sending node's
     * database hands out in order, not by its clock: a node whose clock was once set ahead must not freeze its
     * parent's view until the wrong time comes round (a restored sending database must continue its sequence);
     * true when it
     * replaced it with different subtree figures (a heartbeat that repeats the figures is kept, but changes nothing
     * above). A repeated or older report changes nothing, so redelivery and reordering are harmless.
     */
    public Mono<Boolean> keepIfNewer(UnitReport report) {
        return db.sql("""
                insert into unit_report (unit_code, parent_code, reported_at, sequence, body)
                values (:unit, :parent, :at, :seq, cast(:body as jsonb))
                on conflict (unit_code) do update set parent_code = excluded.parent_code,
                    reported_at = excluded.reported_at, sequence = excluded.sequence, body = excluded.body,
                    received_at = now()
                where excluded.sequence > unit_report.sequence
                returning (body -> 'subtree') is distinct from
                    (select old.body -> 'subtree' from unit_report old where old.unit_code = :unit) as changed
                """)
                .bind("unit", report.unit()).bind("parent", report.parentUnit())
                .bind("at", OffsetDateTime.ofInstant(report.reportedAt(), ZoneOffset.UTC))
                .bind("seq", report.sequence()).bind("body", json.writeValueAsString(report))
                .map(row -> Boolean.TRUE.equals(row.get("changed", Boolean.class))).one().defaultIfEmpty(false);
    }

    /** The latest reports of the children of {@code parent}. */
    public Mono<List<Received>> children(String parent) {
        return db.sql("select body::text as body, received_at from unit_report where parent_code = :parent order by unit_code")
                .bind("parent", parent)
                .map(row -> new Received(json.readValue(row.get("body", String.class), UnitReport.class),
                        row.get("received_at", OffsetDateTime.class).toInstant()))
                .all().collectList();
    }

    /** This node's next report sequence number. */
    public Mono<Long> nextSequence() {
        return db.sql("select nextval('unit_report_sequence') as n").map(row -> row.get("n", Long.class)).one();
    }
}
