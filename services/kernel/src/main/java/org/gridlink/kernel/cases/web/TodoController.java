package org.gridlink.kernel.cases.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.gridlink.kernel.access.Person;
import org.gridlink.kernel.cases.OfficerAbsence;
import org.gridlink.kernel.cases.Task;
import org.gridlink.kernel.cases.application.CaseHandling;
import org.gridlink.kernel.cases.application.TierWork;
import org.gridlink.kernel.cases.persistence.CaseStore;
import org.gridlink.kernel.cases.persistence.OfficerAbsences;
import org.gridlink.kernel.cases.persistence.QueueFilter;
import org.gridlink.kernel.support.web.IdempotencyKeys;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A unit's to-do (待办): what its records wait on from its people now, task by task, as the queue's {@code task}
 * narrowing lists them; the console's first view of a unit.
 */
@RestController
@Tag(name = "cases")
public class TodoController {

    private final CaseHandling handling;
    /** What the node's tier adds to a to-do (a community's patrols), asked in order. */
    private final List<TierWork> tierWork;

    public TodoController(CaseHandling handling, ObjectProvider<TierWork> tierWork) {
        this.handling = handling;
        this.tierWork = tierWork.orderedStream().toList();
    }

    /**
     * How many of the unit's records wait on a task.
     *
     * @param atLeast the count stopped at the cap: there are at least this many
     */
    public record TaskCount(Task task, String name, String nameEn, long count, boolean atLeast) {
    }

    /**
     * Records counted besides the tasks: the overdue ones (their running clock ran out: the queue's {@code overdue=true}
     * lists them), the supervised ones that wait here (督办: {@code supervised=true}), those a leader's instruction waits
     * on (领导批示: {@code instructed=true}).
     */
    public record Count(long count, boolean atLeast) {

        static Count of(long n, int cap) {
            return new Count(Math.min(n, cap), n >= cap);
        }
    }

    /**
     * A unit's to-do at {@code asOf}.
     *
     * @param cap the most records a count reads
     */
    public record TodoView(String unitCode, Instant asOf, List<TaskCount> tasks, Count overdue, Count supervised,
                           Count instructed, List<TierWork.Item> other, int cap) {

        static TodoView of(CaseStore.Todo todo, List<TierWork.Item> other) {
            List<TaskCount> tasks = Arrays.stream(Task.values()).map(t -> {
                Count n = Count.of(todo.counts().get(t), todo.cap());
                return new TaskCount(t, t.displayName(), t.nameEn(), n.count(), n.atLeast());
            }).toList();
            return new TodoView(todo.unit().value(), todo.asOf(), tasks, Count.of(todo.overdue(), todo.cap()),
                    Count.of(todo.supervised(), todo.cap()), Count.of(todo.instructed(), todo.cap()), other,
                    todo.cap());
        }
    }

    /** What waits on a department officer at a unit, and their absence from its work if one is marked. */
    public record OfficerWorkload(String officer, long toSign, long toHandle, long overdue, AbsenceView away) {

        static OfficerWorkload of(CaseHandling.OfficerWork w) {
            CaseStore.OfficerLoad l = w.load();
            return new OfficerWorkload(l.officer(), l.toSign(), l.toHandle(), l.overdue(),
                    w.away() == null ? null : AbsenceView.of(w.away(), w.awayNow()));
        }
    }

    /**
     * An officer away from the unit's work (请假, 离岗): from when, until when (null: until marked back), why, who marked
     * it and when; awayNow: it is under way (else it is to come).
     */
    public record AbsenceView(String unitCode, String officer, Instant from, Instant until, String reason,
                              String markedBy, Instant markedAt, boolean awayNow) {

        static AbsenceView of(OfficerAbsence a, boolean awayNow) {
            return new AbsenceView(a.unit().value(), a.officer(), a.from(), a.until(), a.reason(), a.markedBy(),
                    a.markedAt(), awayNow);
        }
    }

    /**
     * An absence in the unit's record (请假记录): the officer, from when, until when (null: until marked back), why, who
     * marked it and when; state: AWAY (under way), TO_COME, OVER (its end came), BACK (marked back, 返岗) or REPLACED
     * (marked away again); for the last two, when and by whom.
     */
    public record AbsenceRecordView(String officer, Instant from, Instant until, String reason, String markedBy,
                                    Instant markedAt, String state, Instant endedAt, String endedBy) {

        static AbsenceRecordView of(OfficerAbsences.Kept k, Instant now) {
            OfficerAbsence a = k.absence();
            String state = k.how() != null ? k.how().name() : a.over(now) ? "OVER" : a.awayAt(now) ? "AWAY" : "TO_COME";
            return new AbsenceRecordView(a.officer(), a.from(), a.until(), a.reason(), a.markedBy(), a.markedAt(),
                    state, k.endedAt(), k.endedBy());
        }
    }

