package org.gridlink.kernel.cases.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.gridlink.kernel.access.Jurisdiction;
import org.gridlink.kernel.access.Person;
import org.gridlink.kernel.cases.CaseAction;
import org.gridlink.kernel.cases.CaseRecord;
import org.gridlink.kernel.cases.CaseStatus;
import org.gridlink.kernel.cases.Instruction;
import org.gridlink.kernel.cases.Location;
import org.gridlink.kernel.cases.Task;
import org.gridlink.kernel.cases.application.ActionRequest;
import org.gridlink.kernel.cases.application.CaseHandling;
import org.gridlink.kernel.cases.application.CaseSnapshot;
import org.gridlink.kernel.cases.application.InvalidRequestException;
import org.gridlink.kernel.cases.application.ReportCase;
import org.gridlink.kernel.cases.persistence.QueueFilter;
import org.gridlink.kernel.cases.persistence.QueuePage;
import org.gridlink.kernel.cases.web.CaseRequests.ActionBody;
import org.gridlink.kernel.cases.web.CaseRequests.ReportCaseBody;
import org.gridlink.kernel.cases.web.CaseViews.CasePage;
import org.gridlink.kernel.cases.web.CaseViews.CaseSummary;
import org.gridlink.kernel.cases.web.CaseViews.CaseView;
import org.gridlink.kernel.duplicates.DuplicateFinder;
import org.gridlink.kernel.support.web.Days;
import org.gridlink.kernel.support.web.Flags;
import org.gridlink.kernel.support.web.IdempotencyKeys;
import org.gridlink.kernel.support.web.Ids;
import org.gridlink.kernel.support.web.Tables;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The case API of a node: report, list, read and act on this unit's records, as the authenticated person and
 * within their jurisdiction (checked by {@link CaseHandling}). Error answers are problem+json (see
 * ApiDocsConfiguration, which gives every 4xx response below that content).
 */
@RestController
@RequestMapping("/api/units/{code}/cases")
@Tag(name = "cases")
public class CaseController {

    public static final int MAX_LIMIT = 200;
    public static final int DEFAULT_LIMIT = 20;
    /** The most rows a ledger export holds, and the pages it reads them in. */
    public static final int MAX_EXPORT_ROWS = 10_000;
    private static final int EXPORT_PAGE = 500;

    private final CaseHandling handling;
    private final Clock clock;
    /** Looked up once, on first use: a lookup per report was 2% of the node's samples in issue 8's intake profile. */
    private final SingletonSupplier<DuplicateFinder> duplicates;

    public CaseController(CaseHandling handling, Clock clock, ObjectProvider<DuplicateFinder> duplicates) {
        this.handling = handling;
        this.clock = clock;
        this.duplicates = SingletonSupplier.of(duplicates::getIfAvailable);
    }

    @PostMapping
    @Operation(operationId = "reportCase", summary = "Report a case at a unit",
            description = "Creates the unit's own record of a new case, REPORTED, with its due time from the category's"
                    + " time limit. The record's timeline starts with the REPORT entry. The answer lists in"
                    + " duplicateCandidates the unit's open records of the same category near it (as"
                    + " GET …/duplicates does; none for a citizen). A source, when given, is one GET …/sources lists.")
    @ApiResponse(responseCode = "201", description = "The new record; Location names it.",
            headers = @Header(name = "Location", description = "the new record's URL",
                    schema = @Schema(type = "string", format = "uri-reference")))
    @ApiResponse(responseCode = "400", description = "Malformed JSON, a body that fails validation, a malformed unit code"
            + " or Idempotency-Key.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node.", content = @Content)
    @ApiResponse(responseCode = "413", description = "The request body is too large.", content = @Content)
    @ApiResponse(responseCode = "422", description = "An unknown category or source, a grid cell that is not the unit's own, or an"
            + " Idempotency-Key this person already used for a different report.", content = @Content)
    public Mono<ResponseEntity<CaseView>> report(@PathVariable String code, @Valid @RequestBody ReportCaseBody body,
                                                 @Parameter(description = IDEMPOTENCY_KEY_DESCRIPTION)
                                                 @RequestHeader(name = IdempotencyKeys.HEADER, required = false)
                                                 String idempotencyKey,
                                                 @AuthenticationPrincipal Person person) {
        String key = IdempotencyKeys.parse(idempotencyKey);
        Location location = body.location() == null ? null
                : new Location(body.location().lat(), body.location().lon(), body.location().address());
        ReportCase request = new ReportCase(body.categoryCode().trim(), body.title(), body.description(), location,
                body.gridCode(), body.source(), body.reporter());
        return handling.report(code, request, person, key)
                .flatMap(s -> duplicateCandidates(s.record(), person)
                        .map(candidates -> ResponseEntity.created(URI.create("/api/units/" + code + "/cases/"
                                        + s.record().caseId()))
                                .body(CaseView.of(s, clock.instant(), handling.node().directory())
                                        .withDuplicateCandidates(candidates))));
    }

