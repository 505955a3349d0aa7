package org.gridlink.kernel.cases.application;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import org.gridlink.contracts.UnitCode;
import org.gridlink.kernel.access.AccessRefusedException;
import org.gridlink.kernel.access.Jurisdiction;
import org.gridlink.kernel.access.Person;
import org.gridlink.kernel.access.Role;
import org.gridlink.kernel.calendar.Stage;
import org.gridlink.kernel.cases.CaseAction;
import org.gridlink.kernel.cases.CaseChange;
import org.gridlink.kernel.cases.CaseDetails;
import org.gridlink.kernel.cases.CaseRecord;
import org.gridlink.kernel.cases.CaseStateMachine;
import org.gridlink.kernel.cases.CaseStatus;
import org.gridlink.kernel.cases.Command;
import org.gridlink.kernel.cases.HandlingRound;
import org.gridlink.kernel.cases.IllegalTransitionException;
import org.gridlink.kernel.cases.Instruction;
import org.gridlink.kernel.cases.InvalidCommandException;
import org.gridlink.kernel.cases.Location;
import org.gridlink.kernel.cases.OfficerAbsence;
import org.gridlink.kernel.cases.Outgoing;
import org.gridlink.kernel.cases.PendingRequest;
import org.gridlink.kernel.cases.TimelineEntry;
import org.gridlink.kernel.cases.Verdict;
import org.gridlink.kernel.cases.messaging.CaseEventData;
import org.gridlink.kernel.cases.messaging.CaseEventMapper;
import org.gridlink.kernel.cases.messaging.CaseEventTypes;
import org.gridlink.kernel.cases.persistence.CaseInstructions;
import org.gridlink.kernel.cases.persistence.CaseStore;
import org.gridlink.kernel.cases.persistence.OfficerAbsences;
import org.gridlink.kernel.cases.persistence.QueueFilter;
import org.gridlink.kernel.cases.persistence.QueuePage;
import org.gridlink.kernel.evidence.EvidenceRef;
import org.gridlink.kernel.evidence.application.AfterPhotoRule;
import org.gridlink.kernel.support.events.CloudEvent;
import org.gridlink.kernel.support.events.EventTracing;
import org.gridlink.kernel.support.events.MalformedEventException;
import org.gridlink.kernel.support.inbox.Inbox;
import org.gridlink.kernel.support.inbox.InboxEvents;
import org.gridlink.kernel.support.outbox.OutboxWriter;
import org.gridlink.kernel.support.r2dbc.InsertRows;
import org.gridlink.kernel.support.r2dbc.TrailingWrite;
import org.gridlink.kernel.units.Category;
import org.gridlink.kernel.units.ReportSources;
import org.gridlink.kernel.units.GridCell;
import org.gridlink.kernel.units.Unit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * The application service of a node: people's commands and other units' events, each applied in one
 * transaction together with the outbox rows of the events it sends and (for events) the inbox row; or, where nothing
 * has to be read first (a report, an escalation that brings a case here for the first time), in one statement.
 */
public class CaseHandling {

    private static final Logger log = LoggerFactory.getLogger(CaseHandling.class);

    private final NodeUnits node;
    private final CaseStore store;
    private final OfficerAbsences absences;
    private final CaseInstructions instructions;
    private final OutboxWriter outbox;
    private final Inbox inbox;
    private final CaseEventMapper events;
    private final TransactionalOperator tx;
    private final IntakePolicy intakePolicy;
    private final Clock clock;
    private final MeterRegistry meters;
    private ReportPlacement placement = ReportPlacement.NONE;
    private RoutingByLocation routing = RoutingByLocation.NONE;
    private List<InboxEvents> otherEvents = List.of();
    private Duration verdictWindow = Duration.ofDays(7);
    private EventTracing tracing = EventTracing.NONE;
    private ReportSources sources = ReportSources.of(List.of(), List.of());
    private final AfterPhotoRule afterPhoto;

    public CaseHandling(NodeUnits node, CaseStore store, OfficerAbsences absences, CaseInstructions instructions,
                        OutboxWriter outbox, Inbox inbox, CaseEventMapper events, TransactionalOperator tx,
                        IntakePolicy intakePolicy, Clock clock, MeterRegistry meters) {
        this.node = node;
        this.store = store;
        this.absences = absences;
        this.instructions = instructions;
        this.outbox = outbox;
        this.inbox = inbox;
        this.events = events;
        this.tx = tx;
        this.intakePolicy = intakePolicy;
        this.clock = clock;
        this.meters = meters;
        this.afterPhoto = new AfterPhotoRule(node.directory());
    }

    public NodeUnits node() {
        return node;
    }

    /** The inbox's events that are not about a case (notices), applied in the same way: once, in their order. */
    public CaseHandling withOtherEvents(List<InboxEvents> otherEvents) {
        this.otherEvents = List.copyOf(otherEvents);
        return this;
    }

    /** Places reports by their coordinates and routes those found above a community down to it (docs/geo.md). */
    public CaseHandling withGeography(ReportPlacement placement, RoutingByLocation routing) {
        this.placement = placement;
        this.routing = routing;
        return this;
    }

    /** The channels a report may name as its source ({@link ReportSources}). */
    public CaseHandling withSources(ReportSources sources) {
        this.sources = sources;
        return this;
    }

    public ReportSources sources() {
        return sources;
    }

    /** Carries the trace of each change with the events it sends, and applies each event in its trace. */
    public CaseHandling withTracing(EventTracing tracing) {
        this.tracing = tracing;
        return this;
    }

    /** How long after the close the reporter may give their verdict ({@code gridlink.verdict.window}). */
    public CaseHandling withVerdictWindow(Duration window) {
        this.verdictWindow = window;
        return this;
    }

    // ---- people's commands -------------------------------------------------------------------------------

    public Mono<CaseSnapshot> report(String unitCode, ReportCase asked, Person person) {
        return report(unitCode, asked, person, null);
    }

