package org.gridlink.community.patrol;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.gridlink.kernel.access.Person;
import org.gridlink.kernel.cases.application.InvalidRequestException;
import org.gridlink.kernel.support.web.ApiProblems;
import org.gridlink.kernel.support.web.Days;
import org.gridlink.kernel.support.web.Flags;
import org.gridlink.kernel.support.web.IdempotencyKeys;
import org.gridlink.kernel.support.web.Tables;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Patrols (巡查) at a community: a grid worker starts one in a cell of theirs, checks in at places on the way (打卡) and
 * ends it; the cases they report meanwhile are its findings. The unit's staff, and those above it, read the patrols and
 * each day's coverage of the cells.
 */
@RestController
@Tag(name = "patrols")
public class PatrolController {

    static final String IDEMPOTENCY_KEY_DESCRIPTION = "Optional; " + IdempotencyKeys.SYNTAX + ". The same request"
            + " sent again under the same key (its answer was lost) is answered as the first was and does nothing more;"
            + " the key used before for another request is 422.";

    private final Patrols patrols;
    private final Clock clock;

    public PatrolController(Patrols patrols, Clock clock) {
        this.patrols = patrols;
        this.clock = clock;
    }

    /** {@code POST …/patrols}: a patrol of one of the grid worker's cells. */
    public record StartPatrolBody(
            @NotBlank(message = "gridCode is required: the grid cell patrolled") @Size(max = 32) String gridCode,
            @Size(max = 4000) String note) {
    }

    /** {@code POST …/patrols/{id}/check-ins}: a place checked in at. */
    public record CheckInBody(
            @NotNull(message = "lat is required") @DecimalMin("-90") @DecimalMax("90") Double lat,
            @NotNull(message = "lon is required") @DecimalMin("-180") @DecimalMax("180") Double lon,
            @Size(max = 4000) String note) {
    }

    /** {@code POST …/patrols/{id}/end}. */
    public record EndPatrolBody(@Size(max = 4000) String note) {
    }

    /**
     * A patrol as the API shows it.
     *
     * @param status           UNDER_WAY or ENDED
     * @param minutes          how long it went on (until now while under way)
     * @param distanceMetres   the length of the line through its check-ins
     * @param outsideCell      check-ins outside the cell patrolled
     * @param findings         the cases the patroller reported at the unit while it was under way
     */
    public record PatrolView(UUID id, String unitCode, String gridCode, String patroller, String patrollerName,
                             String status, Instant startedAt, String startNote, Instant endedAt, String endedBy,
                             String endNote, long minutes, long distanceMetres, int checkIns, long outsideCell,
                             List<Patrol.Point> points, List<Patrol.Finding> findings) {

        static PatrolView of(Patrol p, Instant now) {
            return new PatrolView(p.id(), p.unit().value(), p.gridCode(), p.patroller(), p.patrollerName(),
                    p.underWay() ? "UNDER_WAY" : "ENDED", p.startedAt(), p.startNote(), p.endedAt(), p.endedBy(),
                    p.endNote(), p.duration(now).toMinutes(), Math.round(p.distanceMetres()), p.points().size(),
                    p.pointsOutsideCell(), p.points(), p.findings());
        }
    }

    /** A day's patrols (day null: those under way, whatever day they started). */
    public record PatrolDay(String unitCode, LocalDate day, List<PatrolView> patrols) {
    }

