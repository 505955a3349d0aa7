package org.gridlink.kernel.stats;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
        return children(List.of(parent)).map(byParent -> byParent.getOrDefault(parent, List.of()));
    }

    /** The latest reports of the children of each of {@code parents}, by parent (a parent without any is missing). */
    public Mono<Map<String, List<Received>>> children(Collection<String> parents) {
        return db.sql("select parent_code, body::text as body, received_at from unit_report"
                        + " where parent_code = any(:parents) order by unit_code")
                .bind("parents", parents.toArray(String[]::new))
                .map(row -> Map.entry(row.get("parent_code", String.class),
                        new Received(json.readValue(row.get("body", String.class), UnitReport.class),
                                row.get("received_at", Instant.class))))
                .all()
                .collect(() -> new HashMap<String, List<Received>>(),
                        (m, e) -> m.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
    }

    /** The sequence of the report kept for each of {@code units} that has one. */
    public Mono<Map<String, Long>> sequences(Collection<String> units) {
        return db.sql("select unit_code, sequence from unit_report where unit_code = any(:units)")
                .bind("units", units.toArray(String[]::new))
                .map(row -> Map.entry(row.get("unit_code", String.class), row.get("sequence", Long.class)))
                .all().collectMap(Map.Entry::getKey, Map.Entry::getValue);
    }

    /** {@code n} of this node's next report sequence numbers, in order. */
    public Mono<List<Long>> nextSequences(int n) {
        return db.sql("select nextval('unit_report_sequence') as n from generate_series(1, :count) order by 1")
                .bind("count", n).map(row -> row.get("n", Long.class)).all().collectList();
    }
}
