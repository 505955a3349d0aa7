package org.gridlink.kernel.evidence.application;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.TimeZone;
import java.util.UUID;
import org.gridlink.contracts.UnitCode;
import org.gridlink.kernel.access.AccessRefusedException;
import org.gridlink.kernel.access.Jurisdiction;
import org.gridlink.kernel.access.Person;
import org.gridlink.kernel.cases.CaseRecord;
import org.gridlink.kernel.cases.Outgoing;
import org.gridlink.kernel.cases.TimelineEntry;
import org.gridlink.kernel.cases.application.CaseHandling;
import org.gridlink.kernel.cases.application.CaseSnapshot;
import org.gridlink.kernel.cases.application.InvalidRequestException;
import org.gridlink.kernel.cases.application.KeyedIds;
import org.gridlink.kernel.cases.application.NodeUnits;
import org.gridlink.kernel.cases.application.UnknownCaseException;
import org.gridlink.kernel.cases.messaging.CaseEventMapper;
import org.gridlink.kernel.cases.persistence.CaseStore;
import org.gridlink.kernel.evidence.ContentSniffer;
import org.gridlink.kernel.evidence.EvidenceRef;
import org.gridlink.kernel.evidence.EvidenceStage;
import org.gridlink.kernel.evidence.PhotoMetadata;
import org.gridlink.kernel.evidence.persistence.EvidenceStore;
import org.gridlink.kernel.support.events.CloudEvent;
import org.gridlink.kernel.support.events.EventTracing;
import org.gridlink.kernel.support.outbox.OutboxWriter;
import org.gridlink.kernel.units.Unit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Evidence on a unit's record: an upload is stored in this node's database together with its EVIDENCE timeline
 * entry and the progress events that tell every neighbour on the chain (one transaction, the outbox); the events
 * carry the reference, never the bytes. Reads go through the record's read rules.
 */
@Service
public class EvidenceHandling {

    private final NodeUnits node;
    private final CaseHandling cases;
    private final CaseStore caseStore;
    private final EvidenceStore store;
    private final OutboxWriter outbox;
    private final CaseEventMapper events;
    private final TransactionalOperator tx;
    private final Clock clock;
    private final EventTracing tracing;

    public EvidenceHandling(NodeUnits node, CaseHandling cases, CaseStore caseStore, EvidenceStore store,
                            OutboxWriter outbox, CaseEventMapper events, TransactionalOperator tx, Clock clock,
                            EventTracing tracing) {
        this.node = node;
        this.cases = cases;
        this.caseStore = caseStore;
        this.store = store;
        this.outbox = outbox;
        this.events = events;
        this.tx = tx;
        this.tracing = tracing;
        this.clock = clock;
    }

