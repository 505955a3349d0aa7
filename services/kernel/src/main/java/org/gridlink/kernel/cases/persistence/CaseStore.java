package org.gridlink.kernel.cases.persistence;

import static org.gridlink.kernel.support.r2dbc.NamedValues.utc;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.gridlink.contracts.UnitCode;
import org.gridlink.kernel.cases.Accountability;
import org.gridlink.kernel.cases.CaseDetails;
import org.gridlink.kernel.cases.PendingRequest;
import org.gridlink.kernel.cases.CaseRecord;
import org.gridlink.kernel.cases.CaseStatus;
import org.gridlink.kernel.cases.Location;
import org.gridlink.kernel.cases.Origin;
import org.gridlink.kernel.cases.Task;
import org.gridlink.kernel.cases.TimelineEntry;
import org.gridlink.kernel.support.r2dbc.InsertRows;
import org.gridlink.kernel.support.r2dbc.NamedValues;
import org.gridlink.kernel.support.r2dbc.TrailingWrite;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The R2DBC adapter for case records and their timelines in this node's own database.
 * <p>
 * A plain component, not a {@code @Repository}: DatabaseClient already turns R2DBC's exceptions into Spring's
 * DataAccessException inside the Mono, and the repository proxy's translation (of exceptions thrown while a method
 * builds its Mono) cost a reflective call per method (issue 8's profile of the intake).
 */
@Component
public class CaseStore {

    private static final String COLUMNS = "seq, unit_code, case_id, status, origin, category_code, title, description, lat, lon,"
            + " address, grid_code, source, reporter, reported_at, escalated_from, escalated_to, dispatched_by,"
            + " dispatched_to, resolution, due_at, created_at, updated_at, clock_from, accept_due_at, assignee,"
            + " pending_kind, pending_from, pending_decider, pending_by, pending_reason, pending_note, pending_until,"
            + " pending_at, bounces, extensions, recategorisations, supervisions, leader_supervised, parked_until,"
            + " verify_from, verify_due_at";

    /** {@link #COLUMNS} of {@code case_record r}: for a join with a table that has columns of the same names. */
    private static final String RECORD_COLUMNS = Arrays.stream(COLUMNS.split(","))
            .map(c -> "r." + c.strip()).collect(Collectors.joining(", "));

    /** A case page's read: the record, and a row for each of its timeline entries (their columns named t_…). */
    public static final String RECORD_WITH_TIMELINE = "select " + RECORD_COLUMNS + ", t.entry_id as t_entry_id,"
            + " t.at as t_at, t.entry_unit as t_entry_unit, t.actor as t_actor, t.action as t_action,"
            + " t.from_status as t_from_status, t.to_status as t_to_status, t.note as t_note"
            + " from case_record r left join timeline_entry t on t.unit_code = r.unit_code and t.case_id = r.case_id"
            + " where r.unit_code = :unit and r.case_id = :id order by t.at, t.seq";

    /**
     * {@link #lockAndAppend}'s statement after its inbox row ({@code delivered}): the entry is inserted from the locked
     * row if that row was written.
     */
    private static final String LOCK_AND_APPEND = "r as (select " + COLUMNS + " from case_record where unit_code = :unit"
            + " and case_id = :id for update), added as (insert into timeline_entry (unit_code, case_id, entry_id, at,"
            + " entry_unit, actor, action, from_status, to_status, note) select unit_code, case_id, :entry, :at,"
            + " :entryUnit, :actor, :action, :from, :to, :note from r where exists (select 1 from delivered)"
            + " on conflict do nothing returning 1)"
            + " select r.*, exists (select 1 from delivered) as delivered, exists (select 1 from added) as entry_added"
            + " from r";

    private static final Optional<TimelineEntry> NO_ENTRY = Optional.empty();

    /** The record's table and columns, as an insert names them. */
    private static final String RECORD_INTO = """
                insert into case_record (unit_code, case_id, status, origin, category_code, title, description, lat, lon,
                    address, grid_code, source, reporter, reported_at, escalated_from, escalated_to, dispatched_by,
                    dispatched_to, resolution, due_at, created_at, updated_at, clock_from, accept_due_at, assignee,
                    pending_kind, pending_from, pending_decider, pending_by, pending_reason, pending_note, pending_until,
                    pending_at, bounces, extensions, recategorisations, supervisions, leader_supervised, parked_until,
                    verify_from, verify_due_at)
                """;
    /** A record's values, {@link #recordValues} named. */
    private static final String RECORD_VALUES = """
                :unit, :id, :status, :origin, :category, :title, :description, :lat, :lon, :address, :grid,
                    :source, :reporter, :reportedAt, :escalatedFrom, :escalatedTo, :dispatchedBy, :dispatchedTo,
                    :resolution, :dueAt, :createdAt, :updatedAt, :clockFrom, :acceptDueAt, :assignee,
                    :pendingKind, :pendingFrom, :pendingDecider, :pendingBy, :pendingReason, :pendingNote, :pendingUntil,
                    :pendingAt, :bounces, :extensions, :recategorisations, :supervisions, :leaderSupervised, :parkedUntil,
                    :verifyFrom, :verifyDueAt
                """;
    /** A new record; {@link #save} adds what to do when it is already there. */
    private static final String INSERT_RECORD = RECORD_INTO + "values (" + RECORD_VALUES + ")\n";
    /** {@link #createIfNew}'s condition for its first row: the node holds no record of the case. */
    private static final String NO_RECORD = "not exists (select 1 from case_record where unit_code = :unit and case_id = :id)";
    /** {@link #createIfNew}'s condition for the rest: the record was created. */
    private static final String CREATED = "exists (select 1 from record)";
    /** A record, new or changed. */
    private static final String UPSERT_RECORD = INSERT_RECORD + """
                on conflict (unit_code, case_id) do update set status = excluded.status, origin = excluded.origin,
                    category_code = excluded.category_code,
                    escalated_from = excluded.escalated_from, escalated_to = excluded.escalated_to,
                    dispatched_by = excluded.dispatched_by, dispatched_to = excluded.dispatched_to,
                    resolution = excluded.resolution, due_at = excluded.due_at, updated_at = excluded.updated_at,
                    clock_from = excluded.clock_from, accept_due_at = excluded.accept_due_at,
                    assignee = excluded.assignee, pending_kind = excluded.pending_kind,
                    pending_from = excluded.pending_from, pending_decider = excluded.pending_decider,
                    pending_by = excluded.pending_by, pending_reason = excluded.pending_reason,
                    pending_note = excluded.pending_note, pending_until = excluded.pending_until,
                    pending_at = excluded.pending_at, bounces = excluded.bounces, extensions = excluded.extensions,
                    recategorisations = excluded.recategorisations, supervisions = excluded.supervisions,
                    leader_supervised = excluded.leader_supervised, parked_until = excluded.parked_until,
                    verify_from = excluded.verify_from, verify_due_at = excluded.verify_due_at
                """;

    /** The records whose acceptance clock runs: not yet signed for by the unit, or by the officer it was dispatched to. */
    static final String ACCEPTANCE_RUNS = "(status = 'REPORTED' or (status = 'DISPATCHED' and assignee is not null))";
    /** The records whose handling clock runs: the unit works on it, or waits on the child it dispatched it to. */
    static final String HANDLING_RUNS = "(status in ('ACCEPTED', 'IN_PROGRESS', 'REWORK', 'RETURNED', 'REOPENED')"
            + " or (status = 'DISPATCHED' and assignee is null))";
    /** The records whose verification clock runs: resolved here or below, and this unit verifies the outcome. */
    static final String VERIFICATION_RUNS = "(status = 'RESOLVED' and (dispatched_to is not null or dispatched_by is null))";
    static final String NOT_PARKED = "(parked_until is null or parked_until <= :now)";
    /**
     * The statuses in which one of the clocks runs, spelled out (the two conditions above imply it): with it the overdue
     * list reads the unit's (unit_code, status, seq) index instead of walking its whole queue (issue 8's plans at a
     * million records: 1.27 s → 4.8 ms when nothing is overdue).
     */
    public static final String CLOCK_MAY_RUN = "status in ('REPORTED', 'DISPATCHED', 'ACCEPTED', 'IN_PROGRESS', 'REWORK',"
            + " 'RETURNED', 'REOPENED', 'RESOLVED')";
    public static final String ACCEPTANCE_OVERDUE = "(" + ACCEPTANCE_RUNS + " and coalesce(accept_due_at, due_at) < :now and "
            + NOT_PARKED + ")";
    public static final String HANDLING_OVERDUE = "(" + HANDLING_RUNS + " and due_at < :now and " + NOT_PARKED + ")";
    public static final String VERIFICATION_OVERDUE = "(" + VERIFICATION_RUNS + " and verify_due_at < :now and "
            + NOT_PARKED + ")";
    /**
     * What a record waits on from the unit's people ({@link Task#of}, which says the same in Java), each condition one
     * an index of the unit's records holds, so that no page and no count reads the whole table (LargeNodePlansIT): the
     * queue's (unit_code, status, seq) index (V1) for the single statuses, V7's partial one of the statuses a clock may
     * run in for those and HANDLE's five (written out, not bound, so that they imply its condition), V15's of the
     * records to verify, V20's of the records a request waits on for DECIDE; PostgreSQL reads whichever it prices
     * cheaper. A parked record waits on nothing but a decision until its review date ({@code :now}).
     */
    public static final Map<Task, String> TASKS = Collections.unmodifiableMap(new EnumMap<>(Map.of(
            Task.ACCEPT, "(status = 'REPORTED' and " + NOT_PARKED + ")",
            Task.SIGN, "(status = 'DISPATCHED' and assignee is not null and " + NOT_PARKED + ")",
            Task.HANDLE, "(status in ('ACCEPTED', 'RETURNED', 'IN_PROGRESS', 'REWORK', 'REOPENED') and " + NOT_PARKED + ")",
            Task.VERIFY, "(" + VERIFICATION_RUNS + " and " + NOT_PARKED + ")",
            Task.CLOSE, "(status = 'VERIFIED' and dispatched_by is null and " + NOT_PARKED + ")",
            Task.DECIDE, "(pending_decider = unit_code and status not in ('CLOSED', 'REJECTED'))")));

    /**
     * A record a supervision notice was sent about that still waits on the unit's people ({@link Task#supervised}),
     * read from V21's partial index of the supervised records.
     */
    public static final String SUPERVISED = "(supervisions > 0 and (" + String.join(" or ",
            Arrays.stream(Task.values()).map(TASKS::get).toList()) + "))";

    /**
     * A record a leader's instruction waits on (领导批示, V28), not closed or rejected: read from the instructions that
     * wait at the unit, few.
     */
    public static final String INSTRUCTED = "(status not in ('CLOSED', 'REJECTED') and case_id in (select i.case_id"
            + " from case_instruction i where i.unit_code = :unit))";

    /** A record whose running clock, whichever it is, ran out before {@code :now}. */
    public static final String OVERDUE = "(" + ACCEPTANCE_OVERDUE + " or " + HANDLING_OVERDUE + " or "
            + VERIFICATION_OVERDUE + ")";

    /*
     * The overdue scan's three queries (every minute, across all the node's units). The two that look for clocks that
     * ran out read the partial indexes by deadline (V11's case_record_accept_clock and case_record_handling_clock,
     * V15's case_record_verify_clock), one per clock, so they read only what is past its deadline however many records
     * are open; the third reads case_record_told_overdue (V7, V15). SchemaUpgradeIT checks that they can,
     * LargeNodePlansIT that PostgreSQL does.
     */
    /** Records whose running clock ran out and that nobody has been told of yet. */
    public static final String NEWLY_OVERDUE = "select " + COLUMNS + " from case_record where"
            + " (" + ACCEPTANCE_OVERDUE + " and accept_overdue_at is null)"
            + " or (" + HANDLING_OVERDUE + " and handling_overdue_at is null)"
            + " or (" + VERIFICATION_OVERDUE + " and verify_overdue_at is null)"
            + " order by due_at limit :limit for update skip locked";
    /** Records the units above were told are overdue, on a clock that no longer is. */
    public static final String NO_LONGER_OVERDUE = "select " + COLUMNS + ", accept_overdue_at is not null and not coalesce("
            + ACCEPTANCE_OVERDUE + ", false) as accept_cleared, handling_overdue_at is not null and not coalesce("
            + HANDLING_OVERDUE + ", false) as handling_cleared, verify_overdue_at is not null and not coalesce("
            + VERIFICATION_OVERDUE + ", false) as verify_cleared from case_record where"
            + " (accept_overdue_at is not null and not coalesce(" + ACCEPTANCE_OVERDUE + ", false))"
            + " or (handling_overdue_at is not null and not coalesce(" + HANDLING_OVERDUE + ", false))"
            + " or (verify_overdue_at is not null and not coalesce(" + VERIFICATION_OVERDUE + ", false))"
            + " order by seq limit :limit for update skip locked";
    /** Overdue records of the categories that escalate by themselves, oldest due first. */
    public static final String OVERDUE_TO_ESCALATE = "select " + COLUMNS + " from case_record where ("
            + ACCEPTANCE_OVERDUE + " or " + HANDLING_OVERDUE + ") and category_code in (:categories)"
            + " order by coalesce(accept_due_at, due_at) limit :limit for update skip locked";

    private final DatabaseClient db;

    public CaseStore(DatabaseClient db) {
        this.db = db;
    }

    /** A record and its timeline, oldest entry first, as one statement reads them. */
    public record WithTimeline(CaseRecord record, List<TimelineEntry> timeline) {
    }

    /**
     * The record with its timeline in one statement: a case page's read. Each timeline entry comes as a row with the
     * record's columns beside it; only the first row's are read. Two statements, each with its own connection from
     * the pool, cost about 8% more of the node's CPU per read and 30% more of PostgreSQL's (issue 8, A/B by hand).
     */
    public Mono<WithTimeline> findWithTimeline(UnitCode unit, UUID caseId) {
        return withTimeline(RECORD_WITH_TIMELINE, unit, caseId);
    }

    /**
     * The record, locked until the surrounding transaction ends, with its timeline, in one statement: what an action
     * needs to decide, to write the history it sends with its events, and to answer with what it committed.
     */
    public Mono<WithTimeline> lockWithTimeline(UnitCode unit, UUID caseId) {
        return withTimeline(RECORD_WITH_TIMELINE + " for update of r", unit, caseId);
    }

    private Mono<WithTimeline> withTimeline(String sql, UnitCode unit, UUID caseId) {
        return Mono.defer(() -> {
            CaseRecord[] record = new CaseRecord[1];
            return db.sql(sql)
                    .bind("unit", unit.value()).bind("id", caseId)
                    .map(row -> {
                        if (record[0] == null) {
                            record[0] = record(row);
                        }
                        return row.get(EntryColumns.JOINED.entryId()) == null ? NO_ENTRY
                                : Optional.of(entry(row, EntryColumns.JOINED));
                    })
                    .all()
                    .collectList()
                    .flatMap(entries -> record[0] == null ? Mono.empty() : Mono.just(new WithTimeline(record[0],
                            entries.stream().flatMap(Optional::stream).toList())));
        });
    }

    /** Reads the record and locks it until the surrounding transaction ends. */
    public Mono<CaseRecord> lock(UnitCode unit, UUID caseId) {
        return db.sql("select " + COLUMNS + " from case_record where unit_code = :unit and case_id = :id for update")
                .bind("unit", unit.value()).bind("id", caseId)
                .map(CaseStore::record).one();
    }

    /**
     * A record as locked by {@link #lockAndAppend}, whether the entry was new to its timeline, and whether the event that
     * brought it was new (its inbox row written; a copy adds no entry).
     */
    public record Locked(CaseRecord record, boolean entryAdded, boolean delivered) {
    }

    /**
     * Locks the record and adds an entry to its timeline (nothing if it has it: a copy that came twice), with the inbox
     * row of the event that brings the entry ({@code delivery}), in one statement: the insert reads the locked row, so
     * it runs after the lock as it would in a statement of its own, and adds the entry only if the inbox row was written
     * ({@link Locked#delivered()}: false for a copy of an event the inbox has, which adds nothing). Empty when the node
     * holds no record of the case; the caller refuses the event then, and its transaction ends without the inbox row.
     * The inbox row, the lock and the entry were three round trips (issue 8); most of the events a node applies bring an
     * entry.
     */
    public Mono<Locked> lockAndAppend(UnitCode unit, UUID caseId, TimelineEntry e, InsertRows delivery) {
        NamedValues values = new NamedValues().put("unit", unit.value()).put("id", caseId);
        entryValues(values, "", e);
        return values.bindTo(db.sql("with delivered as (" + delivery.sql(values) + " returning 1), " + LOCK_AND_APPEND))
                .map(row -> new Locked(record(row), Boolean.TRUE.equals(row.get("entry_added", Boolean.class)),
                        Boolean.TRUE.equals(row.get("delivered", Boolean.class))))
                .one();
    }

    /**
     * Saves the record, adds entries to its timeline (those it has already are left as they are) and then {@code also}
     * (the outbox rows of the events the change sends, or null when it sends none), in one statement: the upsert of the
     * record and the entries' insert as data-modifying {@code WITH}s, which PostgreSQL runs to completion whether or
     * not the statement reads them. The change and what must commit with it in one round trip (issue 8).
     */
    public Mono<Void> save(CaseRecord r, List<TimelineEntry> entries, TrailingWrite also) {
        NamedValues values = recordValues(r);
        String sql;
        if (entries.isEmpty() && also == null) {
            sql = UPSERT_RECORD;
        } else if (also == null) {
            sql = "with record as (" + UPSERT_RECORD + " returning 1) " + insertEntries(values, entries);
        } else {
            sql = "with record as (" + UPSERT_RECORD + " returning 1)"
                    + (entries.isEmpty() ? "" : ", entries as (" + insertEntries(values, entries) + ")")
                    + " " + also.sql(values);
        }
        return values.bindTo(db.sql(sql)).then();
    }

    /**
     * Creates the record of a case this node holds none of, with its timeline entries and then {@code also} (the outbox
     * rows of the events the change sends, or null), in one statement without a transaction around it (PostgreSQL runs
     * one statement atomically), if {@code first} writes its row: the inbox row of the event that brings the case here.
     * That row is written only while the node holds no record of the case, and everything else only if it was, so
     * when the inbox has the event already (a copy) or the node has a record of the case (a case escalated here
     * before), nothing is written and the answer is false: the caller then applies the event as it applies any other,
     * in a transaction. A record another transaction creates meanwhile makes the record's insert fail with a
     * duplicate key, and the statement with it. Issue 8: an escalation that comes to a tier for the first time was a
     * transaction of five round trips (begin, the inbox row, the lock, the change, commit), now one.
     */
    public Mono<Boolean> createIfNew(CaseRecord r, List<TimelineEntry> entries, InsertRows first, InsertRows also) {
        NamedValues values = recordValues(r);
        String sql = "with delivered as (" + first.onlyIf(NO_RECORD).sql(values) + " returning 1),"
                + " record as (" + RECORD_INTO + "select " + RECORD_VALUES + " from delivered returning 1)"
                + (entries.isEmpty() ? "" : ", entries as (" + entryRows(entries).onlyIf(CREATED).sql(values) + ")")
                + (also == null ? "" : ", sent as (" + also.onlyIf(CREATED).sql(values) + ")")
                + " select count(*) as created from record";
        return values.bindTo(db.sql(sql)).map(row -> row.get("created", Long.class)).one().map(n -> n > 0);
    }

    /**
     * Adds the entries the record's timeline does not have yet, and then {@code also} (the outbox rows of the events
     * the change sends, when it sends any), in one statement; for a change that leaves the record as it is.
     */
    public Mono<Void> append(UnitCode unit, UUID caseId, List<TimelineEntry> entries, TrailingWrite also) {
        if (also == null) {
            return appendAll(unit, caseId, entries).then();
        }
        NamedValues values = new NamedValues();
        if (entries.isEmpty()) {
            return values.bindTo(db.sql(also.sql(values))).then();
        }
        values.put("unit", unit.value()).put("id", caseId);
        return values.bindTo(db.sql("with entries as (" + insertEntries(values, entries) + ") " + also.sql(values)))
                .then();
    }

    /**
     * A new report: the record and its first timeline entry in one statement (an insert of the entry from the insert
     * of the record), which PostgreSQL runs atomically without a transaction around it: one round trip instead of
     * four (begin, two inserts, commit).
     */
    public Mono<Void> insertReported(CaseRecord r, TimelineEntry first) {
        NamedValues values = recordValues(r);
        entryValues(values, "", first);
        return values.bindTo(db.sql("with record as (" + INSERT_RECORD + " returning unit_code, case_id)"
                + " insert into timeline_entry (unit_code, case_id, entry_id, at, entry_unit, actor, action, from_status,"
                + " to_status, note) select unit_code, case_id, :entry, :at, :entryUnit, :actor, :action, :from, :to,"
                + " :note from record")).then();
    }

    /** A record's columns as the named parameters of {@link #INSERT_RECORD}. */
    private static NamedValues recordValues(CaseRecord r) {
        Location loc = r.details().location() == null ? new Location(null, null, null) : r.details().location();
        Accountability a = r.accountability();
        PendingRequest p = a.pending();
        return new NamedValues()
                .put("unit", r.unit().value())
                .put("id", r.caseId())
                .put("status", r.status().name())
                .put("origin", r.origin().name())
                .put("category", r.details().categoryCode())
                .put("title", r.details().title())
                .nullable("description", r.details().description(), String.class)
                .nullable("lat", loc.lat(), Double.class)
                .nullable("lon", loc.lon(), Double.class)
                .nullable("address", loc.address(), String.class)
                .nullable("grid", r.details().gridCode(), String.class)
                .nullable("source", r.details().source(), String.class)
                .nullable("reporter", r.details().reporter(), String.class)
                .at("reportedAt", r.details().reportedAt())
                .nullable("escalatedFrom", code(r.escalatedFrom()), String.class)
                .nullable("escalatedTo", code(r.escalatedTo()), String.class)
                .nullable("dispatchedBy", code(r.dispatchedBy()), String.class)
                .nullable("dispatchedTo", code(r.dispatchedTo()), String.class)
                .nullable("resolution", r.resolution(), String.class)
                .at("dueAt", r.dueAt())
                .at("clockFrom", r.clockFrom())
                .at("acceptDueAt", r.acceptDueAt())
                .at("verifyFrom", r.verifyFrom())
                .at("verifyDueAt", r.verifyDueAt())
                .at("createdAt", r.createdAt())
                .at("updatedAt", r.updatedAt())
                .nullable("assignee", a.assignee(), String.class)
                .nullable("pendingKind", p == null ? null : p.kind().name(), String.class)
                .nullable("pendingFrom", p == null ? null : p.fromUnit().value(), String.class)
                .nullable("pendingDecider", p == null ? null : p.decider().value(), String.class)
                .nullable("pendingBy", p == null ? null : p.requestedBy(), String.class)
                .nullable("pendingReason", p == null ? null : p.reason(), String.class)
                .nullable("pendingNote", p == null ? null : p.note(), String.class)
                .at("pendingUntil", p == null ? null : p.until())
                .at("pendingAt", p == null ? null : p.at())
                .put("bounces", a.bounces())
                .put("extensions", a.extensions())
                .put("recategorisations", a.recategorisations())
                .put("supervisions", a.supervisions())
                .put("leaderSupervised", a.leaderSupervised())
                .at("parkedUntil", a.parkedUntil());
    }

    /** Adds an entry to the record's timeline; false when the node already had it (a copy that came twice). */
    private Mono<Boolean> append(UnitCode unit, UUID caseId, TimelineEntry e) {
        NamedValues values = new NamedValues().put("unit", unit.value()).put("id", caseId);
        entryValues(values, "", e);
        return values.bindTo(db.sql("""
                insert into timeline_entry (unit_code, case_id, entry_id, at, entry_unit, actor, action, from_status, to_status, note)
                values (:unit, :id, :entry, :at, :entryUnit, :actor, :action, :from, :to, :note)
                on conflict do nothing
                """)).fetch().rowsUpdated().map(n -> n > 0);
    }

    /** An entry's own columns as :entry, :at, :entryUnit, :actor, :action, :from, :to and :note, each name + suffix. */
    private static void entryValues(NamedValues values, String suffix, TimelineEntry e) {
        values.put("entry" + suffix, e.id()).at("at" + suffix, e.at()).put("entryUnit" + suffix, e.unit().value())
                .put("actor" + suffix, e.actor()).put("action" + suffix, e.action())
                .nullable("from" + suffix, e.fromStatus() == null ? null : e.fromStatus().name(), String.class)
                .nullable("to" + suffix, e.toStatus() == null ? null : e.toStatus().name(), String.class)
                .nullable("note" + suffix, e.note(), String.class);
    }

    /**
     * Adds entries to the record's timeline in one statement, in the order given; returns those the node did not
     * have yet (the others came twice), in that order. An escalation brings the case's whole history, so one
     * round trip instead of one per entry.
     */
    public Mono<List<TimelineEntry>> appendAll(UnitCode unit, UUID caseId, List<TimelineEntry> entries) {
        if (entries.isEmpty()) {
            return Mono.just(List.of());
        }
        if (entries.size() == 1) {
            return append(unit, caseId, entries.get(0)).map(isNew -> isNew ? entries : List.of());
        }
        NamedValues values = new NamedValues().put("unit", unit.value()).put("id", caseId);
        return values.bindTo(db.sql(insertEntries(values, entries) + " returning entry_id"))
                .map(row -> row.get("entry_id", UUID.class)).all().collect(java.util.stream.Collectors.toSet())
                .map(added -> entries.stream().filter(e -> added.remove(e.id())).toList()); // a repeated id counts once
    }

    /**
     * The insert of entries into the timeline of the record named by {@code :unit} and {@code :id}, skipping those it
     * has; their values are added to {@code values} as :entry0, :at0, … :note0, :entry1, ….
     */
    private static String insertEntries(NamedValues values, List<TimelineEntry> entries) {
        return entryRows(entries).sql(values);
    }

    private static InsertRows entryRows(List<TimelineEntry> entries) {
        return InsertRows.into("timeline_entry (unit_code, case_id, entry_id, at, entry_unit, actor, action, from_status,"
                + " to_status, note)", values -> {
                    StringBuilder sql = new StringBuilder();
                    for (int i = 0; i < entries.size(); i++) {
                        sql.append(i == 0 ? "" : ", ").append("(:unit, :id, :entry").append(i).append(", :at").append(i)
                                .append(", :entryUnit").append(i).append(", :actor").append(i).append(", :action")
                                .append(i).append(", :from").append(i).append(", :to").append(i).append(", :note")
                                .append(i).append(")");
                        entryValues(values, String.valueOf(i), entries.get(i));
                    }
                    return sql.toString();
                }).onConflictDoNothing();
    }

    public Flux<TimelineEntry> timeline(UnitCode unit, UUID caseId) {
        return db.sql("""
                select entry_id, at, entry_unit, actor, action, from_status, to_status, note from timeline_entry
                where unit_code = :unit and case_id = :id order by at, seq
                """)
                .bind("unit", unit.value()).bind("id", caseId)
                .map(row -> entry(row, EntryColumns.PLAIN))
                .all();
    }

    /** The names of a timeline entry's columns in a result: as they are, or with the prefix a join gives them. */
    private record EntryColumns(String entryId, String at, String entryUnit, String actor, String action,
                                String fromStatus, String toStatus, String note) {

        static final EntryColumns PLAIN = prefixed("");
        static final EntryColumns JOINED = prefixed("t_");

        static EntryColumns prefixed(String p) {
            return new EntryColumns(p + "entry_id", p + "at", p + "entry_unit", p + "actor", p + "action",
                    p + "from_status", p + "to_status", p + "note");
        }
    }

    private static TimelineEntry entry(Readable row, EntryColumns c) {
        return new TimelineEntry(row.get(c.entryId(), UUID.class), instant(row, c.at()),
                UnitCode.of(row.get(c.entryUnit(), String.class)), row.get(c.actor(), String.class),
                row.get(c.action(), String.class), status(row.get(c.fromStatus(), String.class)),
                status(row.get(c.toStatus(), String.class)), row.get(c.note(), String.class));
    }

    /**
     * {@link #queue}'s statement for the filter: {@code :unit}, {@code :limit}, and a parameter for each narrowing
     * ({@code :now}, {@code :status}, {@code :category}, {@code :grid}, {@code :assignee}, {@code :reportedFrom},
     * {@code :reportedBefore}, {@code :reporter}; {@code :after} for a page after the first).
     */
    public static String queueQuery(QueueFilter filter, boolean after) {
        return queueStatement(filter, after ? 0L : null, new NamedValues());
    }

    /** The statement of a page of the queue; each narrowing's value goes into {@code values} as its condition is added. */
    private static String queueStatement(QueueFilter filter, Long afterSeq, NamedValues values) {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from case_record where unit_code = :unit");
        narrowings(sql, filter, values);
        if (!filter.byReportTime()) {
            narrow(sql, values, "seq < :after", "after", afterSeq);
            return sql.append(" order by seq desc limit :limit").toString();
        }
        // newest report first, from V17's index; the cursor is still the last row's seq, its report time looked up
        narrow(sql, values, "(reported_at, seq) < (select c.reported_at, c.seq from case_record c where c.unit_code = :unit"
                + " and c.seq = :after)",
                "after", afterSeq);
        return sql.append(" order by reported_at desc, seq desc limit :limit").toString();
    }

    /**
     * The filter's conditions, each {@code " and …"}, their values into {@code values}. The overdue, task and supervised
     * narrowings share {@code :now}: the instants of one request, a moment apart at most.
     */
    private static void narrowings(StringBuilder sql, QueueFilter filter, NamedValues values) {
        if (filter.overdueAt() != null) {
            sql.append(" and " + CLOCK_MAY_RUN + " and " + OVERDUE);
            values.at("now", filter.overdueAt());
        }
        if (filter.task() != null) {
            String condition = TASKS.get(filter.task());
            sql.append(" and ").append(condition);
            if (condition.contains(":now")) { // a decision waits whether the record is parked or not
                values.at("now", filter.taskAt());
            }
        }
        if (filter.supervisedAt() != null) {
            sql.append(" and ").append(SUPERVISED);
            values.at("now", filter.supervisedAt());
        }
        if (filter.instructed()) {
            sql.append(" and ").append(INSTRUCTED);
        }
        narrow(sql, values, "status = :status", "status", filter.status() == null ? null : filter.status().name());
        narrow(sql, values, "category_code = :category", "category", filter.category());
        narrow(sql, values, "grid_code = :grid", "grid", filter.grid());
        narrow(sql, values, "assignee = :assignee", "assignee", filter.assignee());
        narrow(sql, values, "reported_at >= :reportedFrom", "reportedFrom", utc(filter.reportedFrom()));
        narrow(sql, values, "reported_at < :reportedBefore", "reportedBefore", utc(filter.reportedBefore()));
        // a person's reports by V18's index, and the cases they follow (their report was merged into one): few rows
        narrow(sql, values, "case_id in (select m.case_id from case_record m where m.unit_code = :unit"
                + " and m.reporter = :reporter union all select f.case_id from case_follower f"
                + " where f.unit_code = :unit and f.follower = :reporter)", "reporter", filter.reporter());
        List<String> words = filter.words() == null ? List.of() : filter.words();
        for (int i = 0; i < words.size(); i++) {
            sql.append(" and (strpos(").append(SEARCHED).append(", lower(:word").append(i).append(")) > 0");
            values.put("word" + i, words.get(i));
            String lower = words.get(i).toLowerCase(Locale.ROOT);
            if (ID_PREFIX.matcher(lower).matches()) {
                sql.append(" or case_id::text like :idPrefix").append(i);
                values.put("idPrefix" + i, lower + "%");
            }
            sql.append(")");
        }
    }

    /**
     * Where a search's word is looked for (检索): the record's title, description and address in one lower-case text,
     * a space between them (a word has none). Not indexed (a trigram index would not serve the two-character words
     * most Chinese searches are; a bigram one of our own, measured, cost too much: as an expression index on the records
     * it cut a status update's rate by a third, in a table of its own fed at insert an insert's by nearly half): the
     * unit's records are read in the queue's order from its own index until a page of them is found, so a word in many
     * records costs a page, one in few the unit's whole history (issue 8's million records: 1.0 s in PostgreSQL for a
     * word in none while V1's btree on seq let it walk the node's records, bench/results/2026-12-06-only-reads-1m.md;
     * the unit's alone since V30 dropped it); narrowed by the days reported, those days.
     */
    public static final String SEARCHED = "lower(title || ' ' || coalesce(description, '') || ' ' || coalesce(address, ''))";

    /**
     * A word that may be the beginning of a case id (as the console shortens one, to 8 characters): also looked for
     * there. Not a shorter one: a number of four digits (a house number) begins one random id in 65 536, several of a
     * large unit's.
     */
    private static final Pattern ID_PREFIX = Pattern.compile("[0-9a-f-]{8,36}");

    /**
     * The statement of a unit's to-do ({@link #todo}): one row, a column per task (its name in lower case) and
     * {@code overdue}, {@code supervised} and {@code instructed}, each the records the filter lets through that wait on it, counted up to
     * {@code :cap}.
     */
    public static String todoQuery(QueueFilter filter) {
        return todoStatement(filter, new NamedValues());
    }

    private static String todoStatement(QueueFilter filter, NamedValues values) {
        StringBuilder narrowed = new StringBuilder();
        narrowings(narrowed, filter, values);
        StringBuilder sql = new StringBuilder("select ");
        for (Task task : Task.values()) {
            sql.append(counted(TASKS.get(task) + narrowed)).append(" as ").append(task.name().toLowerCase(Locale.ROOT))
                    .append(", ");
        }
        return sql.append(counted(CLOCK_MAY_RUN + " and " + OVERDUE + narrowed)).append(" as overdue, ")
                .append(counted(SUPERVISED + narrowed)).append(" as supervised, ")
                .append(counted(INSTRUCTED + narrowed)).append(" as instructed").toString();
    }

    private static String counted(String condition) {
        return "(select count(*) from (select 1 from case_record where unit_code = :unit and " + condition
                + " limit :cap) w)";
    }

    /**
     * What waits on a unit's people at {@code now} (待办): how many of the unit's records the filter lets through wait
     * on each task, how many have a running clock that ran out (overdue) and how many of those waiting were supervised
     * (督办), each counted up to {@code cap} (a larger backlog is read as "at least"). One statement; each count reads
     * the index its condition names ({@link #TASKS}, {@link #SUPERVISED}).
     */
    public Mono<Todo> todo(UnitCode unit, QueueFilter filter, Instant now, int cap) {
        NamedValues values = new NamedValues().put("unit", unit.value()).put("cap", cap).at("now", now);
        return values.bindTo(db.sql(todoStatement(filter, values))).map(row -> {
            Map<Task, Long> counts = new EnumMap<>(Task.class);
            for (Task task : Task.values()) {
                counts.put(task, row.get(task.name().toLowerCase(Locale.ROOT), Long.class));
            }
            return new Todo(unit, now, counts, row.get("overdue", Long.class), row.get("supervised", Long.class),
                    row.get("instructed", Long.class), cap);
        }).one();
    }

    /**
     * Each department officer's work at the unit at {@code :now} ({@link #officerLoads}): the records given to them
     * that wait on their signature or their handling, and of those the overdue ones; read from V16's partial index of
     * the records given to an officer.
     */
    public static final String OFFICER_LOADS = "select assignee,"
            + " count(*) filter (where " + TASKS.get(Task.SIGN) + ") as sign,"
            + " count(*) filter (where " + TASKS.get(Task.HANDLE) + ") as handle,"
            + " count(*) filter (where " + CLOCK_MAY_RUN + " and " + OVERDUE + ") as overdue"
            + " from case_record where unit_code = :unit and assignee is not null"
            + " and (" + TASKS.get(Task.SIGN) + " or " + TASKS.get(Task.HANDLE) + ")"
            + " group by assignee order by assignee";

    /** The officers of the unit with work waiting on them at {@code now} (workload, 在办), by username. */
    public Flux<OfficerLoad> officerLoads(UnitCode unit, Instant now) {
        return new NamedValues().put("unit", unit.value()).at("now", now).bindTo(db.sql(OFFICER_LOADS))
                .map(row -> new OfficerLoad(row.get("assignee", String.class), row.get("sign", Long.class),
                        row.get("handle", Long.class), row.get("overdue", Long.class))).all();
    }

    /** What waits on one officer at a unit: to sign for, to handle, and of those the overdue ones. */
    public record OfficerLoad(String officer, long toSign, long toHandle, long overdue) {

        public static OfficerLoad none(String officer) {
            return new OfficerLoad(officer, 0, 0, 0);
        }
    }

    /**
     * A unit's to-do at {@code asOf}: each task's count, the overdue records and the supervised ones that wait here,
     * none counted beyond {@code cap}.
     */
    public record Todo(UnitCode unit, Instant asOf, Map<Task, Long> counts, long overdue, long supervised,
                       long instructed, int cap) {
    }

    private static void narrow(StringBuilder sql, NamedValues values, String condition, String name, Object value) {
        if (value != null) {
            sql.append(" and ").append(condition);
            values.put(name, value);
        }
    }

    /**
     * One page of a unit's queue, newest first, narrowed by {@code filter}: with its {@code overdueAt}, only the records
     * whose running clock (acceptance while REPORTED, handling while the unit works on it or waits on a dispatch,
     * verification while a resolved record waits on the unit's check) ran out before it. A status, a grid cell or an
     * assignee is read from an index of the unit's queue in its order (V1, V16): a page of them costs about the same
     * however many records the unit holds. Narrowed by the time of the report, the page is the newest reports first,
     * read from the index by that time (V17): a month long past costs what this month does. {@code afterSeq} is the
     * keyset cursor of the previous page.
     */
    public Mono<QueuePage> queue(UnitCode unit, QueueFilter filter, int limit, Long afterSeq) {
        NamedValues values = new NamedValues().put("unit", unit.value()).put("limit", limit + 1);
        GenericExecuteSpec spec = values.bindTo(db.sql(queueStatement(filter, afterSeq, values)));
        return spec.map(row -> new QueuePage.Row(row.get("seq", Long.class), record(row))).all().collectList()
                .map(rows -> {
                    boolean more = rows.size() > limit;
                    List<QueuePage.Row> page = more ? rows.subList(0, limit) : rows;
                    Long next = more ? page.get(page.size() - 1).seq() : null;
                    return new QueuePage(page.stream().map(QueuePage.Row::record).toList(), next);
                });
    }

    /**
     * Records whose running clock ran out before {@code now} and that nobody has been told of yet, locked for this
     * transaction; rows another instance is telling about right now are skipped (FOR UPDATE SKIP LOCKED), so the
     * scan is safe with several instances.
     */
    public Flux<CaseRecord> lockNewlyOverdue(Instant now, int limit) {
        return db.sql(NEWLY_OVERDUE)
                .bind("now", utc(now)).bind("limit", limit)
                .map(CaseStore::record).all();
    }

    /**
     * Records the units above were told are overdue but that are no longer (accepted, handled, extended, parked, given
     * a new deadline), with the clocks to clear; locked for this transaction, skipping rows another instance holds.
     */
    public Flux<Cleared> lockNoLongerOverdue(Instant now, int limit) {
        return db.sql(NO_LONGER_OVERDUE)
                .bind("now", utc(now)).bind("limit", limit)
                .map(row -> new Cleared(record(row), Boolean.TRUE.equals(row.get("accept_cleared", Boolean.class)),
                        Boolean.TRUE.equals(row.get("handling_cleared", Boolean.class)),
                        Boolean.TRUE.equals(row.get("verify_cleared", Boolean.class))))
                .all();
    }

    /** A record that is no longer overdue on one or more of the clocks the units above were told about. */
    public record Cleared(CaseRecord record, boolean acceptance, boolean handling, boolean verification) {

        /** The clocks to clear. */
        public List<CaseRecord.RunningClock> clocks() {
            List<CaseRecord.RunningClock> clocks = new ArrayList<>();
            if (acceptance) {
                clocks.add(CaseRecord.RunningClock.ACCEPTANCE);
            }
            if (handling) {
                clocks.add(CaseRecord.RunningClock.HANDLING);
            }
            if (verification) {
                clocks.add(CaseRecord.RunningClock.VERIFICATION);
            }
            return clocks;
        }
    }

    /** The column that keeps when the units above were told that this clock of a record ran out. */
    private static String toldColumn(CaseRecord.RunningClock clock) {
        return switch (clock) {
            case ACCEPTANCE -> "accept_overdue_at";
            case HANDLING -> "handling_overdue_at";
            case VERIFICATION -> "verify_overdue_at";
            case NONE -> throw new IllegalArgumentException("no clock runs");
        };
    }

    /** Forgets that the units above were told about this clock: it may be told again when it runs out again. */
    public Mono<Void> markOverdueCleared(UnitCode unit, UUID caseId, CaseRecord.RunningClock clock) {
        String column = toldColumn(clock);
        return db.sql("update case_record set " + column + " = null where unit_code = :unit and case_id = :id")
                .bind("unit", unit.value()).bind("id", caseId).then();
    }

    /**
     * Records overdue on their acceptance or handling clock (a record waiting on its verification is resolved: it has
     * nothing to escalate), oldest due first, locked for this transaction (the auto-escalation pass).
     */
    public Flux<CaseRecord> lockOverdue(Instant now, java.util.Collection<String> categories, int limit) {
        if (categories.isEmpty()) {
            return Flux.empty();
        }
        return db.sql(OVERDUE_TO_ESCALATE)
                .bind("now", utc(now)).bind("categories", List.copyOf(categories)).bind("limit", limit)
                .map(CaseStore::record).all();
    }

    /** Parked records whose review date came, locked for this transaction. */
    public Flux<CaseRecord> lockParkReviewsDue(Instant now, int limit) {
        return db.sql("select " + COLUMNS + " from case_record where parked_until <= :now"
                        + " order by parked_until limit :limit for update skip locked")
                .bind("now", utc(now)).bind("limit", limit)
                .map(CaseStore::record).all();
    }

    /** Remembers that the units above were told that this clock of the record ran out. */
    public Mono<Void> markOverdueTold(UnitCode unit, UUID caseId, CaseRecord.RunningClock clock, Instant now) {
        String column = toldColumn(clock);
        return db.sql("update case_record set " + column + " = :now where unit_code = :unit and case_id = :id")
                .bind("now", utc(now)).bind("unit", unit.value()).bind("id", caseId).then();
    }

    /** Keeps a notice about an overdue record in the unit's subtree; the same notice again changes nothing. */
    public Mono<Void> saveOverdueNotice(UnitCode unit, OverdueNotice n) {
        return new NamedValues().put("unit", unit.value()).put("id", n.caseId()).put("overdueUnit", n.unit().value())
                .put("clock", n.clock()).at("dueAt", n.dueAt()).at("detectedAt", n.detectedAt())
                .put("status", n.status()).put("category", n.categoryCode()).put("title", n.title())
                .nullable("grid", n.gridCode(), String.class)
                .bindTo(db.sql("insert into overdue_notice (unit_code, case_id, overdue_unit, clock, due_at,"
                        + " detected_at, status, category_code, title, grid_code) values (:unit, :id, :overdueUnit,"
                        + " :clock, :dueAt, :detectedAt, :status, :category, :title, :grid)"
                        + " on conflict (unit_code, case_id, overdue_unit, clock) do update set due_at = excluded.due_at,"
                        + " detected_at = excluded.detected_at, status = excluded.status,"
                        + " category_code = excluded.category_code, cleared_at = null, cleared_reason = null"
                        + " where overdue_notice.detected_at < excluded.detected_at"))
                .then();
    }

    /** The notice about the record of {@code unit} is void: it is no longer overdue on that clock. */
    public Mono<Void> clearOverdueNotice(UnitCode told, UUID caseId, UnitCode unit, String clock, Instant clearedAt,
                                         String reason) {
        return db.sql("update overdue_notice set cleared_at = :at, cleared_reason = :reason where unit_code = :told"
                        + " and case_id = :id and overdue_unit = :unit and clock = :clock and detected_at <= :at")
                .bind("at", utc(clearedAt)).bind("reason", reason).bind("told", told.value()).bind("id", caseId)
                .bind("unit", unit.value()).bind("clock", clock).then();
    }

    /** Whether {@code told} knows the record of {@code unit} to be overdue now. */
    public Mono<Boolean> knowsOverdue(UnitCode told, UUID caseId, UnitCode unit) {
        return db.sql("select count(*) as n from overdue_notice where unit_code = :told and case_id = :id"
                        + " and overdue_unit = :unit and cleared_at is null")
                .bind("told", told.value()).bind("id", caseId).bind("unit", unit.value())
                .map(row -> row.get("n", Long.class)).one().map(n -> n > 0);
    }

    /** The overdue notices a unit received and that still stand, newest first. */
    public Flux<OverdueNotice> overdueNotices(UnitCode unit, int limit) {
        return db.sql("select case_id, overdue_unit, clock, due_at, detected_at, status, category_code, title, grid_code"
                        + " from overdue_notice where unit_code = :unit and cleared_at is null"
                        + " order by detected_at desc, case_id limit :limit")
                .bind("unit", unit.value()).bind("limit", limit)
                .map(row -> new OverdueNotice(row.get("case_id", UUID.class),
                        UnitCode.of(row.get("overdue_unit", String.class)), row.get("clock", String.class),
                        instant(row, "due_at"), instant(row, "detected_at"), row.get("status", String.class),
                        row.get("category_code", String.class), row.get("title", String.class),
                        row.get("grid_code", String.class)))
                .all();
    }

    /** What a unit was told about an overdue record below it. */
    public record OverdueNotice(UUID caseId, UnitCode unit, String clock, Instant dueAt, Instant detectedAt,
                                String status, String categoryCode, String title, String gridCode) {
    }

    /** Keeps a supervision notice this node's unit sent. */
    public Mono<Void> saveSupervision(SupervisionNotice n) {
        return new NamedValues().put("id", n.id()).put("unit", n.unit().value()).put("caseId", n.caseId())
                .put("supervised", n.supervisedUnit().value()).put("supervisor", n.supervisor())
                .put("leader", n.leader()).at("dueAt", n.dueAt()).at("sentAt", n.sentAt())
                .nullable("note", n.note(), String.class)
                .bindTo(db.sql("insert into supervision_notice (id, unit_code, case_id, supervised_unit,"
                        + " supervisor, leader, due_at, note, sent_at) values (:id, :unit, :caseId, :supervised,"
                        + " :supervisor, :leader, :dueAt, :note, :sentAt)"))
                .then();
    }

    /** The supervision notices a unit sent, newest first. */
    public Flux<SupervisionNotice> supervisions(UnitCode unit, int limit) {
        return db.sql("select " + SUPERVISION_COLUMNS
                        + " from supervision_notice where unit_code = :unit order by sent_at desc, id limit :limit")
                .bind("unit", unit.value()).bind("limit", limit)
                .map(CaseStore::supervisionNotice)
                .all();
    }

    /** The supervision notice the unit sent under this id, if any. */
    public Mono<SupervisionNotice> findSupervision(UnitCode unit, UUID id) {
        return db.sql("select " + SUPERVISION_COLUMNS + " from supervision_notice where id = :id and unit_code = :unit")
                .bind("id", id).bind("unit", unit.value())
                .map(CaseStore::supervisionNotice)
                .one();
    }

    private static final String SUPERVISION_COLUMNS =
            "id, unit_code, case_id, supervised_unit, supervisor, leader, due_at, note, sent_at";

    private static SupervisionNotice supervisionNotice(Readable row) {
        return new SupervisionNotice(row.get("id", UUID.class), UnitCode.of(row.get("unit_code", String.class)),
                row.get("case_id", UUID.class), UnitCode.of(row.get("supervised_unit", String.class)),
                row.get("supervisor", String.class), Boolean.TRUE.equals(row.get("leader", Boolean.class)),
                instant(row, "due_at"), row.get("note", String.class), instant(row, "sent_at"));
    }

    /** A supervision notice (督办) a unit sent about a record below it. */
    public record SupervisionNotice(UUID id, UnitCode unit, UUID caseId, UnitCode supervisedUnit, String supervisor,
                                    boolean leader, Instant dueAt, String note, Instant sentAt) {
    }

    /** Keeps that an action was taken under a key ({@code keyed_action}), in the action's transaction. */
    public Mono<Void> saveKeyedAction(KeyedAction a) {
        return new NamedValues().put("id", a.id()).put("unit", a.unit().value()).put("caseId", a.caseId())
                .put("action", a.action()).put("request", a.request()).put("entry", a.entryId())
                .at("appliedAt", a.appliedAt())
                .bindTo(db.sql("insert into keyed_action (id, unit_code, case_id, action, request, entry_id, applied_at)"
                        + " values (:id, :unit, :caseId, :action, :request, :entry, :appliedAt)"))
                .then();
    }

    /** The action the unit took under this id, if any. */
    public Mono<KeyedAction> findKeyedAction(UnitCode unit, UUID id) {
        return db.sql("select id, unit_code, case_id, action, request, entry_id, applied_at from keyed_action"
                        + " where id = :id and unit_code = :unit")
                .bind("id", id).bind("unit", unit.value())
                .map(row -> new KeyedAction(row.get("id", UUID.class), UnitCode.of(row.get("unit_code", String.class)),
                        row.get("case_id", UUID.class), row.get("action", String.class),
                        row.get("request", String.class), row.get("entry_id", UUID.class), instant(row, "applied_at")))
                .one();
    }

    /**
     * An action taken under an {@code Idempotency-Key}: its id (from the unit, the person and the key), the record it
     * was taken on, what it was, the digest of the request as asked, the timeline entry it added and when.
     */
    public record KeyedAction(UUID id, UnitCode unit, UUID caseId, String action, String request, UUID entryId,
                              Instant appliedAt) {
    }

    /** Whether the person follows the unit's record of the case (they reported a record merged into it). */
    public Mono<Boolean> follows(UnitCode unit, UUID caseId, String person) {
        return db.sql("select count(*) as n from case_follower where unit_code = :unit and case_id = :id"
                        + " and follower = :person")
                .bind("unit", unit.value()).bind("id", caseId).bind("person", person)
                .map(row -> row.get("n", Long.class)).one().map(n -> n > 0);
    }

    /**
     * The reporter of a record merged into a surviving case follows it, and so does everyone who followed the merged
     * record; the same again changes nothing.
     */
    public Mono<Void> follow(UnitCode unit, UUID survivor, UUID merged, String reporter, Instant now) {
        Mono<Void> inherited = db.sql("insert into case_follower (unit_code, case_id, follower, merged_case_id, followed_at)"
                        + " select unit_code, :survivor, follower, merged_case_id, :now from case_follower"
                        + " where unit_code = :unit and case_id = :merged on conflict do nothing")
                .bind("survivor", survivor).bind("now", utc(now)).bind("unit", unit.value()).bind("merged", merged)
                .then();
        if (reporter == null) {
            return inherited;
        }
        return db.sql("insert into case_follower (unit_code, case_id, follower, merged_case_id, followed_at)"
                        + " values (:unit, :survivor, :follower, :merged, :now) on conflict do nothing")
                .bind("unit", unit.value()).bind("survivor", survivor).bind("follower", reporter)
                .bind("merged", merged).bind("now", utc(now))
                .then().then(inherited);
    }

    /** An entry of a record merged into another, with the merged record's case id. */
    public record MergedEntry(UUID mergedCaseId, TimelineEntry entry) {
    }

    /**
     * The EVIDENCE entries of the records merged into a surviving case at the unit (and of those merged into them): the
     * photos the duplicate reports came with. The merged records are those whose reporters follow the survivor.
     */
    public Flux<MergedEntry> mergedEvidence(UnitCode unit, UUID survivor) {
        return db.sql("""
                        select case_id, entry_id, at, entry_unit, actor, action, from_status, to_status, note
                        from timeline_entry
                        where unit_code = :unit and action = 'EVIDENCE' and case_id in (
                            select merged_case_id from case_follower where unit_code = :unit and case_id = :survivor)
                        order by at, seq
                        """)
                .bind("unit", unit.value()).bind("survivor", survivor)
                .map(row -> new MergedEntry(row.get("case_id", UUID.class), entry(row, EntryColumns.PLAIN)))
                .all();
    }

    /** Records of a case held by this node for any unit, for tests and diagnostics. */
    public Flux<CaseRecord> recordsOf(UUID caseId) {
        return db.sql("select " + COLUMNS + " from case_record where case_id = :id order by seq")
                .bind("id", caseId).map(CaseStore::record).all();
    }

    private static CaseRecord record(Readable row) {
        Location location = new Location(row.get("lat", Double.class), row.get("lon", Double.class),
                row.get("address", String.class));
        CaseDetails details = new CaseDetails(row.get("category_code", String.class), row.get("title", String.class),
                row.get("description", String.class), location, row.get("grid_code", String.class),
                row.get("source", String.class), row.get("reporter", String.class), instant(row, "reported_at"));
        return new CaseRecord(row.get("case_id", UUID.class), UnitCode.of(row.get("unit_code", String.class)),
                CaseStatus.parse(row.get("status", String.class)), Origin.valueOf(row.get("origin", String.class)),
                details, unit(row, "escalated_from"), unit(row, "escalated_to"), unit(row, "dispatched_by"),
                unit(row, "dispatched_to"), row.get("resolution", String.class), instant(row, "due_at"),
                instant(row, "created_at"), instant(row, "updated_at"), instant(row, "clock_from"),
                instant(row, "accept_due_at"), accountability(row), instant(row, "verify_from"),
                instant(row, "verify_due_at"));
    }

    private static Accountability accountability(Readable row) {
        String kind = row.get("pending_kind", String.class);
        PendingRequest pending = kind == null ? null : new PendingRequest(PendingRequest.Kind.parse(kind),
                unit(row, "pending_from"), unit(row, "pending_decider"), row.get("pending_by", String.class),
                row.get("pending_reason", String.class), row.get("pending_note", String.class),
                instant(row, "pending_until"), instant(row, "pending_at"));
        return new Accountability(row.get("assignee", String.class), pending, count(row, "bounces"),
                count(row, "extensions"), count(row, "recategorisations"), count(row, "supervisions"),
                Boolean.TRUE.equals(row.get("leader_supervised", Boolean.class)), instant(row, "parked_until"));
    }

    private static int count(Readable row, String column) {
        Integer v = row.get(column, Integer.class);
        return v == null ? 0 : v;
    }

    private static UnitCode unit(Readable row, String column) {
        String v = row.get(column, String.class);
        return v == null ? null : UnitCode.of(v);
    }

    private static Instant instant(Readable row, String column) {
        return row.get(column, Instant.class);
    }

    private static CaseStatus status(String v) {
        return v == null ? null : CaseStatus.parse(v);
    }

    private static String code(UnitCode c) {
        return c == null ? null : c.value();
    }
}
