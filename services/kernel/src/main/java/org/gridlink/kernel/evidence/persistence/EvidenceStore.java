package org.gridlink.kernel.evidence.persistence;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.UUID;
import org.gridlink.contracts.UnitCode;
import org.gridlink.kernel.evidence.EvidenceStage;
import org.gridlink.kernel.evidence.PhotoMetadata;
import org.gridlink.kernel.support.r2dbc.NamedValues;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The R2DBC adapter for the evidence this node holds (bytea rows beside the case records).
 * <p>
 * A plain component, not a {@code @Repository}: DatabaseClient already turns R2DBC's exceptions into Spring's
 * DataAccessException inside the Mono, and the repository proxy's translation (of exceptions thrown while a method
 * builds its Mono) cost a reflective call per method (issue 8's profile of the intake).
 */
@Component
public class EvidenceStore {

    /** One stored file without its bytes. */
    public record Stored(UUID evidenceId, UnitCode unit, UUID caseId, EvidenceStage stage, String fileName,
                         String contentType, long sizeBytes, String sha256, PhotoMetadata taken, String uploadedBy,
                         Instant uploadedAt) {
    }

    /** A stored file's description and bytes. */
    public record Content(Stored evidence, byte[] bytes) {
    }

    private static final String COLUMNS = "evidence_id, unit_code, case_id, stage, file_name, content_type, size_bytes,"
            + " sha256, taken_at, taken_lat, taken_lon, uploaded_by, uploaded_at";

    private final DatabaseClient db;

    public EvidenceStore(DatabaseClient db) {
        this.db = db;
    }

    public Mono<Void> save(Stored e, byte[] bytes) {
        return new NamedValues().put("id", e.evidenceId()).put("unit", e.unit().value()).put("case", e.caseId())
                .put("stage", e.stage().name()).put("name", e.fileName()).put("type", e.contentType())
                .put("size", e.sizeBytes()).put("sha", e.sha256()).put("by", e.uploadedBy())
                .at("at", e.uploadedAt()).put("content", bytes)
                .at("takenAt", e.taken().takenAt())
                .nullable("lat", e.taken().lat(), Double.class)
                .nullable("lon", e.taken().lon(), Double.class)
                .bindTo(db.sql("insert into evidence (" + COLUMNS + ", content) values (:id, :unit, :case, :stage,"
                        + " :name, :type, :size, :sha, :takenAt, :lat, :lon, :by, :at, :content)"))
                .fetch().rowsUpdated().then();
    }

    public Flux<Stored> of(UnitCode unit, UUID caseId) {
        return db.sql("select " + COLUMNS + " from evidence where unit_code = :unit and case_id = :case"
                        + " order by uploaded_at, evidence_id")
                .bind("unit", unit.value()).bind("case", caseId)
                .map(EvidenceStore::stored).all();
    }

    /** One stored file's description, without its bytes. */
    public Mono<Stored> find(UnitCode unit, UUID caseId, UUID evidenceId) {
        return db.sql("select " + COLUMNS + " from evidence where unit_code = :unit and case_id = :case"
                        + " and evidence_id = :id")
                .bind("unit", unit.value()).bind("case", caseId).bind("id", evidenceId)
                .map(EvidenceStore::stored).one();
    }

    public Mono<Content> content(UnitCode unit, UUID caseId, UUID evidenceId) {
        return db.sql("select " + COLUMNS + ", content from evidence where unit_code = :unit and case_id = :case"
                        + " and evidence_id = :id")
                .bind("unit", unit.value()).bind("case", caseId).bind("id", evidenceId)
                .map(row -> new Content(stored(row), row.get("content", byte[].class))).one();
    }

    /** How many files the node holds for the record (tests: nothing is stored on a refusal). */
    public Mono<Long> count(UnitCode unit, UUID caseId) {
        return db.sql("select count(*) as n from evidence where unit_code = :unit and case_id = :case")
                .bind("unit", unit.value()).bind("case", caseId)
                .map(row -> row.get("n", Long.class)).one();
    }

    private static Stored stored(Readable row) {
        return new Stored(row.get("evidence_id", UUID.class), UnitCode.of(row.get("unit_code", String.class)),
                row.get("case_id", UUID.class), EvidenceStage.valueOf(row.get("stage", String.class)),
                row.get("file_name", String.class), row.get("content_type", String.class),
                row.get("size_bytes", Long.class), row.get("sha256", String.class),
                new PhotoMetadata(row.get("taken_at", Instant.class), row.get("taken_lat", Double.class),
                        row.get("taken_lon", Double.class)),
                row.get("uploaded_by", String.class), row.get("uploaded_at", Instant.class));
    }
}