    /**
     * Keeps a file as evidence on the unit's record. Who may: the people who may act on the record (its unit's
     * handlers and supervisors, its grid workers in their own cells, assigned officers). The bytes decide the type.
     * <p>
     * With an idempotency key (the {@code Idempotency-Key} header) the evidence's id is derived from the record, the
     * person and the key ({@link #evidenceId}): an upload sent again under the key, once the record's lock lets it
     * look, finds the evidence the first one kept and answers it (even if the record has finished since), instead of
     * keeping the file twice; the same key with another file or stage is refused (422) and changes nothing.
     *
     * @param idempotencyKey the client's key, or null for none (every upload a new piece of evidence)
     */
    public Mono<EvidenceRef> upload(String unitCode, UUID caseId, EvidenceStage stage, String idempotencyKey,
                                    String fileName, String declaredType, byte[] bytes, Person person) {
        return Mono.defer(() -> {
            Unit unit = node.requireServed(unitCode);
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS); // as the database keeps it
            UUID id = idempotencyKey == null ? UUID.randomUUID() : evidenceId(unit.code(), caseId, person, idempotencyKey);
            String sha256 = sha256(bytes);
            Mono<EvidenceRef> work = caseStore.lock(unit.code(), caseId)
                    .switchIfEmpty(Mono.error(() -> unknownCase(unitCode, caseId)))
                    .flatMap(record -> {
                        if (Jurisdiction.visibility(person, record) == Jurisdiction.Visibility.HIDDEN) {
                            throw unknownCase(unitCode, caseId);
                        }
                        Mono<EvidenceRef> sentBefore = idempotencyKey == null ? Mono.empty()
                                : store.find(unit.code(), caseId, id).map(kept -> sameUpload(kept, stage, sha256));
                        return sentBefore.switchIfEmpty(Mono.defer(() ->
                                keep(unit, record, id, stage, fileName, declaredType, bytes, sha256, person, now)));
                    });
            return tx.transactional(work);
        });
    }

    private Mono<EvidenceRef> keep(Unit unit, CaseRecord record, UUID id, EvidenceStage stage, String fileName,
                                   String declaredType, byte[] bytes, String sha256, Person person, Instant now) {
        checkUpload(person, record);
        if (record.status().isTerminal()) {
            throw new EvidenceRefusedException("the record is " + record.status() + " at " + unit.code()
                    + ": a finished case takes no more evidence");
        }
        UUID caseId = record.caseId();
        ContentSniffer.Kind kind = ContentSniffer.check(declaredType, bytes);
        PhotoMetadata taken = kind == ContentSniffer.Kind.PDF ? PhotoMetadata.NONE
                : PhotoMetadata.read(bytes, TimeZone.getTimeZone(node.directory().calendar().zone()));
        String name = safeName(fileName, kind);
        EvidenceStore.Stored stored = new EvidenceStore.Stored(id, unit.code(), caseId, stage, name,
                kind.contentType(), bytes.length, sha256, taken, person.username(), now);
        TimelineEntry entry = new TimelineEntry(id, now, unit.code(), person.username(),
                EvidenceRef.ACTION, record.status(), record.status(),
                EvidenceRef.note(stage, name, kind.contentType(), bytes.length, taken));
        // the entry and the progress that tells the record's neighbours of it, in one statement
        List<CloudEvent> sent = record.neighbours().stream().map(n -> events.toEvent(
                new Outgoing.Progress(n, entry, record.status(), record.resolution()), record,
                List.of(), now)).toList();
        return store.save(stored, bytes)
                .then(Mono.deferContextual(context -> caseStore.append(unit.code(), caseId, List.of(entry),
                        sent.isEmpty() ? null : outbox.rows(tracing.stamped(sent, context)))))
                .then(Mono.fromSupplier(() -> EvidenceRef.of(caseId, List.of(entry)).get(0)));
    }

    /**
     * An evidence id under an idempotency key: a name-based UUID (version 3) of the unit, the record, the person and
     * the key; a random id (version 4) never equals one.
     */
    static UUID evidenceId(UnitCode unit, UUID caseId, Person person, String idempotencyKey) {
        return KeyedIds.of("evidence", idempotencyKey, unit.value(), caseId, person.username());
    }

    /** The evidence an earlier upload under the same key kept, if it is the same file at the same stage; else a 422. */
    private static EvidenceRef sameUpload(EvidenceStore.Stored kept, EvidenceStage stage, String sha256) {
        if (kept.stage() != stage || !kept.sha256().equals(sha256)) {
            throw InvalidRequestException.unprocessable("Idempotency-Key", "this Idempotency-Key was used at "
                    + kept.uploadedAt() + " for another file or stage (evidence " + kept.evidenceId()
                    + "); a new upload needs a new key");
        }
        return new EvidenceRef(kept.evidenceId(), kept.unit().value(), kept.stage().name(), kept.fileName(),
                kept.contentType(), kept.sizeBytes(), kept.uploadedAt(), kept.uploadedBy(),
                EvidenceRef.href(kept.unit().value(), kept.caseId(), kept.evidenceId()));
    }

    /** The evidence the record's timeline knows of, wherever it is held, as the person may read the record. */
    public Mono<List<EvidenceRef>> list(String unitCode, UUID caseId, Person person) {
        return cases.read(unitCode, caseId, person).flatMap(s -> cases.withMergedEvidence(s, person))
                .map(CaseSnapshot::evidence);
    }

    /** A file held here, as the person may read the record it belongs to. */
    public Mono<EvidenceStore.Content> download(String unitCode, UUID caseId, UUID evidenceId, Person person) {
        return cases.read(unitCode, caseId, person)
                .map(CaseSnapshot::record)
                .flatMap(r -> store.content(r.unit(), caseId, evidenceId))
                .switchIfEmpty(Mono.error(() -> new UnknownCaseException("unit " + unitCode + " holds no evidence "
                        + evidenceId + " of case " + caseId)));
    }

    /** Uploading is acting on the record: the same people, at the record's own unit. */
    static void checkUpload(Person person, CaseRecord record) {
        if (Jurisdiction.permitted(person, record).isEmpty()) {
            throw new AccessRefusedException(person.username() + " (" + person.unit() + ") may not add evidence to "
                    + record.unit() + "'s record: that takes someone who may act on it (its unit's handlers and"
                    + " supervisors, its grid workers in their own cells, assigned officers)");
        }
    }

    private static String safeName(String fileName, ContentSniffer.Kind kind) {
        String name = fileName == null ? "" : fileName;
        name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        name = name.replaceAll("[\\p{Cntrl}\"()]", "_").trim();
        if (name.length() > 200) {
            name = name.substring(name.length() - 200);
        }
        return name.isEmpty() ? "evidence." + kind.name().toLowerCase(java.util.Locale.ROOT) : name;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static UnknownCaseException unknownCase(String unit, UUID caseId) {
        return new UnknownCaseException("unit " + unit + " holds no record of case " + caseId);
    }

    /** An upload the record cannot take now (409). */
    public static class EvidenceRefusedException extends RuntimeException {
        public EvidenceRefusedException(String message) {
            super(message);
        }
    }
}