    @PostMapping("/api/units/{code}/patrols")
    @Operation(operationId = "startPatrol", summary = "Start a patrol of a grid cell",
            description = "A grid worker of the community starts a patrol (巡查) of one of their own grid cells. One"
                    + " patrol under way per person: another is refused (409) until it ends. The cases they report at"
                    + " the community while it is under way are its findings.")
    @ApiResponse(responseCode = "201", description = "The patrol, under way.")
    @ApiResponse(responseCode = "200", description = "The same start sent again under its Idempotency-Key: the patrol.")
    @ApiResponse(responseCode = "400", description = "Malformed JSON, no gridCode, a malformed unit code or"
            + " Idempotency-Key.", content = @Content)
    @ApiResponse(responseCode = "403", description = "Not a grid worker of the unit, or not their cell.",
            content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node.", content = @Content)
    @ApiResponse(responseCode = "409", description = "The person has a patrol under way already.", content = @Content)
    @ApiResponse(responseCode = "422", description = "A grid cell that is not the unit's, or the Idempotency-Key used"
            + " before for another patrol.", content = @Content)
    public Mono<ResponseEntity<PatrolView>> start(@PathVariable String code, @Valid @RequestBody StartPatrolBody body,
                                                  @Parameter(description = IDEMPOTENCY_KEY_DESCRIPTION)
                                                  @RequestHeader(name = IdempotencyKeys.HEADER, required = false)
                                                  String idempotencyKey,
                                                  @AuthenticationPrincipal Person person) {
        return Mono.defer(() -> patrols.start(code, body.gridCode(), body.note(), person,
                        IdempotencyKeys.parse(idempotencyKey)))
                .map(s -> (s.created() ? ResponseEntity.created(location(code, s.patrol())) : ResponseEntity.ok()
                        .location(location(code, s.patrol()))).body(PatrolView.of(s.patrol(), clock.instant())));
    }

    @PostMapping("/api/units/{code}/patrols/{patrolId}/check-ins")
    @Operation(operationId = "checkInOnPatrol", summary = "Check in at a place on a patrol",
            description = "The patroller checks in (打卡) where they stand: the point is kept with the time and the"
                    + " community's grid cell that holds it (none: outside the community's cells; counted in"
                    + " outsideCell when it is not the cell patrolled).")
    @ApiResponse(responseCode = "201", description = "The patrol with the new check-in last.")
    @ApiResponse(responseCode = "400", description = "Malformed JSON, lat or lon missing or out of range, a malformed"
            + " id or Idempotency-Key.", content = @Content)
    @ApiResponse(responseCode = "403", description = "Not the patroller.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node, or no such patrol there.",
            content = @Content)
    @ApiResponse(responseCode = "409", description = "The patrol has ended.", content = @Content)
    public Mono<ResponseEntity<PatrolView>> checkIn(@PathVariable String code, @PathVariable String patrolId,
                                                    @Valid @RequestBody CheckInBody body,
                                                    @Parameter(description = IDEMPOTENCY_KEY_DESCRIPTION)
                                                    @RequestHeader(name = IdempotencyKeys.HEADER, required = false)
                                                    String idempotencyKey,
                                                    @AuthenticationPrincipal Person person) {
        return Mono.defer(() -> patrols.checkIn(code, patrolId, body.lat(), body.lon(), body.note(), person,
                        IdempotencyKeys.parse(idempotencyKey)))
                .map(p -> ResponseEntity.created(location(code, p)).body(PatrolView.of(p, clock.instant())));
    }

    @PostMapping("/api/units/{code}/patrols/{patrolId}/end")
    @Operation(operationId = "endPatrol", summary = "End a patrol",
            description = "The patroller ends their patrol, or a supervisor of the unit ends one left under way.")
    @ApiResponse(responseCode = "200", description = "The patrol, ended.")
    @ApiResponse(responseCode = "400", description = "Malformed JSON, a malformed id or Idempotency-Key.",
            content = @Content)
    @ApiResponse(responseCode = "403", description = "Neither the patroller nor a supervisor of the unit.",
            content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node, or no such patrol there.",
            content = @Content)
    @ApiResponse(responseCode = "409", description = "The patrol has ended already.", content = @Content)
    public Mono<PatrolView> end(@PathVariable String code, @PathVariable String patrolId,
                                @Valid @RequestBody(required = false) EndPatrolBody body,
                                @Parameter(description = IDEMPOTENCY_KEY_DESCRIPTION)
                                @RequestHeader(name = IdempotencyKeys.HEADER, required = false) String idempotencyKey,
                                @AuthenticationPrincipal Person person) {
        return Mono.defer(() -> patrols.end(code, patrolId, body == null ? null : body.note(), person,
                        IdempotencyKeys.parse(idempotencyKey)))
                .map(p -> PatrolView.of(p, clock.instant()));
    }

    @GetMapping("/api/units/{code}/patrols/{patrolId}")
    @Operation(operationId = "readPatrol", summary = "Read a patrol",
            description = "A patrol with its check-ins and findings, to whoever may read the unit's queue.")
    @ApiResponse(responseCode = "200", description = "The patrol.")
    @ApiResponse(responseCode = "400", description = "A malformed unit code or id.", content = @Content)
    @ApiResponse(responseCode = "403", description = "The person may not read the unit's queue.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node, or no such patrol there.",
            content = @Content)
    public Mono<PatrolView> read(@PathVariable String code, @PathVariable String patrolId,
                                 @AuthenticationPrincipal Person person) {
        return patrols.get(code, patrolId, person).map(p -> PatrolView.of(p, clock.instant()));
    }

    @GetMapping("/api/units/{code}/patrols")
    @Operation(operationId = "listPatrols", summary = "List a day's patrols",
            description = "The unit's patrols started on the day (the city's calendar day; today by default), newest"
                    + " first, each with its check-ins and findings; narrowed to a grid cell or a patroller. With"
                    + " underWay=true: the patrols under way now, whatever day they started (no day then).")
    @ApiResponse(responseCode = "200", description = "The day's patrols (at most 2000).")
    @ApiResponse(responseCode = "400", description = "A malformed unit code or day.", content = @Content)
    @ApiResponse(responseCode = "403", description = "The person may not read the unit's queue.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node.", content = @Content)
    @ApiResponse(responseCode = "422", description = "A grid cell that is not the unit's.", content = @Content)
    public Mono<PatrolDay> list(@PathVariable String code,
                                @Parameter(description = "yyyy-MM-dd; today by default")
                                @RequestParam(required = false) String day,
                                @RequestParam(required = false) String gridCode,
                                @Parameter(description = "a patroller's username")
                                @RequestParam(required = false) String patroller,
                                @Parameter(description = "true: the patrols under way now, whatever day they started",
                                        schema = @Schema(type = "boolean", defaultValue = "false"))
                                @RequestParam(required = false) String underWay,
                                @AuthenticationPrincipal Person person) {
        return Mono.defer(() -> {
            LocalDate on = Days.parse("day", day);
            if (Flags.parse("underWay", underWay)) {
                if (on != null || gridCode != null && !gridCode.isBlank()) {
                    throw InvalidRequestException.malformed("underWay", "underWay=true lists the patrols under way"
                            + " now, whatever their day or cell; leave out day and gridCode");
                }
                return patrols.underWay(code, patroller, person).map(list -> new PatrolDay(code, null,
                        list.stream().map(p -> PatrolView.of(p, clock.instant())).toList()));
            }
            return patrols.ofDay(code, on, gridCode, patroller, person)
                    .map(list -> new PatrolDay(code, on == null ? patrols.today() : on,
                            list.stream().map(p -> PatrolView.of(p, clock.instant())).toList()));
        });
    }

    @GetMapping("/api/units/{code}/patrols/export")
    @Operation(operationId = "exportPatrols", summary = "The unit's patrols as a ledger (巡查台账)",
            description = "The patrols started from..to (the city's calendar days, both included; today by default),"
                    + " newest first, narrowed to a grid cell or a patroller: CSV (UTF-8 with a BOM) or XLSX with Chinese"
                    + " headers and times in the city's zone, or JSON. At most 10 000: a ledger cut there says so in its"
                    + " Gridlink-Export-Truncated header; narrow it to get the rest.")
    @ApiResponse(responseCode = "200", description = "The ledger.")
    @ApiResponse(responseCode = "400", description = "A malformed unit code, day or format, or from after to.",
            content = @Content)
    @ApiResponse(responseCode = "403", description = "The person may not read the unit's queue.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node.", content = @Content)
    @ApiResponse(responseCode = "422", description = "A grid cell that is not the unit's.", content = @Content)
    public Mono<ResponseEntity<Object>> export(@PathVariable String code,
                                               @Parameter(description = "first day, yyyy-MM-dd")
                                               @RequestParam(required = false) String from,
                                               @Parameter(description = "last day, yyyy-MM-dd")
                                               @RequestParam(required = false) String to,
                                               @RequestParam(required = false) String gridCode,
                                               @Parameter(description = "a patroller's username")
                                               @RequestParam(required = false) String patroller,
                                               @Parameter(description = "csv (default), xlsx or json")
                                               @RequestParam(required = false) String format,
                                               @AuthenticationPrincipal Person person) {
        return Mono.defer(() -> {
            Tables.Format wanted = Tables.format(format == null || format.isBlank() ? "csv" : format, null);
            LocalDate first = Days.parse("from", from);
            LocalDate last = Days.parse("to", to);
            return patrols.between(code, first, last, gridCode, patroller, person).flatMap(found -> {
                Instant now = clock.instant();
                boolean cut = found.size() > Patrols.LEDGER_LIMIT;
                List<Patrol> list = cut ? found.subList(0, Patrols.LEDGER_LIMIT) : found;
                List<PatrolView> views = list.stream().map(p -> PatrolView.of(p, now)).toList();
                return Tables.respond(wanted, views, () -> PatrolLedger.table(list, patrols.zone(), now),
                                "patrols-" + code, "巡查台账", PatrolLedger.TEXT_COLUMNS)
                        .map(answer -> cut ? Tables.truncated(answer, Patrols.LEDGER_LIMIT) : answer);
            });
        });
    }

    @GetMapping("/api/units/{code}/patrols/coverage")
    @Operation(operationId = "readPatrolCoverage", summary = "How the unit's grid cells were patrolled on a day",
            description = "Each grid cell of the community on the day (today by default): who patrols it, its patrols"
                    + " (those under way too), their minutes and check-ins, the cases they found and the latest"
                    + " activity; and how many of the cells were patrolled (巡查覆盖).")
    @ApiResponse(responseCode = "200", description = "The coverage.")
    @ApiResponse(responseCode = "400", description = "A malformed unit code or day.", content = @Content)
    @ApiResponse(responseCode = "403", description = "The person may not read the unit's queue.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node.", content = @Content)
    public Mono<PatrolCoverage> coverage(@PathVariable String code,
                                         @Parameter(description = "yyyy-MM-dd; today by default")
                                         @RequestParam(required = false) String day,
                                         @AuthenticationPrincipal Person person) {
        return Mono.defer(() -> patrols.coverage(code, Days.parse("day", day), person));
    }

    @ExceptionHandler(Patrols.PatrolConflictException.class)
    ProblemDetail conflict(Patrols.PatrolConflictException e) {
        return ApiProblems.problem(HttpStatus.CONFLICT, "patrol-conflict", "The patrol's state does not allow it",
                e.getMessage());
    }

    @ExceptionHandler(Patrols.UnknownPatrolException.class)
    ProblemDetail unknown(Patrols.UnknownPatrolException e) {
        return ApiProblems.problem(HttpStatus.NOT_FOUND, "unknown-patrol", "Unknown patrol", e.getMessage());
    }

    private static URI location(String code, Patrol patrol) {
        return URI.create("/api/units/" + code + "/patrols/" + patrol.id());
    }
}