    @GetMapping("/api/units/{code}/todo/officers/absences")
    @Operation(operationId = "officerAbsences", summary = "The unit's record of absences (请假记录)",
            description = "The absences of the department officers from the unit's work: the one kept for each (under"
                    + " way, to come, or run out) and those that ended by being marked back (返岗) or replaced by another,"
                    + " with when and by whom; of one officer with officer=; the latest beginning first, at most limit"
                    + " (100). Read by whoever may read the unit's queue.")
    @ApiResponse(responseCode = "200", description = "The absences.")
    @ApiResponse(responseCode = "400", description = "A malformed unit code or limit.", content = @Content)
    @ApiResponse(responseCode = "403", description = "The unit is outside the caller's jurisdiction.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node.", content = @Content)
    public Mono<List<AbsenceRecordView>> absences(@PathVariable String code,
                                                  @RequestParam(required = false) String officer,
                                                  @RequestParam(required = false, defaultValue = "100") String limit,
                                                  @AuthenticationPrincipal Person person) {
        return Mono.defer(() -> handling.absenceRecord(code, officer, CaseController.parseLimit(limit), person)
                .map(all -> {
                    Instant now = handling.now();
                    return all.stream().map(k -> AbsenceRecordView.of(k, now)).toList();
                }));
    }

    @GetMapping("/api/units/{code}/todo/officers")
    @Operation(operationId = "officerWorkloads", summary = "What waits on each department officer at a unit (在办)",
            description = "Every department officer who serves the unit (GET …/roster), and anyone else the unit's"
                    + " records are given to: how many of those records wait on their signature (SIGN 待签收) or their"
                    + " handling (HANDLE 待处置), and how many of those are overdue; by username. away: their absence"
                    + " from the unit's work (请假, 离岗) that has not ended, if a supervisor marked one (awayNow: under"
                    + " way; nobody gives them work then). Whom to dispatch to next. Read by whoever may read the unit's"
                    + " queue.")
    @ApiResponse(responseCode = "200", description = "Each officer's work now.")
    @ApiResponse(responseCode = "400", description = "A malformed unit code.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node.", content = @Content)
    public Mono<List<OfficerWorkload>> officers(@PathVariable String code, @AuthenticationPrincipal Person person) {
        return handling.officerLoads(code, person).map(work -> work.stream().map(OfficerWorkload::of).toList());
    }

    /** {@code PUT …/todo/officers/{officer}/away}: from when (none: now), until when (none: until marked back), why. */
    public record AwayBody(Instant from, Instant until, String reason) {
    }

    @PutMapping("/api/units/{code}/todo/officers/{officer}/away")
    @Operation(operationId = "markOfficerAway", summary = "Mark an officer away from the unit's work (请假, 离岗)",
            description = "A supervisor of the unit marks one of the department officers serving it away, from (none:"
                    + " now) until (none: until marked back), with a reason; it replaces the absence kept for them, so"
                    + " sent again it changes nothing more. While it lasts, a DISPATCH or a REASSIGN to them and a"
                    + " handover to them at the unit are refused (422 saying so); the officers' workloads show it. What"
                    + " they hold stays theirs: hand it over (POST …/handover). An absence of the unit's alone: the"
                    + " other units the officer serves mark their own.")
    @ApiResponse(responseCode = "200", description = "The absence kept.")
    @ApiResponse(responseCode = "400", description = "Malformed JSON or time, no reason, a malformed unit code.",
            content = @Content)
    @ApiResponse(responseCode = "403", description = "Not a supervisor of the unit.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node.", content = @Content)
    @ApiResponse(responseCode = "422", description = "The officer does not serve the unit; the absence would end"
            + " before it begins or has ended already; a reason over " + CaseHandling.ABSENCE_REASON_MAX
            + " characters.", content = @Content)
    public Mono<AbsenceView> markAway(@PathVariable String code, @PathVariable String officer,
                                      @RequestBody AwayBody body, @AuthenticationPrincipal Person person) {
        return Mono.defer(() -> handling.markAway(code, officer, body == null ? null : body.from(),
                        body == null ? null : body.until(), body == null ? null : body.reason(), person))
                .map(a -> AbsenceView.of(a, a.awayAt(a.markedAt())));
    }

    @DeleteMapping("/api/units/{code}/todo/officers/{officer}/away")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(operationId = "markOfficerBack", summary = "Mark an officer back at the unit's work (返岗)",
            description = "A supervisor of the unit ends the absence kept for one of its officers, under way or to"
                    + " come; they may be given work again at once. Sent again, or for an officer with no absence, it"
                    + " changes nothing and answers the same.")
    @ApiResponse(responseCode = "204", description = "No absence is kept for the officer now.")
    @ApiResponse(responseCode = "400", description = "A malformed unit code.", content = @Content)
    @ApiResponse(responseCode = "403", description = "Not a supervisor of the unit.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node.", content = @Content)
    public Mono<Void> markBack(@PathVariable String code, @PathVariable String officer,
                               @AuthenticationPrincipal Person person) {
        return handling.markBack(code, officer, person).then();
    }