    static final String IDEMPOTENCY_KEY_DESCRIPTION = "Optional; " + IdempotencyKeys.SYNTAX + ". A report sent again"
            + " with the same key by the same person (a client that did not get the first answer) gets the record the"
            + " first one made, not a second; the same key with a different report is 422.";

    /** Possible duplicates of a new record, for a reporter who may read the unit's queue (a citizen sees none). */
    private Mono<List<DuplicateFinder.Candidate>> duplicateCandidates(CaseRecord record, Person person) {
        DuplicateFinder finder = duplicates.get();
        if (finder == null || !Jurisdiction.mayRead(person, record.unit())) {
            return Mono.just(List.of());
        }
        return finder.near(record);
    }

    @GetMapping
    @Operation(operationId = "listCases", summary = "List a unit's cases",
            description = "The unit's records, newest first, in keyset pages: pass nextCursor back as cursor for the"
                    + " next page; it is absent on the last one. overdue=true lists only the records whose running"
                    + " clock (acceptance, handling or verification) has run out; grid only those found in one of the"
                    + " unit's grid cells; assignee only those given to a department officer and not taken back"
                    + " (assignee=me: the caller); reportedFrom and reportedTo only the cases reported in those days,"
                    + " newest report first; reporter only the cases one person reported or follows (reporter=me: a"
                    + " citizen's own, the only list a citizen may read); task only the records that wait on one task"
                    + " of the unit's to-do (GET …/todo), supervised=true only the supervised ones that wait here; instructed=true"
                    + " only those a leader's instruction waits on (领导批示); q only those a search's words are found in"
                    + " (检索). The narrowings combine.")
    @ApiResponse(responseCode = "200", description = "A page of the unit's records.")
    @ApiResponse(responseCode = "400", description = "An unknown status or task, a limit out of range, a cursor this"
            + " API did not give out, a grid cell not the unit's, a malformed assignee, reporter, day or unit code,"
            + " reportedTo before reportedFrom, a search too long or of too many words.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node.", content = @Content)
    public Mono<CasePage> queue(@PathVariable String code, @RequestParam(required = false) String status,
                                @RequestParam(required = false) String category,
                                @RequestParam(required = false, defaultValue = "" + DEFAULT_LIMIT) String limit,
                                @RequestParam(required = false) String cursor,
                                @RequestParam(required = false) String overdue,
                                @RequestParam(required = false) String grid,
                                @RequestParam(required = false) String assignee,
                                @Parameter(description = REPORTED_FROM) @RequestParam(required = false)
                                String reportedFrom,
                                @Parameter(description = REPORTED_TO) @RequestParam(required = false)
                                String reportedTo,
                                @Parameter(description = REPORTER) @RequestParam(required = false) String reporter,
                                @Parameter(description = TASK) @RequestParam(required = false) String task,
                                @Parameter(description = SUPERVISED) @RequestParam(required = false) String supervised,
                                @Parameter(description = SEARCH) @RequestParam(required = false) String q,
                                @Parameter(description = INSTRUCTED) @RequestParam(required = false)
                                String instructed,
                                @AuthenticationPrincipal Person person) {
        return Mono.defer(() -> {
            QueueFilter filter = toDo(narrowing(status, category, grid, assignee, reportedFrom, reportedTo, reporter,
                    q, person), task, supervised, instructed, clock.instant());
            int size = parseLimit(limit);
            Long after = parseCursor(cursor);
            boolean overdueOnly = Flags.parse("overdue", overdue);
            return handling.queue(code, filter, overdueOnly, size, after, person)
                    .map(page -> new CasePage(
                            page.records().stream().map(r -> CaseSummary.of(r, clock.instant(), handling.node().directory())).toList(),
                            page.nextSeq() == null ? null : Long.toString(page.nextSeq())));
        });
    }