    /**
     * A report sent with an idempotency key (the {@code Idempotency-Key} header): the record's id is derived from the
     * unit, the person and the key ({@link #reportId}), so a report sent again under the same key, by a client that did
     * not get the first answer (a timeout, a 503 from the gateway while the node was slow, a dropped connection), finds
     * the record the first one made and answers it, once that one has committed, instead of making a second. The same
     * key with a different report is refused (422) and changes nothing.
     *
     * @param idempotencyKey the client's key, or null for none (every report a new record)
     */
    public Mono<CaseSnapshot> report(String unitCode, ReportCase asked, Person person, String idempotencyKey) {
        return Mono.defer(() -> {
            Unit unit = node.requireServed(unitCode);
            ReportCase request = placement.place(unit, asked);
            String gridCode = blankToNull(request.gridCode());
            if (gridCode == null && person.has(Role.GRID_WORKER) && person.grids().size() == 1) {
                gridCode = person.grids().iterator().next(); // a grid worker with one cell reports in it
            }
            Jurisdiction.checkReport(person, unit.code(), gridCode);
            String reporter = blankToNull(request.reporter());
            if (person.isCitizenOnly()) {
                if (reporter != null && !reporter.equals(person.username())) {
                    throw new AccessRefusedException("a citizen reports as themself; reporter must be "
                            + person.username() + " or left out");
                }
                reporter = person.username();
            } else if (reporter == null) {
                reporter = person.username();
            }
            String actor = person.username();
            Category category = node.directory().category(request.categoryCode()).orElseThrow(() ->
                    InvalidRequestException.unprocessable("categoryCode", "unknown category '" + request.categoryCode()
                            + "'; GET /api/units/" + unitCode + "/categories lists the known ones"));
            String source = blankToNull(request.source());
            if (source != null && sources.find(source).isEmpty()) {
                throw InvalidRequestException.unprocessable("source", "unknown source '" + source + "'; sources are "
                        + sources.codes() + " (GET /api/units/" + unitCode + "/sources)");
            }
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS); // as the database keeps it
            CaseDetails details = new CaseDetails(category.code(), request.title().trim(), request.description(),
                    request.location(), gridCode, source, reporter, now);
            intakePolicy.check(unit, details);
            UUID id = idempotencyKey == null ? UUID.randomUUID() : reportId(unit.code(), person, idempotencyKey);
            CaseRecord record = CaseRecord.intake(id, unit.code(), details, due(Stage.HANDLING, category.code(), now),
                    due(Stage.ACCEPTANCE, category.code(), now), now);
            TimelineEntry entry = TimelineEntry.of(now, unit.code(), actor, CaseStateMachine.REPORT, null,
                    CaseStatus.REPORTED, details.title());
            List<CaseChange> routed = routing.afterReport(record, now);
            // a report that stays here is one atomic statement; one routed on down changes more, in one transaction
            Mono<Void> work = routed.isEmpty() ? store.insertReported(record, entry)
                    : tx.transactional(store.insertReported(record, entry)
                            .thenMany(Flux.fromIterable(routed)).concatMap(c -> apply(c, now)).then());
            // the answer is what was just committed; only a record routed on down has changed since, and is read back
            Mono<CaseSnapshot> answer = routed.isEmpty() ? Mono.defer(() -> answer(unitCode, person, record,
                    List.of(entry))) : read(unitCode, id, person);
            Mono<CaseSnapshot> made = work
                    .doOnSuccess(v -> meters.counter("gridlink.cases.reported", "unit", unit.code().value()).increment())
                    .then(answer);
            return idempotencyKey == null ? made : made.onErrorResume(DuplicateKeyException.class,
                    sentBefore -> sameReport(unitCode, unit, id, details, person, sentBefore));
        });
    }

    /**
     * A report's id under an idempotency key: a name-based UUID (version 3) of the unit, the person and the key, so two
     * people's keys, or one person's at two units, never meet; a random id (version 4) never equals one.
     */
    static UUID reportId(UnitCode unit, Person person, String idempotencyKey) {
        return KeyedIds.of("report", idempotencyKey, unit.value(), person.username());
    }

    /**
     * The record an earlier report under the same key made, if it is the same report (as it was reported: a
     * RECATEGORISE since changed only the record); otherwise a 422.
     */
    private Mono<CaseSnapshot> sameReport(String unitCode, Unit unit, UUID id, CaseDetails asked, Person person,
                                          DuplicateKeyException sentBefore) {
        return store.findWithTimeline(unit.code(), id)
                .switchIfEmpty(Mono.error(sentBefore))
                .flatMap(found -> {
                    CaseDetails now = found.record().details();
                    CaseDetails made = new CaseDetails(CaseStateMachine.reportedCategory(found.record(), found.timeline()),
                            now.title(), now.description(), noneIfEmpty(now.location()), now.gridCode(), now.source(),
                            now.reporter(), now.reportedAt());
                    CaseDetails again = new CaseDetails(asked.categoryCode(), asked.title(), asked.description(),
                            noneIfEmpty(asked.location()), asked.gridCode(), asked.source(), asked.reporter(),
                            made.reportedAt());
                    if (!again.equals(made)) {
                        return Mono.error(InvalidRequestException.unprocessable("Idempotency-Key", "this"
                                + " Idempotency-Key was used at " + made.reportedAt() + " for a different report (case "
                                + id + "); a new report needs a new key"));
                    }
                    return answer(unitCode, person, found.record(), found.timeline());
                });
    }

    /** No location for one with no part (a record read back has one, all null, where its report gave none). */
    private static Location noneIfEmpty(Location location) {
        return location == null || location.lat() == null && location.lon() == null && location.address() == null
                ? null : location;
    }

    /** A report's answer: the record as written, unless the reporter may not see it whole (then as read for them). */
    private Mono<CaseSnapshot> answer(String unitCode, Person person, CaseRecord record, List<TimelineEntry> timeline) {
        return Jurisdiction.visibility(person, record) != Jurisdiction.Visibility.HIDDEN
                ? Mono.just(snapshot(person, record, timeline))
                : read(unitCode, record.caseId(), person);
    }

    public Mono<CaseSnapshot> act(String unitCode, UUID caseId, CaseAction action, String note, String target,
                                  Person person) {
        return act(unitCode, caseId, ActionRequest.of(action, note, target), person);
    }

    public Mono<CaseSnapshot> act(String unitCode, UUID caseId, ActionRequest request, Person person) {
        return act(unitCode, caseId, request, person, null);
    }

    public Mono<CaseSnapshot> act(String unitCode, UUID caseId, ActionRequest request, Person person,
                                  Set<Instant> versions) {
        return act(unitCode, caseId, request, person, versions, null);
    }

    /**
     * An action on the record as the person last read it: {@code versions} are the versions (the record's
     * {@code updatedAt}) it may be taken on, from the request's {@code If-Match}; if the record has changed since, the
     * action is refused ({@link RecordChangedException}) and nothing changes.
     * <p>
     * Sent with an idempotency key (the {@code Idempotency-Key} header), the action is taken once: it is kept under an
     * id derived from the unit, the person and the key ({@link #actionId}) in the action's transaction, and the same
     * action sent again under the key (by a client, or the gateway, that did not get the first answer) is answered with
     * the record as it is now, whatever its version, and taken no second time. Another action under the key is refused
     * (422). Two tries at once wait for each other on the record's lock.
     *
     * @param versions the versions the action may be taken on, or null for any (no {@code If-Match})
     * @param idempotencyKey the client's key, or null for none (every request an action of its own)
     */
    public Mono<CaseSnapshot> act(String unitCode, UUID caseId, ActionRequest request, Person person,
                                  Set<Instant> versions, String idempotencyKey) {
        return Mono.defer(() -> {
            Unit unit = node.requireServed(unitCode);
            CaseAction action = request.action();
            UnitCode targetCode = parseTarget(action, request.target());
            String officer = blankToNull(request.officer());
            String category = blankToNull(request.category());
            String reason = blankToNull(request.reason());
            if ((action == CaseAction.RETURN_REQUEST || action == CaseAction.RETURN) && reason != null
                    && node.directory().returnReason(reason).isEmpty()) {
                throw InvalidRequestException.unprocessable("reason", "unknown return reason '" + reason + "'; reasons are "
                        + node.directory().returnReasons().stream().map(r -> r.code() + " (" + r.name() + ")").toList());
            }
            if (action == CaseAction.RECATEGORISE && category != null && node.directory().category(category).isEmpty()) {
                throw InvalidRequestException.unprocessable("category", "unknown category '" + category
                        + "'; GET /api/units/" + unitCode + "/categories lists the known ones");
            }
            // as the database keeps it: an action answers with the record and timeline it wrote, not read back
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            Keyed keyed = idempotencyKey == null ? null
                    : new Keyed(actionId(unit.code(), person, idempotencyKey), unit.code(), caseId, action,
                            request.digest(), now);
            if (action == CaseAction.MERGE) {
                // a merge changes two records and who follows them; its answer is read in its transaction
                Mono<Taken> work = lockInOrder(unit.code(), caseId, request.into())
                        .switchIfEmpty(Mono.error(() -> unknownCase(unitCode, caseId)))
                        .flatMap(record -> permitted(person, record, action, unitCode))
                        .flatMap(record -> once(keyed, read(unitCode, caseId, person), Mono.defer(() -> {
                            unchangedSince(record, List.of(), versions);
                            return merge(record, request, person, now)
                                    .flatMap(entry -> read(unitCode, caseId, person)
                                            .map(answer -> new Applied(answer, entry)));
                        })));
                return counted(action, keyed, tx.transactional(work), read(unitCode, caseId, person));
            }
            Mono<Taken> work = store.lockWithTimeline(unit.code(), caseId)
                    .switchIfEmpty(Mono.error(() -> unknownCase(unitCode, caseId)))
                    .flatMap(locked -> permitted(person, locked.record(), action, unitCode).thenReturn(locked))
                    .flatMap(locked -> once(keyed, answer(unit, person, locked.record(), locked.timeline(), unitCode),
                            Mono.defer(() -> {
                        unchangedSince(locked.record(), locked.timeline(), versions);
                        CaseRecord record = locked.record();
                        CaseChange change;
                        if (action == CaseAction.VERDICT) {
                            change = verdict(record, locked.timeline(), request, person, now);
                        } else {
                            if ((action == CaseAction.DISPATCH || action == CaseAction.REASSIGN) && officer != null) {
                                checkOfficer(officer, record.unit(), unitCode);
                            }
                            String cat = record.details().categoryCode();
                            Command command = switch (action) {
                                case DISPATCH, REASSIGN -> new Command(action, request.note(), targetCode,
                                        person.username(), due(Stage.HANDLING, cat, now), officer, null, null, null,
                                        due(Stage.ACCEPTANCE, cat, now));
                                case RECATEGORISE -> {
                                    Instant from = record.clockFrom() != null ? record.clockFrom() : record.createdAt();
                                    yield new Command(action, request.note(), null, person.username(),
                                            category == null ? null : due(Stage.HANDLING, category, from), null,
                                            category, null, null,
                                            category == null ? null : due(Stage.ACCEPTANCE, category, from));
                                }
                                case RESOLVE -> new Command(action, request.note(), targetCode, person.username(),
                                        null, null, null, reason, request.until(), null,
                                        due(Stage.VERIFICATION, cat, now));
                                default -> new Command(action, request.note(), targetCode, person.username(), null,
                                        null, null, reason, request.until(), null);
                            };
                            change = CaseStateMachine.decide(record, command, now);
                            afterPhoto.check(record, action, locked.timeline());
                        }
                        // given to an officer: one at work at the unit now
                        Mono<Void> atWork = (action == CaseAction.DISPATCH || action == CaseAction.REASSIGN)
                                && officer != null ? atWork("officer", officer, record.unit(), unitCode, now)
                                : Mono.empty();
                        return atWork.then(Mono.defer(() -> apply(change, locked.timeline(), now)))
                                .flatMap(timeline -> instructed(record, action, person, change, locked.timeline(), now)
                                        .thenReturn(timeline))
                                .flatMap(timeline -> answer(unit, person, change.record(), timeline, unitCode))
                                .map(answer -> new Applied(answer, change.entries().get(0).id()));
                    })));
            // the answer is made in the action's transaction: if it fails, the action is rolled back with it (nothing
            // changes on any error)
            return counted(action, keyed, tx.transactional(work), read(unitCode, caseId, person));
        });
    }

    /**
     * A leader's note on the unit's record is an instruction that waits on the unit's people (领导批示, 待落实), in place
     * of one that waited; any other action on the record, or a note, by one of the unit's people answers the one that
     * waited (a reporter's verdict, taken apart, answers none). Only a record with a note of the unit in its timeline
     * may have one waiting: the others' actions are spared the statement.
     */
    private Mono<Void> instructed(CaseRecord record, CaseAction action, Person person, CaseChange change,
                                  List<TimelineEntry> before, Instant now) {
        if (action == CaseAction.COMMENT && Jurisdiction.instructs(person, record)) {
            TimelineEntry entry = change.entries().get(0);
            return instructions.keep(new Instruction(record.unit(), record.caseId(), entry.id(), now,
                    person.username(), entry.note()));
        }
        return action != CaseAction.VERDICT && notedHere(record, before)
                ? instructions.answered(record.unit(), record.caseId()) : Mono.empty();
    }

    /** Whether the timeline holds a note written at the record's unit: only then may an instruction wait on it. */
    private static boolean notedHere(CaseRecord record, List<TimelineEntry> timeline) {
        return timeline.stream().anyMatch(e -> CaseAction.COMMENT.name().equals(e.action())
                && e.unit().equals(record.unit()));
    }

    /**
     * The leader's instruction that waits on the unit's people on the record as read, if one does: not on a closed or
     * rejected record, and only for a reader whose timeline shows it (a reporter's does not show the staff's notes).
     */
    public Mono<Instruction> instructionWaiting(CaseSnapshot snapshot) {
        CaseRecord record = snapshot.record();
        if (record.status().isTerminal() || !notedHere(record, snapshot.timeline())) {
            return Mono.empty();
        }
        return instructions.waiting(record.unit(), record.caseId())
                .filter(i -> snapshot.timeline().stream().anyMatch(e -> e.id().equals(i.entry())));
    }

    /**
     * An action's id under an idempotency key: a name-based UUID (version 3) of the unit, the person and the key, apart
     * from a report's or a notice's under the same key.
     */
    static UUID actionId(UnitCode unit, Person person, String idempotencyKey) {
        return KeyedIds.of("action", idempotencyKey, unit.value(), person.username());
    }

    /**
     * An action asked under an idempotency key: its id, the unit and record it is asked of, the action and the digest
     * of what it asks ({@link ActionRequest#digest()}), and when.
     */
    private record Keyed(UUID id, UnitCode unit, UUID caseId, CaseAction action, String digest, Instant now) {
    }

    /** What an action did: the answer, and the first entry it added to the record's timeline (its own). */
    private record Applied(CaseSnapshot answer, UUID entry) {
    }

    /** An action's answer, and whether it answered one taken before under the same key (and took nothing). */
    private record Taken(CaseSnapshot answer, boolean before) {
    }

    /**
     * The action, taken once under its key (none: taken): with the record locked, an action kept under the key is
     * answered by {@code before} if it was this one, and refused if it was another; otherwise {@code take} is taken and
     * kept under the key in its transaction.
     */
    private Mono<Taken> once(Keyed keyed, Mono<CaseSnapshot> before, Mono<Applied> take) {
        if (keyed == null) {
            return take.map(applied -> new Taken(applied.answer(), false));
        }
        return store.findKeyedAction(keyed.unit(), keyed.id())
                .flatMap(kept -> sameAction(keyed, kept).then(before).map(answer -> new Taken(answer, true)))
                .switchIfEmpty(Mono.defer(() -> take.flatMap(applied -> store.saveKeyedAction(new CaseStore.KeyedAction(
                                keyed.id(), keyed.unit(), keyed.caseId(), keyed.action().name(), keyed.digest(),
                                applied.entry(), keyed.now()))
                        .thenReturn(new Taken(applied.answer(), false)))));
    }

    /** Nothing, if the action kept under the key is the one asked (the same record, the same request); else a 422. */
    private static Mono<Void> sameAction(Keyed keyed, CaseStore.KeyedAction kept) {
        if (kept.caseId().equals(keyed.caseId()) && kept.request().equals(keyed.digest())) {
            return Mono.empty();
        }
        return Mono.error(InvalidRequestException.unprocessable("Idempotency-Key", "this Idempotency-Key was used at "
                + kept.appliedAt() + " for another action (" + kept.action() + " on case " + kept.caseId()
                + "); a new action needs a new key"));
    }

    /**
     * The locked record, if it is still at one of the versions the action was sent on (any, for none); otherwise the
     * refusal names the latest entry of its timeline (as far as it was read), who did what last.
     */
    private static CaseRecord unchangedSince(CaseRecord record, List<TimelineEntry> timeline, Set<Instant> versions) {
        if (versions != null && !versions.contains(record.updatedAt())) {
            TimelineEntry latest = timeline.isEmpty() ? null : timeline.get(timeline.size() - 1); // by time, then kept
            throw new RecordChangedException(record, latest);
        }
        return record;
    }

    /**
     * The action's answer once committed, counted: as taken, or as answered from one taken before under its key. Two
     * tries under one key that were not serialised by one record's lock (the key used on two records at once) meet at
     * the key's primary key: the one that lost is refused as another action under the key (or, were it the same, answered
     * by {@code again}).
     */
    private Mono<CaseSnapshot> counted(CaseAction action, Keyed keyed, Mono<Taken> done, Mono<CaseSnapshot> again) {
        Mono<Taken> taken = keyed == null ? done : done.onErrorResume(DuplicateKeyException.class, raced ->
                store.findKeyedAction(keyed.unit(), keyed.id())
                        .switchIfEmpty(Mono.error(raced))
                        .flatMap(kept -> sameAction(keyed, kept).then(again).map(answer -> new Taken(answer, true))));
        return taken.doOnSuccess(t -> meters.counter(t.before() ? "gridlink.cases.actions.answered.again"
                        : "gridlink.cases.actions", "action", action.name()).increment())
                .map(Taken::answer);
    }

    /** The record as the person may act on it: one they may not see is unknown to them; the action's own check. */
    private Mono<CaseRecord> permitted(Person person, CaseRecord record, CaseAction action, String unitCode) {
        return visibility(person, record).map(v -> {
            switch (v) {
                case HIDDEN -> throw unknownCase(unitCode, record.caseId());
                case REFUSED, VISIBLE -> Jurisdiction.checkAct(person, record, action);
            }
            return record;
        });
    }

    /**
     * An action's answer: the record and the timeline it committed, as a case page would read them ({@link #read}),
     * with the actions its status now allows the person.
     */
    private Mono<CaseSnapshot> answer(Unit unit, Person person, CaseRecord record, List<TimelineEntry> timeline,
                                      String unitCode) {
        return Mono.defer(() -> {
            Jurisdiction.checkRead(person, unit.code());
            return visibility(person, record).filter(v -> v != Jurisdiction.Visibility.HIDDEN)
                    .switchIfEmpty(Mono.error(() -> unknownCase(unitCode, record.caseId())))
                    .map(v -> snapshot(person, record, timeline));
        });
    }

    /**
     * Locks the record, and first the other record a MERGE names ({@code into}) if that one's case id is the lower: a
     * merge locks both, always the lower case id first, so two opposite merges of the same two records at the same
     * moment wait for each other instead of each holding one lock and waiting for the other (a deadlock the database
     * would end by failing one of them). An {@code into} that is not a case id is left for {@link #merge} to refuse.
     */
    private Mono<CaseRecord> lockInOrder(UnitCode unit, UUID caseId, String into) {
        Mono<CaseRecord> record = store.lock(unit, caseId);
        UUID other;
        try {
            other = into == null || into.isBlank() ? null : UUID.fromString(into.trim());
        } catch (IllegalArgumentException e) {
            other = null;
        }
        return other != null && other.compareTo(caseId) < 0 ? store.lock(unit, other).then(record) : record;
    }

    /**
     * The reporter's verdict (回访) on the locked record, with what its timeline says about the last round of handling;
     * a NOT_FIXED verdict reopens the case with a new handling due time from now.
     */
    private CaseChange verdict(CaseRecord record, List<TimelineEntry> timeline, ActionRequest request, Person person,
                               Instant now) {
        String asked = blankToNull(request.verdict());
        Verdict verdict = asked == null ? null : Verdict.parse(asked).orElseThrow(() -> InvalidRequestException
                .unprocessable("verdict", "unknown verdict '" + asked + "'; a verdict is SATISFIED or NOT_FIXED"));
        Instant reopenDue = due(Stage.HANDLING, record.details().categoryCode(), now);
        return CaseStateMachine.giveVerdict(record, person.username(), verdict, request.note(),
                HandlingRound.of(record.unit(), timeline), verdictWindow, reopenDue, now);
    }

    /**
     * Merges the locked record into the open case named by {@code into}, held by the same unit (locked in turn): the
     * merged record closes, the survivor's timeline says so, and the merged record's reporter follows the survivor. Gives
     * the merged record's new entry.
     */
    private Mono<UUID> merge(CaseRecord record, ActionRequest request, Person person, Instant now) {
        String into = blankToNull(request.into());
        if (into == null) {
            throw InvalidRequestException.unprocessable("into", "MERGE needs into: the id of the open case of "
                    + record.unit() + " that this record duplicates");
        }
        UUID survivorId;
        try {
            survivorId = UUID.fromString(into);
        } catch (IllegalArgumentException e) {
            throw InvalidRequestException.malformed("into", "'" + into + "' is not a case id (a UUID)");
        }
        if (survivorId.equals(record.caseId())) {
            throw InvalidRequestException.unprocessable("into", "a case cannot be merged into itself");
        }
        return store.lock(record.unit(), survivorId)
                .switchIfEmpty(Mono.error(() -> InvalidRequestException.unprocessable("into", record.unit()
                        + " holds no record of case " + survivorId + "; a case is merged into an open case of the same"
                        + " unit")))
                .flatMap(survivor -> {
                    CaseStateMachine.Merge merge = CaseStateMachine.merge(record, survivor, person.username(),
                            request.note(), now);
                    return apply(merge.merged(), now).then(apply(merge.survivor(), now))
                            .then(store.follow(record.unit(), survivorId, record.caseId(), record.details().reporter(),
                                    now))
                            .thenReturn(merge.merged().entries().get(0).id());
                });
    }

    /** Whether the person may see the record; a citizen also sees a case they follow (their report was merged in). */
    private Mono<Jurisdiction.Visibility> visibility(Person person, CaseRecord record) {
        Jurisdiction.Visibility v = Jurisdiction.visibility(person, record);
        if (v != Jurisdiction.Visibility.HIDDEN) {
            return Mono.just(v);
        }
        return store.follows(record.unit(), record.caseId(), person.username())
                .map(follows -> Jurisdiction.visibility(person, record, follows));
    }

    /** A dispatch to an officer names one who serves the unit: its own department officer, or one assigned to it. */
    private void checkOfficer(String officer, UnitCode unit, String unitCode) {
        checkOfficer("officer", officer, unit, unitCode);
    }

    private void checkOfficer(String field, String officer, UnitCode unit, String unitCode) {
        boolean serves = node.directory().roster().find(officer).map(m -> m.isOfficerFor(unit)).orElse(false);
        if (!serves) {
            throw InvalidRequestException.unprocessable(field, "'" + officer + "' is not a department officer of "
                    + unit + " or assigned to it; GET /api/units/" + unitCode + "/roster lists who serves the unit");
        }
    }

    /**
     * Nothing if the officer is at work at the unit at {@code now}; refused (422 on {@code field}) saying their absence
     * if a supervisor marked them away (请假, 离岗) then.
     */
    private Mono<Void> atWork(String field, String officer, UnitCode unit, String unitCode, Instant now) {
        return absences.find(unit, officer, now).filter(a -> a.awayAt(now))
                .flatMap(a -> Mono.error(InvalidRequestException.unprocessable(field, "'" + officer + "' is "
                        + a.describe() + "; give the work to an officer at work: GET /api/units/" + unitCode
                        + "/todo/officers says who is away")));
    }

    // ---- an officer away (请假, 离岗) ------------------------------------------------------------------------

    /** The longest reason an absence keeps. */
    public static final int ABSENCE_REASON_MAX = 1000;

    /**
     * A supervisor of the unit marks one of the officers serving it away from its work, from {@code from} (none: now)
     * until {@code until} (none: until marked back), saying why; it replaces the absence kept for them. While it lasts
     * nobody dispatches, reassigns or hands work over to them at the unit. What they hold stays theirs: hand it over
     * ({@link #handOver}).
     */
    public Mono<OfficerAbsence> markAway(String unitCode, String officer, Instant from, Instant until, String reason,
                                         Person person) {
        return Mono.defer(() -> {
            Unit unit = node.requireServed(unitCode);
            Jurisdiction.checkOfficerAbsence(person, unit.code());
            checkOfficer(officer, unit.code(), unitCode);
            String why = InvalidRequestException.requiredText("reason", reason, ABSENCE_REASON_MAX,
                    "an absence says why (reason: 请假, 培训, 离职…)");
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            Instant begins = from == null ? now : from.truncatedTo(ChronoUnit.MICROS);
            Instant ends = until == null ? null : until.truncatedTo(ChronoUnit.MICROS);
            if (ends != null && !ends.isAfter(begins)) {
                throw InvalidRequestException.unprocessable("until", "an absence ends after it begins; " + ends
                        + " is not after " + begins);
            }
            if (ends != null && !ends.isAfter(now)) {
                throw InvalidRequestException.unprocessable("until", "this absence would have ended already (" + ends
                        + "); an officer back at work is marked back (DELETE …/away)");
            }
            OfficerAbsence absence = new OfficerAbsence(unit.code(), officer, begins, ends, why, person.username(), now);
            return tx.transactional(absences.lock(unit.code(), officer).then(absences.mark(absence)))
                    .thenReturn(absence);
        });
    }

    /**
     * A supervisor of the unit marks the officer back at work (返岗); whether an absence was kept for them. It stays in
     * the unit's record of absences ({@link #absenceRecord}).
     */
    public Mono<Boolean> markBack(String unitCode, String officer, Person person) {
        return Mono.defer(() -> {
            Unit unit = node.requireServed(unitCode);
            Jurisdiction.checkOfficerAbsence(person, unit.code());
            return tx.transactional(absences.lock(unit.code(), officer).then(absences.remove(unit.code(), officer,
                    person.username(), clock.instant().truncatedTo(ChronoUnit.MICROS))));
        });
    }

    /** The time on the node's clock (what "now" is for the views it answers). */
    public Instant now() {
        return clock.instant();
    }

    /**
     * The unit's record of absences (请假记录): the one kept for each officer (under way, to come, or run out) and those
     * that ended by being replaced or marked back, of one officer when {@code officer} is not null; the latest
     * beginning first, at most {@code limit}. Read as the officers' workloads are.
     */
    public Mono<List<OfficerAbsences.Kept>> absenceRecord(String unitCode, String officer, int limit, Person person) {
        return Mono.defer(() -> {
            Unit unit = node.requireServed(unitCode);
            Jurisdiction.checkQueue(person, unit.code());
            return absences.record(unit.code(), officer == null || officer.isBlank() ? null : officer.strip(), limit)
                    .collectList();
        });
    }

    // ---- an officer's work handed over (工作交接) --------------------------------------------------------

    /** How many of an officer's records one handover moves at most; the rest wait for the next one. */
    public static final int HANDOVER_CAP = 500;
    private static final int HANDOVER_PAGE = 200;

    /**
     * What a handover did: the records given to {@code to} (改派, each a REASSIGN of its own), those left with
     * {@code from} and why (a request of theirs waits on a decision, or the record changed meanwhile), and whether
     * {@code from} holds more than one handover moves ({@link #HANDOVER_CAP}).
     */
    public record Handover(UnitCode unit, String from, String to, List<UUID> reassigned, List<Left> left,
                           boolean more) {

        public record Left(UUID caseId, String why) {
        }
    }

    /**
     * A supervisor of the unit gives every record one of its department officers holds (given to them, signed for,
     * started, reworked) to another officer serving the unit: an officer away, on leave or gone hands over their work
     * (工作交接). Each record is reassigned by its own REASSIGN in its own transaction, as from the case page, so each
     * travels the chain and its timeline says who had it and who has it now; a record whose officer's request waits
     * on a decision stays with them (decide it first). Sent again, it moves what is left: what it moved is no longer
     * the first officer's. With an idempotency key, each record's REASSIGN is kept under a key of its own derived from
     * it, so a handover sent again after a lost answer takes no action twice.
     */
    public Mono<Handover> handOver(String unitCode, String from, String to, String note, Person person,
                                   String idempotencyKey) {
        return Mono.defer(() -> {
            Unit unit = node.requireServed(unitCode);
            Jurisdiction.checkHandOver(person, unit.code());
            String officer = blankToNull(to);
            if (officer == null) {
                throw InvalidRequestException.malformed("to", "a handover names the officer to give the work to (to)");
            }
            if (officer.equals(from)) {
                throw InvalidRequestException.unprocessable("to", "the work is " + from + "'s already; a handover"
                        + " gives it to another officer");
            }
            checkOfficer("to", officer, unit.code(), unitCode);
            if (blankToNull(note) == null) {
                throw InvalidRequestException.malformed("note", "a handover needs a note saying why");
            }
            QueueFilter theirs = new QueueFilter(null, null, null, null, from);
            return atWork("to", officer, unit.code(), unitCode, clock.instant()).then(Mono.just(new QueuePage(List.of(), -1L)))
                    .expand(page -> page.nextSeq() == null ? Mono.empty()
                            : store.queue(unit.code(), theirs, HANDOVER_PAGE, page.nextSeq() < 0 ? null : page.nextSeq()))
                    .concatMapIterable(QueuePage::records)
                    .filter(r -> from.equals(r.assignee()) && !r.status().isTerminal()
                            && r.status() != CaseStatus.RESOLVED && r.status() != CaseStatus.VERIFIED)
                    .take(HANDOVER_CAP + 1L)
                    .collectList()
                    .flatMap(held -> {
                        boolean more = held.size() > HANDOVER_CAP;
                        List<CaseRecord> moving = more ? held.subList(0, HANDOVER_CAP) : held;
                        List<UUID> reassigned = new ArrayList<>();
                        List<Handover.Left> left = new ArrayList<>();
                        ActionRequest reassign = new ActionRequest(CaseAction.REASSIGN, note, null, officer, null,
                                null, null);
                        return Flux.fromIterable(moving).concatMap(r -> {
                            if (r.pending() != null) {
                                left.add(new Handover.Left(r.caseId(), "a " + r.pending().kind() + " request of "
                                        + r.pending().requestedBy() + " waits on a decision first"));
                                return Mono.empty();
                            }
                            String key = idempotencyKey == null ? null
                                    : "handover:" + KeyedIds.of("handover", idempotencyKey, r.caseId().toString());
                            return act(unitCode, r.caseId(), reassign, person, null, key)
                                    .doOnNext(done -> reassigned.add(r.caseId()))
                                    .then()
                                    // the record changed meanwhile (a handover at the same moment gave it on)
                                    .onErrorResume(e -> e instanceof IllegalTransitionException
                                            || e instanceof InvalidCommandException, e -> {
                                        left.add(new Handover.Left(r.caseId(), e.getMessage()));
                                        return Mono.empty();
                                    });
                        }).then(Mono.fromSupplier(() -> new Handover(unit.code(), from, officer,
                                List.copyOf(reassigned), List.copyOf(left), more)));
                    });
        });
    }

    // ---- supervision (督办) -------------------------------------------------------------------------------

    public Mono<CaseStore.SupervisionNotice> supervise(String unitCode, SuperviseCase request, Person person) {
        return supervise(unitCode, request, person, null);
    }

    /**
     * A supervisor of {@code unitCode} (or a leader who answers for the unit below) tells the unit holding an overdue
     * record below it to finish by a new deadline: kept here, sent there as {@code gridlink.case.supervised.v1}. Sent
     * with an idempotency key, the notice's id is derived from the unit, the person and the key ({@link #noticeId}): the
     * same notice sent again answers the one kept (even once the record is no longer overdue, which the first notice
     * may have done), and is neither kept nor sent twice; another notice under the key is refused (422).
     *
     * @param idempotencyKey the client's key, or null for none (every notice a new one)
     */
    public Mono<CaseStore.SupervisionNotice> supervise(String unitCode, SuperviseCase request, Person person,
                                                       String idempotencyKey) {
        return Mono.defer(() -> {
            Unit unit = node.requireServed(unitCode);
            UnitCode below = parseUnit("unit", request.unit());
            if (below.equals(unit.code()) || !unit.code().contains(below)) {
                throw InvalidRequestException.unprocessable("unit", below + " is not below " + unit.code()
                        + ": a unit supervises the records of the units under it");
            }
            Jurisdiction.checkSupervise(person, unit.code(), below);
            if (idempotencyKey == null) {
                return newNotice(unitCode, unit, below, request, person, UUID.randomUUID());
            }
            UUID id = noticeId(unit.code(), person, idempotencyKey);
            return store.findSupervision(unit.code(), id)
                    .map(kept -> sameNotice(kept, below, request))
                    .switchIfEmpty(Mono.defer(() -> newNotice(unitCode, unit, below, request, person, id)
                            .onErrorResume(DuplicateKeyException.class, raced -> store.findSupervision(unit.code(), id)
                                    .map(kept -> sameNotice(kept, below, request))
                                    .switchIfEmpty(Mono.error(raced)))));
        });
    }

    private Mono<CaseStore.SupervisionNotice> newNotice(String unitCode, Unit unit, UnitCode below,
                                                        SuperviseCase request, Person person, UUID id) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS); // as the database keeps it
        if (request.dueAt() == null || !request.dueAt().isAfter(now)) {
            throw InvalidRequestException.unprocessable("dueAt", "a supervision notice sets a new deadline in the"
                    + " future" + (request.dueAt() == null ? "" : "; " + request.dueAt() + " is not after " + now));
        }
        Instant dueAt = request.dueAt().truncatedTo(ChronoUnit.MICROS);
        UUID caseId = request.caseId();
        boolean leader = person.has(Role.LEADER) && !person.has(Role.SUPERVISOR);
        String note = blankToNull(request.note());
        TimelineEntry entry = TimelineEntry.of(now, unit.code(), person.username(), "SUPERVISE", null, null,
                (leader ? "领导督办 (leader supervision): " : "督办 (supervision): ") + "finish by " + dueAt
                        + (note == null ? "" : "; " + note));
        CaseStore.SupervisionNotice notice = new CaseStore.SupervisionNotice(id, unit.code(), caseId, below,
                person.username(), leader, dueAt, note, now);
        Mono<Void> work = store.knowsOverdue(unit.code(), caseId, below)
                .flatMap(known -> {
                    if (!known) {
                        return Mono.error(InvalidRequestException.unprocessable("caseId", unit.code()
                                + " knows of no overdue record of case " + caseId + " at " + below
                                + "; GET /api/units/" + unitCode + "/cases/overdue lists the overdue records below it"));
                    }
                    return store.saveSupervision(notice)
                            .then(Mono.deferContextual(context -> outbox.append(tracing.stamped(events.supervised(
                                    caseId, unit.code(), below, person.username(), leader, dueAt, note, entry, now),
                                    context))));
                });
        return tx.transactional(work)
                .doOnSuccess(v -> meters.counter("gridlink.cases.supervised", "leader", Boolean.toString(leader))
                        .increment())
                .thenReturn(notice);
    }

    /**
     * A supervision notice's id under an idempotency key: a name-based UUID (version 3) of the unit, the person and the
     * key, apart from a report's under the same key ({@link #reportId}).
     */
    static UUID noticeId(UnitCode unit, Person person, String idempotencyKey) {
        return KeyedIds.of("supervision", idempotencyKey, unit.value(), person.username());
    }

    /** The notice kept under the key, if the one asked is the same (record, unit, deadline, note); otherwise a 422. */
    private static CaseStore.SupervisionNotice sameNotice(CaseStore.SupervisionNotice kept, UnitCode below,
                                                          SuperviseCase asked) {
        boolean same = kept.caseId().equals(asked.caseId()) && kept.supervisedUnit().equals(below)
                && asked.dueAt() != null && kept.dueAt().equals(asked.dueAt().truncatedTo(ChronoUnit.MICROS))
                && Objects.equals(kept.note(), blankToNull(asked.note()));
        if (!same) {
            throw InvalidRequestException.unprocessable("Idempotency-Key", "this Idempotency-Key was used at "
                    + kept.sentAt() + " for a different supervision notice (" + kept.id() + ", case " + kept.caseId()
                    + " at " + kept.supervisedUnit() + "); a new notice needs a new key");
        }
        return kept;
    }

    /** The supervision notices the unit sent, newest first. */
    public Flux<CaseStore.SupervisionNotice> supervisions(String unitCode, int limit, Person person) {
        return Flux.defer(() -> {
            Unit unit = node.requireServed(unitCode);
            Jurisdiction.checkQueue(person, unit.code());
            return store.supervisions(unit.code(), limit);
        });
    }

    // ---- what the overdue scan does as the system ---------------------------------------------------------

    /** Escalates a locked record that stayed overdue past its category's grace period; false when it cannot go up. */
    Mono<Boolean> autoEscalate(CaseRecord record, String note, Instant now) {
        CaseChange change = CaseStateMachine.autoEscalate(record, note, now);
        if (change == null) {
            return Mono.just(false);
        }
        return apply(change, now).doOnSuccess(v -> meters.counter("gridlink.cases.auto-escalated").increment())
                .thenReturn(true);
    }

    /** A locked parked record reached its review date. */
    Mono<Void> reviewPark(CaseRecord record, Instant now) {
        return apply(CaseStateMachine.reviewPark(record, now), now);
    }

    private static UnitCode parseUnit(String field, String code) {
        if (code == null || !UnitCode.isValid(code.trim())) {
            throw InvalidRequestException.malformed(field, "'" + code + "' is not a unit code (12 digits)");
        }
        return UnitCode.of(code.trim());
    }

    /**
     * The verification due time for a progress entry that resolves the record here (a child's RESOLVE or VERIFY), else
     * null: worked out on the calendar only then, not for every entry a node applies.
     */
    private Instant verifyDueIfResolved(CaseRecord record, UnitCode from, TimelineEntry entry, Instant now) {
        return CaseStateMachine.childResolved(record, from, entry)
                ? due(Stage.VERIFICATION, record.details().categoryCode(), now) : null;
    }

    /**
     * When a stage started at {@code from} runs out: the category's limit for the stage on the working calendar
     * (seeds: categories.json, calendar.json), or its plain time limit for a category without stage limits.
     */
    private Instant due(Stage stage, String categoryCode, Instant from) {
        return node.directory().limits(categoryCode)
                .map(limits -> limits.of(stage).dueFrom(from, node.directory().calendar()))
                .orElseGet(() -> from.plus(node.directory().category(categoryCode).map(Category::timeLimit)
                        .orElse(Duration.ofDays(3))));
    }

    private UnitCode parseTarget(CaseAction action, String target) {
        if (target == null || target.isBlank()) {
            return null;
        }
        if (!UnitCode.isValid(target.trim())) {
            throw InvalidRequestException.malformed("target", "target '" + target + "' is not a unit code (12 digits)");
        }
        UnitCode code = UnitCode.of(target.trim());
        if (action == CaseAction.DISPATCH && node.directory().find(code).isEmpty()) {
            throw InvalidRequestException.unprocessable("target", "there is no unit " + code + " to dispatch to");
        }
        return code;
    }

    // ---- reads ------------------------------------------------------------------------------------------

    /** The record with its timeline, and the actions its status allows and the person may do. */
    public Mono<CaseSnapshot> read(String unitCode, UUID caseId, Person person) {
        return Mono.defer(() -> {
            Unit unit = node.requireServed(unitCode);
            Jurisdiction.checkRead(person, unit.code());
            return store.findWithTimeline(unit.code(), caseId)
                    .filterWhen(read -> visibility(person, read.record()).map(v -> v != Jurisdiction.Visibility.HIDDEN))
                    .switchIfEmpty(Mono.error(() -> unknownCase(unitCode, caseId)))
                    .map(read -> snapshot(person, read.record(), read.timeline()));
        });
    }

    /**
     * The record as read, with the evidence of the reports merged into it (their photos: what the duplicate reporters
     * saw) for whoever may read the unit's queue; a resident who follows the case is not shown another's photos. Looked
     * up only for a record that a report was merged into.
     */
    public Mono<CaseSnapshot> withMergedEvidence(CaseSnapshot s, Person person) {
        CaseRecord r = s.record();
        if (s.timeline().stream().noneMatch(e -> CaseStateMachine.MERGED_IN.equals(e.action()))
                || !Jurisdiction.mayRead(person, r.unit())) {
            return Mono.just(s);
        }
        return store.mergedEvidence(r.unit(), r.caseId())
                .collectMultimap(CaseStore.MergedEntry::mergedCaseId, CaseStore.MergedEntry::entry,
                        LinkedHashMap::new)
                .map(byCase -> {
                    List<EvidenceRef> merged = new ArrayList<>();
                    byCase.forEach((id, entries) -> merged.addAll(EvidenceRef.merged(id, List.copyOf(entries))));
                    return new CaseSnapshot(r, s.timeline(), s.allowedActions(), merged);
                });
    }

    /** The record and its timeline with the actions its status allows and the person may do. */
    private CaseSnapshot snapshot(Person person, CaseRecord record, List<TimelineEntry> timeline) {
        Set<CaseAction> allowed = EnumSet.noneOf(CaseAction.class);
        allowed.addAll(CaseStateMachine.allowedActions(record));
        if (CaseStateMachine.mayMerge(record)) {
            allowed.add(CaseAction.MERGE);
        }
        if (CaseStateMachine.mayComment(record)) {
            allowed.add(CaseAction.COMMENT);
        }
        if (verdictOpen(record, timeline)) {
            allowed.add(CaseAction.VERDICT);
        }
        allowed.retainAll(Jurisdiction.permitted(person, record));
        if (person.isCitizenOnly()) {
            // a resident reads where it stands and what came of it, not the staff's names and notes (ResidentView)
            return new CaseSnapshot(ResidentView.record(record), ResidentView.timeline(timeline, person.username()),
                    allowed);
        }
        return new CaseSnapshot(record, timeline, allowed);
    }

    /** Whether the record takes the reporter's verdict now: closed where reported, resolved, in time, none given yet. */
    private boolean verdictOpen(CaseRecord record, List<TimelineEntry> timeline) {
        if (!CaseStateMachine.takesVerdict(record)) {
            return false;
        }
        HandlingRound round = HandlingRound.of(record.unit(), timeline);
        return round.resolver() != null && round.closedAt() != null && round.verdict() == null
                && !clock.instant().isAfter(round.closedAt().plus(verdictWindow));
    }

    /** What the unit was told about overdue records in its subtree, newest first. */
    public Flux<CaseStore.OverdueNotice> overdueBelow(String unitCode, int limit, Person person) {
        return Flux.defer(() -> {
            Unit unit = node.requireServed(unitCode);
            Jurisdiction.checkQueue(person, unit.code());
            return store.overdueNotices(unit.code(), limit);
        });
    }

    /**
     * A page of a unit's queue, narrowed by {@code filter} ({@code overdue}: only the records whose running clock has
     * run out now). A grid cell must be one of the unit's.
     */
    public Mono<QueuePage> queue(String unitCode, QueueFilter filter, boolean overdue, int limit, Long after,
                                 Person person) {
        return Mono.defer(() -> {
            Unit unit = node.requireServed(unitCode);
            Jurisdiction.checkQueue(person, unit.code(), filter.reporter());
            checkGrid(unit, filter);
            QueueFilter narrowed = overdue ? filter.withOverdueAt(clock.instant()) : filter;
            Mono<QueuePage> page = store.queue(unit.code(), narrowed, limit, after);
            // a resident's own reports, without the staff's names (ResidentView)
            return person.isCitizenOnly() ? page.map(p -> new QueuePage(p.records().stream()
                    .map(ResidentView::record).toList(), p.nextSeq())) : page;
        });
    }

    /** A grid cell a filter names must be one of the unit's. */
    private void checkGrid(Unit unit, QueueFilter filter) {
        if (filter.grid() != null && node.directory().gridCells(unit.code()).stream()
                .noneMatch(cell -> cell.code().equals(filter.grid()))) {
            List<String> cells = node.directory().gridCells(unit.code()).stream().map(GridCell::code).toList();
            throw InvalidRequestException.malformed("grid", "'" + filter.grid() + "' is not a grid cell of "
                    + unit.code().value() + (cells.isEmpty() ? " (it has none: grid cells belong to communities)"
                    : "; its cells: " + String.join(", ", cells)));
        }
    }

    /** The most records a to-do count reads: a larger backlog is "at least" this many. */
    public static final int TASK_COUNT_CAP = 1000;

    /**
     * What waits on a unit's people now (待办): for each {@link org.gridlink.kernel.cases.Task} how many of the unit's
     * records, narrowed by {@code filter} (a category, a grid cell, an officer's), wait on it, and how many are
     * overdue; read by whoever may read the unit's queue.
     */
    public Mono<CaseStore.Todo> todo(String unitCode, QueueFilter filter, Person person) {
        return Mono.defer(() -> {
            Unit unit = node.requireServed(unitCode);
            Jurisdiction.checkQueue(person, unit.code());
            checkGrid(unit, filter);
            return store.todo(unit.code(), filter, clock.instant(), TASK_COUNT_CAP);
        });
    }

    /**
     * The work waiting on each department officer who serves the unit (the roster's, with none when nothing waits) and
     * on anyone else the unit's records are given to (an officer the roster no longer lists); read as the queue is.
     */
    public Mono<List<OfficerWork>> officerLoads(String unitCode, Person person) {
        return Mono.defer(() -> {
            Unit unit = node.requireServed(unitCode);
            Jurisdiction.checkQueue(person, unit.code());
            Instant now = clock.instant();
            return store.officerLoads(unit.code(), now).collectMap(CaseStore.OfficerLoad::officer)
                    .zipWith(absences.of(unit.code(), now).collectMap(OfficerAbsence::officer))
                    .map(both -> {
                        Map<String, CaseStore.OfficerLoad> all = new TreeMap<>(both.getT1());
                        node.directory().roster().officersFor(unit.code()).forEach(m ->
                                all.putIfAbsent(m.username(), CaseStore.OfficerLoad.none(m.username())));
                        both.getT2().keySet().forEach(o -> all.putIfAbsent(o, CaseStore.OfficerLoad.none(o)));
                        return all.values().stream().map(load -> {
                            OfficerAbsence away = both.getT2().get(load.officer());
                            return new OfficerWork(load, away, away != null && away.awayAt(now));
                        }).toList();
                    });
        });
    }

    /** The officers marked away from the unit's work now (请假, 离岗). */
    public Mono<Set<String>> officersAway(UnitCode unit) {
        return Mono.defer(() -> {
            Instant now = clock.instant();
            return absences.of(unit, now).filter(a -> a.awayAt(now)).map(OfficerAbsence::officer)
                    .collect(java.util.stream.Collectors.toUnmodifiableSet());
        });
    }

    /**
     * How many of the unit's records wait on the signature or the handling of its officers who are away now; empty when
     * none of them is.
     */
    public Mono<Long> heldByOfficersAway(UnitCode unit) {
        return officersAway(unit).filter(away -> !away.isEmpty())
                .flatMap(away -> store.officerLoads(unit, clock.instant()).filter(l -> away.contains(l.officer()))
                        .map(l -> l.toSign() + l.toHandle()).reduce(0L, Long::sum));
    }

    /**
     * What waits on an officer at a unit, and their absence from its work that has not ended (under way: {@code awayNow};
     * or to come), if a supervisor marked one.
     */
    public record OfficerWork(CaseStore.OfficerLoad load, OfficerAbsence away, boolean awayNow) {
    }

    // ---- other units' events ----------------------------------------------------------------------------

    /**
     * Applies one consumed event exactly once in effect; returns false for a redelivery that changed nothing. An
     * escalation or a dispatch of a case this node holds no record of is applied in one statement
     * ({@link #createdHere}); every other event, and those when the node turns out to hold the case or to have had the
     * event, in a transaction.
     */
    public Mono<Boolean> handle(CloudEvent event) {
        return tracing.applying(event,
                createdHere(event).switchIfEmpty(Mono.defer(() -> tx.transactional(applyOnce(event)))));
    }

    /**
     * An escalation or a dispatch that brings a case to this node for the first time (the common way up and down the
     * tiers) creates its record with its history, its inbox row and the events it sends in one statement, without a
     * transaction ({@link CaseStore#createIfNew}): one round trip where a transaction takes five. Empty, having written
     * nothing, for any other event, or when the node holds a record of the case already or the inbox has the event; and
     * when another transaction created the record meanwhile (its insert then fails with a duplicate key). A dispatch
     * this node routes on down by its location is applied in a transaction too (it makes two changes).
     */
    private Mono<Boolean> createdHere(CloudEvent event) {
        if (!CaseEventTypes.ESCALATED.equals(event.type()) && !CaseEventTypes.DISPATCHED.equals(event.type())) {
            return Mono.empty();
        }
        return Mono.deferContextual(context -> {
            UnitCode target = target(event);
            Instant now = clock.instant();
            CaseChange change;
            if (CaseEventTypes.ESCALATED.equals(event.type())) {
                Escalation e = escalation(event, target);
                change = newHere(received(Optional.empty(), e, target, now), e.from(), e.history(), e.entry());
            } else {
                Dispatch d = dispatch(event, target);
                CaseChange received = received(Optional.empty(), d, target, now);
                if (!routing.afterDispatch(received.record(), d.entry(), now).isEmpty()) {
                    return Mono.empty();
                }
                change = newHere(received, d.from(), d.history(), d.entry());
            }
            if (carriesHistory(change)) {
                return Mono.empty(); // its events are written after its history is read back: in a transaction
            }
            List<CloudEvent> sent = sent(change, List.of(), now, context);
            return store.createIfNew(change.record(), change.entries(), inbox.row(event),
                            sent.isEmpty() ? null : outbox.rows(sent))
                    .filter(Boolean::booleanValue)
                    .onErrorResume(DuplicateKeyException.class, raced -> Mono.empty());
        });
    }

    /**
     * Applies consumed events in their order, all in one transaction: each exactly once in effect, as
     * {@link #handle(CloudEvent)} would. One commit for many events is what lets a node that fell behind catch up (a
     * transaction's begin and commit and its WAL flush are paid once per batch); if one event fails, none is applied,
     * and the caller applies them one by one to find it. Returns how many were new.
     */
    public Mono<Integer> handleAll(List<CloudEvent> events) {
        return tx.transactional(Flux.fromIterable(events).concatMap(event -> tracing.applying(event, applyOnce(event)))
                .reduce(0, (n, applied) -> applied ? n + 1 : n));
    }

    /** The inbox row and the event's change; to be run inside a transaction. False for a copy, which changed nothing. */
    private Mono<Boolean> applyOnce(CloudEvent event) {
        return Mono.defer(() -> apply(event, target(event), clock.instant()));
    }

    /** The event's change if its inbox row is new (the row first, a statement of its own); false for a copy. */
    private Mono<Boolean> once(CloudEvent event, Mono<Void> change) {
        return inbox.firstDelivery(event.id(), event.type(), event.source())
                .flatMap(first -> first ? change.thenReturn(true) : Mono.just(false));
    }

    /**
     * For an event that brings an entry to a record this node holds: the inbox row, the record's lock and the entry in
     * one statement ({@link CaseStore#lockAndAppend(UnitCode, UUID, TimelineEntry, InsertRows)}), then {@code change}
     * from the locked record; false for a copy, which added nothing. An event about a case this node holds no record of
     * is refused. Issue 8: one round trip fewer for each such event (most of the events a node applies).
     */
    private Mono<Boolean> lockedOnce(UnitCode unit, UUID caseId, TimelineEntry entry, CloudEvent event,
                                     Function<CaseStore.Locked, Mono<Void>> change) {
        return store.lockAndAppend(unit, caseId, entry, inbox.row(event))
                .switchIfEmpty(Mono.error(() -> new MalformedEventException(event.type() + " " + event.id() + ": "
                        + unit + " holds no record of case " + caseId)))
                .flatMap(locked -> locked.delivered() ? change.apply(locked).thenReturn(true) : Mono.just(false));
    }

    /** The unit an event is addressed to, which this node must serve. */
    private UnitCode target(CloudEvent event) {
        UnitCode target = CaseEventMapper.unit(event.target(), "key (target unit)");
        if (!node.serves(target)) {
            throw new MalformedEventException("event " + event.id() + " is addressed to " + target
                    + ", which this " + node.tier().id() + " node does not serve");
        }
        return target;
    }

    /** An escalation event's content, read and checked: it comes from a child of the unit it is addressed to. */
    private record Escalation(UUID caseId, UnitCode from, CaseDetails details, TimelineEntry entry,
                              List<CaseEventData.Entry> history) {
    }

    private Escalation escalation(CloudEvent event, UnitCode target) {
        CaseEventData.Escalated e = events.read(event, CaseEventData.Escalated.class);
        UUID caseId = CaseEventMapper.require(e.caseId(), "caseId");
        UnitCode from = CaseEventMapper.unit(e.fromUnit(), "fromUnit");
        requireChild(target, from, event);
        return new Escalation(caseId, from, CaseEventMapper.details(e.details()), CaseEventMapper.entry(e.entry()),
                e.timeline());
    }

    /** What an escalation changes at {@code target}, which holds {@code existing} of the case (or nothing). */
    private CaseChange received(Optional<CaseRecord> existing, Escalation e, UnitCode target, Instant now) {
        // a new level, new clocks: this unit accepts and handles within its own limits
        return CaseStateMachine.receiveEscalation(existing, e.caseId(), target, e.from(), e.details(),
                due(Stage.ACCEPTANCE, e.details().categoryCode(), now),
                due(Stage.HANDLING, e.details().categoryCode(), now), now);
    }

    /** A dispatch event's content, read and checked: it comes from the parent of the unit it is addressed to. */
    private record Dispatch(UUID caseId, UnitCode from, CaseDetails details, TimelineEntry entry,
                            List<CaseEventData.Entry> history, Instant dueAt, String instructions) {
    }

    private Dispatch dispatch(CloudEvent event, UnitCode target) {
        CaseEventData.Dispatched e = events.read(event, CaseEventData.Dispatched.class);
        UUID caseId = CaseEventMapper.require(e.caseId(), "caseId");
        UnitCode from = CaseEventMapper.unit(e.fromUnit(), "fromUnit");
        if (!from.isParentOf(target)) {
            throw new MalformedEventException("dispatch " + event.id() + " to " + target + " comes from " + from
                    + ", which is not its parent");
        }
        return new Dispatch(caseId, from, CaseEventMapper.details(e.details()), CaseEventMapper.entry(e.entry()),
                e.timeline(), e.dueAt(), e.instructions());
    }

    /** What a dispatch changes at {@code target}, which holds {@code existing} of the case (or nothing). */
    private CaseChange received(Optional<CaseRecord> existing, Dispatch d, UnitCode target, Instant now) {
        // the clocks started with the dispatch, whenever it arrives here
        TimelineEntry entry = d.entry();
        Instant dispatchedAt = entry.at() != null && entry.at().isBefore(now) ? entry.at() : now;
        Instant handleBy = d.dueAt() != null ? d.dueAt() : due(Stage.HANDLING, d.details().categoryCode(), dispatchedAt);
        return CaseStateMachine.receiveDispatch(existing, d.caseId(), target, d.from(), d.details(), dispatchedAt,
                due(Stage.ACCEPTANCE, d.details().categoryCode(), dispatchedAt), handleBy, d.instructions(), now);
    }

    private Mono<Boolean> apply(CloudEvent event, UnitCode target, Instant now) {
        switch (event.type()) {
            case CaseEventTypes.ESCALATED -> {
                Escalation e = escalation(event, target);
                return once(event, store.lock(target, e.caseId()).map(Optional::of).defaultIfEmpty(Optional.empty())
                        .flatMap(existing -> receiveHistory(existing, received(existing, e, target, now), e.from(),
                                e.history(), e.entry(), now)));
            }
            case CaseEventTypes.DISPATCHED -> {
                Dispatch d = dispatch(event, target);
                return once(event, store.lock(target, d.caseId()).map(Optional::of).defaultIfEmpty(Optional.empty())
                        .flatMap(existing -> {
                            CaseChange change = received(existing, d, target, now);
                            return receiveHistory(existing, change, d.from(), d.history(), d.entry(), now)
                                    .thenMany(Flux.fromIterable(routing.afterDispatch(change.record(), d.entry(), now)))
                                    .concatMap(c -> apply(c, now)).then();
                        }));
            }
            case CaseEventTypes.RETURNED, CaseEventTypes.RETURNED_V2 -> {
                // both versions are accepted side by side: a parent may still run a release that sends v1
                UUID caseId;
                UnitCode from;
                TimelineEntry entry;
                String reason;
                if (CaseEventTypes.RETURNED.equals(event.type())) {
                    CaseEventData.Returned e = events.read(event, CaseEventData.Returned.class);
                    caseId = CaseEventMapper.require(e.caseId(), "caseId");
                    from = CaseEventMapper.unit(e.fromUnit(), "fromUnit");
                    entry = CaseEventMapper.entry(e.entry());
                    reason = e.reason();
                } else {
                    CaseEventData.ReturnedV2 e = events.read(event, CaseEventData.ReturnedV2.class);
                    caseId = CaseEventMapper.require(e.caseId(), "caseId");
                    from = CaseEventMapper.unit(e.fromUnit(), "fromUnit");
                    entry = CaseEventMapper.entry(e.entry());
                    CaseEventData.Reason r = CaseEventMapper.require(e.reason(), "reason");
                    reason = CaseEventMapper.require(r.note(), "reason.note");
                    if (r.code() != null) {
                        reason = "[" + r.code() + "] " + reason;
                    }
                }
                UnitCode returnedBy = from;
                String why = reason;
                return lockedOnce(target, caseId, entry, event, locked -> applyAfter(locked.record(), entry,
                        CaseStateMachine.receiveReturn(locked.record(), returnedBy, why, now), now));
            }
            case CaseEventTypes.PROGRESSED -> {
                CaseEventData.Progressed e = events.read(event, CaseEventData.Progressed.class);
                UUID caseId = CaseEventMapper.require(e.caseId(), "caseId");
                UnitCode from = CaseEventMapper.unit(e.fromUnit(), "fromUnit");
                TimelineEntry entry = CaseEventMapper.entry(e.entry());
                return lockedOnce(target, caseId, entry, event, locked ->
                        reopening(locked.record(), entry, locked.entryAdded(), now)
                                .flatMap(reopening -> applyAfter(locked.record(), entry, CaseStateMachine.receiveProgress(
                                        locked.record(), from, entry, e.resolution(), locked.entryAdded(),
                                        reopening.orElse(null), verifyDueIfResolved(locked.record(), from, entry, now),
                                        now), now)));
            }
            case CaseEventTypes.REQUESTED -> {
                CaseEventData.Requested e = events.read(event, CaseEventData.Requested.class);
                UUID caseId = CaseEventMapper.require(e.caseId(), "caseId");
                UnitCode from = CaseEventMapper.unit(e.fromUnit(), "fromUnit");
                TimelineEntry entry = CaseEventMapper.entry(e.entry());
                PendingRequest request = new PendingRequest(PendingRequest.Kind.parse(CaseEventMapper.require(e.kind(), "kind")),
                        from, target, e.requestedBy() == null ? entry.actor() : e.requestedBy(), e.reason(), e.note(),
                        e.until(), entry.at());
                return lockedOnce(target, caseId, entry, event, locked -> applyAfter(locked.record(), entry,
                        CaseStateMachine.receiveRequest(locked.record(), from, request, entry, locked.entryAdded(), now),
                        now));
            }
            case CaseEventTypes.DECIDED -> {
                CaseEventData.Decided e = events.read(event, CaseEventData.Decided.class);
                UUID caseId = CaseEventMapper.require(e.caseId(), "caseId");
                UnitCode from = CaseEventMapper.unit(e.fromUnit(), "fromUnit");
                TimelineEntry entry = CaseEventMapper.entry(e.entry());
                PendingRequest.Kind kind = PendingRequest.Kind.parse(CaseEventMapper.require(e.kind(), "kind"));
                boolean approved = CaseEventMapper.require(e.approved(), "approved");
                return lockedOnce(target, caseId, entry, event, locked -> applyAfter(locked.record(), entry,
                        CaseStateMachine.receiveDecision(locked.record(), from, kind, approved, e.until(), entry,
                                locked.entryAdded(), now), now));
            }
            case CaseEventTypes.SUPERVISED -> {
                CaseEventData.Supervised e = events.read(event, CaseEventData.Supervised.class);
                UUID caseId = CaseEventMapper.require(e.caseId(), "caseId");
                UnitCode from = CaseEventMapper.unit(e.fromUnit(), "fromUnit");
                if (from.equals(target) || !from.contains(target)) {
                    throw new MalformedEventException("supervision notice " + event.id() + " to " + target
                            + " comes from " + from + ", which is not above it");
                }
                TimelineEntry entry = CaseEventMapper.entry(e.entry());
                Instant due = CaseEventMapper.require(e.dueAt(), "dueAt");
                boolean leader = Boolean.TRUE.equals(e.leader());
                return lockedOnce(target, caseId, entry, event, locked -> applyAfter(locked.record(), entry,
                        CaseStateMachine.receiveSupervision(locked.record(), from, entry, due, leader,
                                locked.entryAdded(), now), now));
            }
            case CaseEventTypes.OVERDUE_CLEARED -> {
                CaseEventData.OverdueCleared e = events.read(event, CaseEventData.OverdueCleared.class);
                UUID caseId = CaseEventMapper.require(e.caseId(), "caseId");
                UnitCode unit = CaseEventMapper.unit(e.unit(), "unit");
                return once(event, store.clearOverdueNotice(target, caseId, unit,
                        CaseEventMapper.require(e.clock(), "clock"), CaseEventMapper.require(e.clearedAt(), "clearedAt"),
                        e.reason()));
            }
            case CaseEventTypes.OVERDUE -> {
                CaseEventData.Overdue e = events.read(event, CaseEventData.Overdue.class);
                UUID caseId = CaseEventMapper.require(e.caseId(), "caseId");
                UnitCode overdueUnit = CaseEventMapper.unit(e.unit(), "unit");
                if (overdueUnit.equals(target) || !target.contains(overdueUnit)) {
                    throw new MalformedEventException("overdue notice " + event.id() + " to " + target + " is about "
                            + overdueUnit + ", which is not below it");
                }
                return once(event, store.saveOverdueNotice(target, new CaseStore.OverdueNotice(caseId, overdueUnit,
                        CaseEventMapper.require(e.clock(), "clock"), CaseEventMapper.require(e.dueAt(), "dueAt"),
                        CaseEventMapper.require(e.detectedAt(), "detectedAt"), CaseEventMapper.require(e.status(), "status"),
                        CaseEventMapper.require(e.categoryCode(), "categoryCode"), CaseEventMapper.require(e.title(), "title"),
                        e.gridCode())));
            }
            default -> {
                for (InboxEvents other : otherEvents) {
                    if (other.applies(event.type())) {
                        return once(event, Mono.defer(() -> other.apply(event, target, now)));
                    }
                }
                // a newer peer's event type: recorded in the inbox, otherwise ignored (tolerant reader)
                log.info("ignoring event {} of unknown type {}", event.id(), event.type());
                return once(event, Mono.empty());
            }
        }
    }

    /** For a NOT_FIXED verdict new to this node: the unit that resolved the case (from the history held here). */
    private Mono<Optional<CaseStateMachine.Reopening>> reopening(CaseRecord record, TimelineEntry entry, boolean isNew,
                                                                 Instant now) {
        if (!isNew || !Verdict.NOT_FIXED.action().equals(entry.action())) {
            return Mono.just(Optional.empty());
        }
        return store.timeline(record.unit(), record.caseId()).collectList()
                .map(timeline -> Optional.ofNullable(HandlingRound.of(record.unit(), timeline).resolver())
                        .map(resolver -> new CaseStateMachine.Reopening(resolver,
                                due(Stage.HANDLING, record.details().categoryCode(), now))));
    }

    private static void requireChild(UnitCode target, UnitCode from, CloudEvent event) {
        if (!target.isParentOf(from)) {
            throw new MalformedEventException("escalation " + event.id() + " to " + target + " comes from " + from
                    + ", which is not its child");
        }
    }

    /**
     * Adds the entries that came with an escalation or dispatch (its history and its own entry) and applies the change
     * it made, with the entries new here forwarded to the record's other neighbours. A record new here has no timeline
     * yet (every write to a timeline comes with its record), so all of them are new and they are written with the
     * record and its events, in one statement; to a record the node holds they are added first, to learn which are new.
     */
    private Mono<Void> receiveHistory(Optional<CaseRecord> existing, CaseChange change, UnitCode from,
                                      List<CaseEventData.Entry> history, TimelineEntry entry, Instant now) {
        if (existing.isEmpty()) {
            return apply(newHere(change, from, history, entry), now);
        }
        CaseRecord record = change.record();
        return store.appendAll(record.unit(), record.caseId(), broughtEntries(history, entry))
                .flatMap(fresh -> apply(CaseStateMachine.forwardHistory(change, fresh, from), now));
    }

    /**
     * The change an escalation or dispatch makes at a node that holds no record of the case: every entry it brings is
     * new here, written with the record, and goes on to the record's other neighbours.
     */
    private static CaseChange newHere(CaseChange change, UnitCode from, List<CaseEventData.Entry> history,
                                      TimelineEntry entry) {
        List<TimelineEntry> fresh = distinct(broughtEntries(history, entry));
        CaseChange forwarded = CaseStateMachine.forwardHistory(change, fresh, from);
        List<TimelineEntry> entries = new ArrayList<>(fresh);
        entries.addAll(forwarded.entries());
        return new CaseChange(forwarded.record(), distinct(entries), forwarded.messages());
    }

    /** The history an escalation or dispatch brings, and its own entry last. */
    private static List<TimelineEntry> broughtEntries(List<CaseEventData.Entry> history, TimelineEntry entry) {
        List<TimelineEntry> all = new ArrayList<>();
        if (history != null) {
            history.stream().map(CaseEventMapper::entry).forEach(all::add);
        }
        all.add(entry);
        return all;
    }

    /** The entries in their order, each id once (its first). */
    private static List<TimelineEntry> distinct(List<TimelineEntry> entries) {
        Set<UUID> ids = new HashSet<>();
        return entries.stream().filter(e -> ids.add(e.id())).toList();
    }

    /** Stores a change: the record, its new timeline entries, and one outbox event per outgoing message. */
    private Mono<Void> apply(CaseChange change, Instant now) {
        return apply(change, true, now);
    }

    /**
     * Stores the change an event made to {@code before}, the record as locked here, whose timeline already holds
     * {@code stored} (the event's entry, appended first to learn whether it is new): the record is written only if the
     * change changed it, and that entry is not appended again. Most progress a node hears of changes only the timeline
     * and goes on to the record's other neighbours; that is two statements fewer for each.
     */
    private Mono<Void> applyAfter(CaseRecord before, TimelineEntry stored, CaseChange change, Instant now) {
        List<TimelineEntry> entries = change.entries().stream().filter(e -> !e.id().equals(stored.id())).toList();
        return apply(new CaseChange(change.record(), entries, change.messages()), !change.record().equals(before), now);
    }

    /**
     * Writes the change and the outbox rows of the events it sends. An escalation or a dispatch carries the case's whole
     * history, read back once the change's entries are written, so its events are written after that read; any other
     * change's events go in the change's own statement (one round trip for the change and its events).
     */
    private Mono<Void> apply(CaseChange change, boolean recordChanged, Instant now) {
        return Mono.deferContextual(context -> {
            CaseRecord record = change.record();
            if (carriesHistory(change)) {
                return write(change, recordChanged, null)
                        .then(store.timeline(record.unit(), record.caseId()).collectList())
                        .flatMap(history -> outbox.appendAll(sent(change, history, now, context)));
            }
            List<CloudEvent> sent = sent(change, List.of(), now, context);
            return write(change, recordChanged, sent.isEmpty() ? null : outbox.rows(sent));
        });
    }

    /**
     * Writes a change to a record whose timeline before it, read with the record's lock, is {@code before}: the history
     * an escalation or a dispatch carries is that and the change's new entries, so the change and all its events are
     * written in one statement. Returns the record's timeline after the change.
     */
    private Mono<List<TimelineEntry>> apply(CaseChange change, List<TimelineEntry> before, Instant now) {
        return Mono.deferContextual(context -> {
            List<TimelineEntry> after = timelineAfter(before, change.entries());
            List<CloudEvent> sent = sent(change, carriesHistory(change) ? after : List.of(), now, context);
            return write(change, true, sent.isEmpty() ? null : outbox.rows(sent)).thenReturn(after);
        });
    }

    /** Whether the change sends the case's whole history: an escalation or a dispatch does. */
    private static boolean carriesHistory(CaseChange change) {
        return change.messages().stream().anyMatch(m -> m instanceof Outgoing.Escalation || m instanceof Outgoing.Dispatch);
    }

    /**
     * A record's timeline after a change adds {@code added} to it, in the order the database keeps it (by time, then
     * as written): {@code before} in that order, then the entries it does not have yet (each once), the whole sorted
     * stably by time. Every write to a timeline holds its record's lock, so nothing else comes in between.
     */
    static List<TimelineEntry> timelineAfter(List<TimelineEntry> before, List<TimelineEntry> added) {
        List<TimelineEntry> all = new ArrayList<>(before);
        all.addAll(added);
        List<TimelineEntry> after = new ArrayList<>(distinct(all));
        after.sort(Comparator.comparing(TimelineEntry::at));
        return after;
    }

    private Mono<Void> write(CaseChange change, boolean recordChanged, TrailingWrite also) {
        CaseRecord record = change.record();
        return recordChanged ? store.save(record, change.entries(), also)
                : store.append(record.unit(), record.caseId(), change.entries(), also);
    }

    /** The events a change sends, carrying the trace of the work that made it ({@link EventTracing}). */
    private List<CloudEvent> sent(CaseChange change, List<TimelineEntry> history, Instant now, ContextView context) {
        return tracing.stamped(change.messages().stream().map(m -> events.toEvent(m, change.record(), history, now))
                .toList(), context);
    }

    private static UnknownCaseException unknownCase(String unit, UUID caseId) {
        return new UnknownCaseException("unit " + unit + " holds no record of case " + caseId);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