    @GetMapping("/api/units/{code}/todo")
    @Operation(operationId = "unitTodo", summary = "What waits on a unit's people now (待办)",
            description = "For each task (ACCEPT 待受理, SIGN 待签收, HANDLE 待处置, VERIFY 待核查, CLOSE 待结案, DECIDE"
                    + " 待审批) how many of the unit's records wait on it; how many are overdue (GET …/cases?overdue=true"
                    + " lists them), how many of those waiting were supervised (督办: supervised=true), and how many"
                    + " records not closed or rejected a leader's instruction waits on (领导批示 待落实: instructed=true;"
                    + " a leader's note on the unit's record, until one of the unit's people acts on it or writes on"
                    + " it); each count"
                    + " reads at most " + CaseHandling.TASK_COUNT_CAP + " records (atLeast: there are more). GET …/cases?task="
                    + " lists a task's records. Narrowed like the queue: category, grid, assignee (assignee=me: a department"
                    + " officer's own). A parked record waits on no task but DECIDE until its review date. other: what"
                    + " else waits, as the unit's tier knows it (a community: its grid cells not patrolled today, a"
                    + " grid worker's own; their patrol under way), the notices it has not signed for (every tier"
                    + " below the city; not shown to its grid workers and officers) and, while any of its officers is"
                    + " away (PUT …/todo/officers/{officer}/away), what they hold (awayOfficersWork, to hand over; not"
                    + " shown to its grid workers and officers), not narrowed. Read by whoever may"
                    + " read the unit's queue.")
    @ApiResponse(responseCode = "200", description = "The unit's to-do now.")
    @ApiResponse(responseCode = "400", description = "A malformed unit code or assignee, a grid cell not the unit's.",
            content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node.", content = @Content)
    public Mono<TodoView> todo(@PathVariable String code, @RequestParam(required = false) String category,
                               @RequestParam(required = false) String grid,
                               @Parameter(description = "A department officer's username, or me: only the records given"
                                       + " to them") @RequestParam(required = false) String assignee,
                               @AuthenticationPrincipal Person person) {
        return Mono.defer(() -> {
            QueueFilter filter = new QueueFilter(null, CaseController.blankAsNull(category), null,
                    CaseController.blankAsNull(grid), CaseController.parseAssignee(assignee, person));
            return handling.todo(code, filter, person).flatMap(todo -> Flux.fromIterable(tierWork)
                    .concatMap(work -> work.todo(todo.unit(), person)).collectList()
                    .map(other -> TodoView.of(todo, other)));
        });
    }

    /** {@code POST …/todo/officers/{officer}/handover}: the officer to give the work to, and why. */
    public record HandoverBody(String to, String note) {
    }

    /** What a handover did (工作交接): the records reassigned, those left with the officer and why, and whether more wait. */
    public record HandoverView(String unitCode, String from, String to, List<UUID> reassigned,
                               List<CaseHandling.Handover.Left> left, boolean more) {
    }

    @PostMapping("/api/units/{code}/todo/officers/{officer}/handover")
    @Operation(operationId = "handOverOfficersWork", summary = "Hand an officer's work over to another officer (工作交接)",
            description = "A supervisor of the unit gives every record one of its department officers holds (given to"
                    + " them, signed for, started, reworked) to another officer serving the unit (to), with a note: each"
                    + " a REASSIGN (改派) of its own, which the new officer signs for anew; the unit's due times stand. A"
                    + " record whose officer's request waits on a decision stays with them (left, saying why). At most "
                    + CaseHandling.HANDOVER_CAP + " records a call (more: call again). With an Idempotency-Key, sent"
                    + " again after a lost answer it takes no action twice.")
    @ApiResponse(responseCode = "200", description = "What was handed over and what was left.")
    @ApiResponse(responseCode = "400", description = "Malformed JSON, no officer to give it to or no note, a malformed"
            + " unit code or Idempotency-Key.", content = @Content)
    @ApiResponse(responseCode = "403", description = "Not a supervisor of the unit.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node.", content = @Content)
    @ApiResponse(responseCode = "422", description = "The officer to give it to does not serve the unit, is away"
            + " from its work (PUT …/away), or is the one handing over.", content = @Content)
    public Mono<HandoverView> handOver(@PathVariable String code, @PathVariable String officer,
                                       @RequestBody HandoverBody body,
                                       @Parameter(description = "Optional; " + IdempotencyKeys.SYNTAX + ". Sent"
                                               + " again under the same key, no record is reassigned twice.")
                                       @RequestHeader(name = IdempotencyKeys.HEADER, required = false) String key,
                                       @AuthenticationPrincipal Person person) {
        return Mono.defer(() -> handling.handOver(code, officer, body == null ? null : body.to(),
                        body == null ? null : body.note(), person,
                        IdempotencyKeys.parse(key))
                .map(h -> new HandoverView(h.unit().value(), h.from(), h.to(), h.reassigned(), h.left(), h.more())));
    }
}