    @GetMapping("/export")
    @Operation(operationId = "exportCases", summary = "Export a unit's cases as a ledger (台账)",
            description = "The unit's records, newest first, narrowed as the queue is (status, category, overdue, grid,"
                    + " assignee, the days reported: a month's ledger, task, supervised, instructed, a search), as CSV (the default), XLSX or JSON (format): one row per record"
                    + " with Chinese headers, times in the city's zone. CSV: every record, written as the pages of the"
                    + " queue are read (a year's ledger of a busy community is one download). XLSX and JSON: at most "
                    + MAX_EXPORT_ROWS + " rows: a ledger cut there says so in its Gridlink-Export-Truncated header;"
                    + " narrow it to get the rest, or take it as CSV.")
    @ApiResponse(responseCode = "200", description = "The ledger.")
    @ApiResponse(responseCode = "400", description = "What the queue refuses, or a format not json, csv or xlsx.",
            content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node.", content = @Content)
    public Mono<ResponseEntity<Object>> export(@PathVariable String code, @RequestParam(required = false) String status,
                                               @RequestParam(required = false) String category,
                                               @RequestParam(required = false) String overdue,
                                               @RequestParam(required = false) String grid,
                                               @RequestParam(required = false) String assignee,
                                               @Parameter(description = REPORTED_FROM) @RequestParam(required = false)
                                               String reportedFrom,
                                               @Parameter(description = REPORTED_TO) @RequestParam(required = false)
                                               String reportedTo,
                                               @Parameter(description = REPORTER) @RequestParam(required = false)
                                               String reporter,
                                               @Parameter(description = TASK) @RequestParam(required = false)
                                               String task,
                                               @Parameter(description = SUPERVISED) @RequestParam(required = false)
                                               String supervised,
                                               @Parameter(description = SEARCH) @RequestParam(required = false)
                                               String q,
                                               @Parameter(description = INSTRUCTED) @RequestParam(required = false)
                                               String instructed,
                                               @Parameter(description = "csv (default), xlsx or json")
                                               @RequestParam(required = false) String format,
                                               @AuthenticationPrincipal Person person,
                                               ServerWebExchange exchange) {
        return Mono.defer(() -> {
            Tables.Format wanted = Tables.format(format == null || format.isBlank() ? "csv" : format, null);
            Instant now = clock.instant();
            QueueFilter filter = toDo(narrowing(status, category, grid, assignee, reportedFrom, reportedTo, reporter,
                    q, person), task, supervised, instructed, now);
            boolean overdueOnly = Flags.parse("overdue", overdue);
            var directory = handling.node().directory();
            // the first page is read before anything is written, so that what the queue refuses (a unit outside the
            // person's jurisdiction, none such) is answered as a problem; the pages after it as they are needed
            Mono<QueuePage> first = handling.queue(code, filter, overdueOnly, EXPORT_PAGE, null, person);
            Function<QueuePage, Flux<QueuePage>> pagesFrom = page -> Mono.just(page).expand(p -> p.nextSeq() == null
                    ? Mono.empty() : handling.queue(code, filter, overdueOnly, EXPORT_PAGE, p.nextSeq(), person));
            if (wanted == Tables.Format.CSV) {
                // every record, each page written as it is read
                return first.flatMap(page -> Tables.streamCsv(exchange.getResponse(), "cases-" + code, CaseLedger.HEADER,
                                pagesFrom.apply(page).map(p -> CaseLedger.rows(p.records(), now, directory))))
                        .then(Mono.empty());
            }
            return first.flatMapMany(pagesFrom)
                    .concatMapIterable(QueuePage::records)
                    .take(MAX_EXPORT_ROWS + 1L, true)
                    .collectList()
                    .flatMap(records -> {
                        boolean cut = records.size() > MAX_EXPORT_ROWS;
                        List<CaseRecord> kept = cut ? records.subList(0, MAX_EXPORT_ROWS) : records;
                        return Tables.respond(wanted,
                                        kept.stream().map(r -> CaseSummary.of(r, now, directory)).toList(),
                                        () -> CaseLedger.table(kept, now, directory), "cases-" + code, "台账",
                                        CaseLedger.TEXT_COLUMNS)
                                .map(answer -> cut ? Tables.truncated(answer, MAX_EXPORT_ROWS) : answer);
                    });
        });
    }

    @GetMapping("/overdue")
    @Operation(operationId = "listOverdueBelow", summary = "List the overdue records in a unit's subtree",
            description = "What the units below told this unit: each record whose acceptance, handling or verification"
                    + " clock ran out"
                    + " (gridlink.case.overdue.v1), newest first, once per record and clock.")
    @ApiResponse(responseCode = "200", description = "The overdue notices.")
    @ApiResponse(responseCode = "400", description = "A malformed unit code or limit.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node.", content = @Content)
    public Mono<List<CaseViews.OverdueView>> overdueBelow(@PathVariable String code,
                                                          @RequestParam(required = false, defaultValue = "" + DEFAULT_LIMIT) String limit,
                                                          @AuthenticationPrincipal Person person) {
        return Mono.defer(() -> handling.overdueBelow(code, parseLimit(limit), person).map(CaseViews.OverdueView::of)
                .collectList());
    }

    @GetMapping("/{caseId}")
    @Operation(operationId = "readCase", summary = "Read a unit's record of a case",
            description = "The record with its timeline (the whole history, from every unit along the chain), the"
                    + " chain of units it passed and the actions allowed now; its evidence, and for whoever may read"
                    + " the unit's queue that of the reports merged into it (mergedFrom). A citizen reads their own case"
                    + " as a public portal shows it (办理进度): each entry's unit and status, the person only where it"
                    + " is themselves, the notes that tell the outcome and not the staff's to each other (留言"
                    + " left out), no officer and no request waiting.")
    @ApiResponse(responseCode = "200", description = "The unit's record of the case; its ETag is the record's version,"
            + " for an action's If-Match.", headers = @Header(name = "ETag", description = "The record's version.",
            schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "400", description = "A malformed unit code or case id.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node, or the unit holds no record of the case.",
            content = @Content)
    public Mono<ResponseEntity<CaseView>> read(@PathVariable String code, @PathVariable String caseId,
                                               @AuthenticationPrincipal Person person) {
        return Mono.defer(() -> handling.read(code, parseId(caseId), person)
                .flatMap(s -> handling.withMergedEvidence(s, person)).flatMap(this::versioned));
    }

    /** The record's view, with its version as the ETag. */
    private Mono<ResponseEntity<CaseView>> versioned(CaseSnapshot snapshot) {
        // a record that may be dispatched proposes the officers at work (those away are read only then)
        Mono<Set<String>> away = snapshot.allowedActions().contains(CaseAction.DISPATCH)
                ? handling.officersAway(snapshot.record().unit()) : Mono.just(Set.of());
        // a leader's instruction that waits is read only for a record with a note of the unit's that the reader sees
        Mono<Optional<Instruction>> instruction = handling.instructionWaiting(snapshot).map(Optional::of)
                .defaultIfEmpty(Optional.empty());
        return Mono.zip(away, instruction).map(t -> ResponseEntity.ok().eTag(RecordVersions.etag(snapshot.record()))
                .body(CaseView.of(snapshot, clock.instant(), handling.node().directory(), t.getT1(),
                        t.getT2().orElse(null))));
    }

    @PostMapping("/{caseId}/actions")
    @Operation(operationId = "actOnCase", summary = "Take an action on a unit's record of a case",
            description = "Moves the record through the state machine (docs/state-machine.md). ESCALATE hands the"
                    + " case to the parent unit, DISPATCH to the child unit named by target (a sibling of the origin"
                    + " for a sideways forward) or to the department officer named by officer, RETURN sends an"
                    + " escalation back to the child. A receiver asks the dispatcher with RETURN_REQUEST (reason from"
                    + " /return-reasons), EXTEND_REQUEST or PARK_REQUEST (until: the due time or review date asked"
                    + " for); the dispatcher answers APPROVE (until may grant another time) or OVERRULE."
                    + " RECATEGORISE names the new category; the time limits follow it. MERGE closes a duplicate into"
                    + " the open case of the same unit and category named by into; its reporter follows that case."
                    + " VERDICT (回访, on the closed record where the case was reported, by its reporter or a handler"
                    + " for them, within gridlink.verdict.window of the close) is SATISFIED, or NOT_FIXED with a"
                    + " note, which reopens the case at the unit that resolved it. COMMENT (留言) writes a note on"
                    + " an open record and changes nothing else: the holder's progress so far (阶段反馈), a leader's"
                    + " instruction (批示, by a leader of the unit or one who answers for it), a unit waiting below"
                    + " asking after it (催办); it reaches every unit along the chain. REJECT, RETURN, RESOLVE,"
                    + " REWORK, OVERRULE, RECALL, REASSIGN, COMMENT and the requests need a note. The other units"
                    + " along the chain learn of every change by events.")
    @ApiResponse(responseCode = "200", description = "The record after the action; its ETag is the record's version"
            + " now.", headers = @Header(name = "ETag", description = "The record's version.",
            schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "400", description = "An unknown action, malformed JSON, a body that fails validation,"
            + " a malformed unit code, case id, target, If-Match or Idempotency-Key.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node, or the unit holds no record of the case.",
            content = @Content)
    @ApiResponse(responseCode = "409", description = "The action is not allowed in the record's current status; the"
            + " answer names the status and the actions allowed now.", content = @Content)
    @ApiResponse(responseCode = "412", description = "Sent with If-Match on a version the record no longer has: someone"
            + " changed it since it was read. The answer names its status now; nothing changed.", content = @Content)
    @ApiResponse(responseCode = "413", description = "The request body is too large.", content = @Content)
    @ApiResponse(responseCode = "403", description = "The person may not take this action on the record.",
            content = @Content)
    @ApiResponse(responseCode = "422", description = "The action cannot be done as asked: a missing note or reason, a"
            + " target that is not a child unit, an unknown officer or one away from the unit's work (PUT"
            + " …/todo/officers/{officer}/away), an unknown reason or category, a due time in the past, an"
            + " Idempotency-Key already used for another action.",
            content = @Content)
    public Mono<ResponseEntity<CaseView>> act(@PathVariable String code, @PathVariable String caseId,
                                              @Valid @RequestBody ActionBody body,
                                              @Parameter(description = RecordVersions.IF_MATCH_DESCRIPTION)
                                              @RequestHeader(name = HttpHeaders.IF_MATCH, required = false)
                                              String ifMatch,
                                              @Parameter(description = ACTION_KEY_DESCRIPTION)
                                              @RequestHeader(name = IdempotencyKeys.HEADER, required = false)
                                              String idempotencyKey,
                                              @AuthenticationPrincipal Person person) {
        return Mono.defer(() -> {
            String key = IdempotencyKeys.parse(idempotencyKey);
            CaseAction action = CaseAction.parse(body.action()).orElseThrow(() -> InvalidRequestException.malformed(
                    "action", "unknown action '" + body.action() + "'; actions are "
                            + Arrays.stream(CaseAction.values()).map(Enum::name).collect(Collectors.joining(", "))));
            return handling.act(code, parseId(caseId), new ActionRequest(action, body.note(), body.target(),
                            body.officer(), body.category(), body.reason(), body.until(), body.into(), body.verdict()), person,
                            RecordVersions.accepted(ifMatch), key)
                    .flatMap(s -> handling.withMergedEvidence(s, person)).flatMap(this::versioned);
        });
    }

    static final String ACTION_KEY_DESCRIPTION = "Optional; " + IdempotencyKeys.SYNTAX + ". An action sent again with"
            + " the same key by the same person (a client that did not get the first answer) is taken once: the try"
            + " again is answered with the record as it is now, whatever its If-Match; the same key with another action"
            + " is 422.";

    private static UUID parseId(String caseId) {
        return Ids.parse("caseId", caseId, "a case id");
    }

    private static CaseStatus parseStatus(String status) {
        CaseStatus s = CaseStatus.parse(status);
        if (s == CaseStatus.UNKNOWN) {
            throw InvalidRequestException.malformed("status", "unknown status '" + status + "'; statuses are "
                    + Arrays.stream(CaseStatus.values()).filter(v -> v != CaseStatus.UNKNOWN).map(Enum::name)
                    .collect(Collectors.joining(", ")));
        }
        return s;
    }

    /** A page size from 1 to {@link #MAX_LIMIT}, or a 400 naming the field. */
    public static int parseLimit(String limit) {
        try {
            int n = Integer.parseInt(limit.trim());
            if (n < 1 || n > MAX_LIMIT) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw InvalidRequestException.malformed("limit", "limit must be a number from 1 to " + MAX_LIMIT);
        }
    }

    static final String REPORTED_FROM = "Only the cases reported on or after this day (yyyy-MM-dd, in the city's"
            + " zone). With reportedFrom or reportedTo the records come newest report first.";
    static final String REPORTED_TO = "Only the cases reported on or before this day (yyyy-MM-dd, in the city's zone;"
            + " the whole day).";

    static final String TASK = "Only the records that wait on this task of the unit's people (GET …/todo counts them):"
            + " ACCEPT 待受理, SIGN 待签收 (an officer's), HANDLE 待处置, VERIFY 待核查, CLOSE 待结案, DECIDE 待审批"
            + " (a request this unit decides). A parked record waits on none but DECIDE until its review date.";

    static final String SUPERVISED = "true: only the records a supervision notice (督办) was sent about that still wait"
            + " on the unit's people (GET …/todo counts them).";

    /** The filter narrowed to the to-do's task and to the supervised records, as asked. */
    private static QueueFilter toDo(QueueFilter filter, String task, String supervised, String instructed,
                                   Instant now) {
        QueueFilter narrowed = filter.withTask(parseTask(task), now)
                .withInstructed(Flags.parse("instructed", instructed));
        return Flags.parse("supervised", supervised) ? narrowed.withSupervisedAt(now) : narrowed;
    }

    static final String INSTRUCTED = "true: only the records a leader's instruction (领导批示) waits on, not closed or"
            + " rejected: a leader's note on the unit's record, until one of the unit's people acts on it or writes on"
            + " it (GET …/todo counts them).";

    /** A task a query names, or null for none; else a 400 naming the field and the tasks there are. */
    static Task parseTask(String task) {
        if (task == null || task.isBlank()) {
            return null;
        }
        return Task.parse(task).orElseThrow(() -> InvalidRequestException.malformed("task", "unknown task '" + task
                + "'; tasks are " + Arrays.stream(Task.values()).map(Enum::name).collect(Collectors.joining(", "))));
    }

    static final String REPORTER = "Only the cases this reporter reported, and those their reports were merged into;"
            + " me: the caller's own (我的上报). A citizen lists the queue only so.";

    /** The queue's narrowings as asked (blank: none), each malformed one a 400 naming it; overdue apart. */
    private QueueFilter narrowing(String status, String category, String grid, String assignee, String reportedFrom,
                                  String reportedTo, String reporter, String q, Person person) {
        CaseStatus wanted = status == null || status.isBlank() ? null : parseStatus(status);
        LocalDate from = Days.parse("reportedFrom", reportedFrom);
        LocalDate to = Days.parse("reportedTo", reportedTo);
        if (from != null && to != null && to.isBefore(from)) {
            throw InvalidRequestException.malformed("reportedTo", "reportedTo (" + to + ") is before reportedFrom ("
                    + from + ")");
        }
        ZoneId zone = handling.node().directory().calendar().zone();
        return new QueueFilter(wanted, blankAsNull(category), null, blankAsNull(grid), parseAssignee(assignee, person),
                from == null ? null : from.atStartOfDay(zone).toInstant(),
                to == null ? null : to.plusDays(1).atStartOfDay(zone).toInstant(), parseReporter(reporter, person))
                .withWords(parseWords(q));
    }

    static final int MAX_SEARCH_LENGTH = 100;
    static final int MAX_SEARCH_WORDS = 5;

    static final String SEARCH = "Search (检索): only the records in whose title, description or address each word of q"
            + " (split at spaces) is found, regardless of case, or whose case id begins with it (at least eight of its"
            + " characters, as the console shortens one); up to " + MAX_SEARCH_WORDS + " words, "
            + MAX_SEARCH_LENGTH + " characters in all.";

    /** A search's words, split at spaces (an ideographic one too), or none for a blank one; else a 400 naming q. */
    static List<String> parseWords(String q) {
        String text = q == null ? "" : q.strip();
        if (text.length() > MAX_SEARCH_LENGTH) {
            throw InvalidRequestException.malformed("q", "q must be at most " + MAX_SEARCH_LENGTH + " characters, not "
                    + text.length());
        }
        if (text.chars().anyMatch(c -> Character.isISOControl(c) && !Character.isWhitespace(c))) {
            throw InvalidRequestException.malformed("q", "q must be text, without control characters");
        }
        List<String> words = text.isEmpty() ? List.of() : List.of(text.split("[\\s\u3000]+"));
        if (words.size() > MAX_SEARCH_WORDS) {
            throw InvalidRequestException.malformed("q", "q may hold at most " + MAX_SEARCH_WORDS + " words, not "
                    + words.size());
        }
        return words;
    }

    static String blankAsNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** A department officer's username, {@code me} for the caller's, or null for any. */
    static String parseAssignee(String assignee, Person person) {
        return namedPerson("assignee", assignee, person,
                v -> v.length() <= 128 && v.chars().allMatch(c -> c > 0x20 && c != 0x7f),
                "a username (up to 128 characters, no spaces)");
    }

    /** A reporter as the reports name them (up to 200 characters), {@code me} for the caller, or null for any. */
    private static String parseReporter(String reporter, Person person) {
        return namedPerson("reporter", reporter, person,
                v -> v.length() <= 200 && v.chars().noneMatch(Character::isISOControl),
                "a reporter's name as the reports give it (up to 200 characters)");
    }

    /** A person a narrowing names: {@code me} for the caller, a well-formed name, or null for any; else a 400. */
    private static String namedPerson(String field, String value, Person caller, Predicate<String> wellFormed,
                                      String what) {
        String name = blankAsNull(value);
        if (name == null) {
            return null;
        }
        if (name.equals("me")) {
            return caller.username();
        }
        if (!wellFormed.test(name)) {
            throw InvalidRequestException.malformed(field, field + " is " + what + " or me");
        }
        return name;
    }

    private static Long parseCursor(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(cursor.trim());
        } catch (NumberFormatException e) {
            throw InvalidRequestException.malformed("cursor", "cursor '" + cursor + "' is not one this API gave out");
        }
    }
}
