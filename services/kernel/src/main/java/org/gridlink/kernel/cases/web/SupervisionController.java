package org.gridlink.kernel.cases.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.gridlink.kernel.access.Person;
import org.gridlink.kernel.cases.application.CaseHandling;
import org.gridlink.kernel.cases.application.SuperviseCase;
import org.gridlink.kernel.cases.persistence.CaseStore;
import org.gridlink.kernel.cases.web.CaseRequests.SupervisionBody;
import org.gridlink.kernel.support.web.IdempotencyKeys;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Supervision notices (督办): a unit tells a unit below it to finish an overdue record by a new deadline. */
@RestController
@Tag(name = "supervision")
public class SupervisionController {

    private final CaseHandling handling;

    public SupervisionController(CaseHandling handling) {
        this.handling = handling;
    }

    /** A supervision notice as sent. */
    public record SupervisionView(UUID id, String unitCode, UUID caseId, String supervisedUnit, String supervisor,
                                  boolean leader, Instant dueAt, String note, Instant sentAt) {

        static SupervisionView of(CaseStore.SupervisionNotice n) {
            return new SupervisionView(n.id(), n.unit().value(), n.caseId(), n.supervisedUnit().value(), n.supervisor(),
                    n.leader(), n.dueAt(), n.note(), n.sentAt());
        }
    }

    public static final String IDEMPOTENCY_KEY_DESCRIPTION = "Optional; " + IdempotencyKeys.SYNTAX + ". A notice sent again"
            + " under the same key (its answer was lost) answers the notice kept, which is neither kept nor sent twice;"
            + " another notice under the key is refused (422).";

    @PostMapping("/api/units/{code}/supervision")
    @Operation(operationId = "superviseCase", summary = "Send a supervision notice about an overdue record below the unit",
            description = "A supervisor of the unit, or a leader who answers for (分包) the unit below, gives the unit"
                    + " holding an overdue record (one of GET /cases/overdue) a new deadline. The notice reaches that"
                    + " unit by gridlink.case.supervised.v1, is counted on its record (a leader's separately:"
                    + " 领导督办) and enters the case's timeline at every unit along the chain.")
    @ApiResponse(responseCode = "201", description = "The notice, on its way to the unit below.")
    @ApiResponse(responseCode = "400", description = "Malformed JSON, a missing field, a malformed unit code or a"
            + " malformed Idempotency-Key.", content = @Content)
    @ApiResponse(responseCode = "403", description = "Neither a supervisor of the unit nor a leader answering for the"
            + " unit below.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node.", content = @Content)
    @ApiResponse(responseCode = "422", description = "A unit that is not below this one, a deadline in the past, a"
            + " case this unit knows of no overdue record of, or an Idempotency-Key used before for another notice.",
            content = @Content)
    public Mono<ResponseEntity<SupervisionView>> supervise(@PathVariable String code,
                                                           @Valid @RequestBody SupervisionBody body,
                                                           @Parameter(description = IDEMPOTENCY_KEY_DESCRIPTION)
                                                           @RequestHeader(name = IdempotencyKeys.HEADER, required = false)
                                                           String idempotencyKey,
                                                           @AuthenticationPrincipal Person person) {
        String key = IdempotencyKeys.parse(idempotencyKey);
        return handling.supervise(code, new SuperviseCase(body.caseId(), body.unit(), body.dueAt(), body.note()), person,
                        key)
                .map(n -> ResponseEntity.created(URI.create("/api/units/" + code + "/supervision?case=" + n.caseId()))
                        .body(SupervisionView.of(n)));
    }

    @GetMapping("/api/units/{code}/supervision")
    @Operation(operationId = "listSupervision", summary = "List the supervision notices a unit sent",
            description = "Newest first.")
    @ApiResponse(responseCode = "200", description = "The notices.")
    @ApiResponse(responseCode = "400", description = "A malformed unit code or limit.", content = @Content)
    @ApiResponse(responseCode = "403", description = "The unit is outside the caller's jurisdiction.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node.", content = @Content)
    public Mono<List<SupervisionView>> list(@PathVariable String code,
                                            @RequestParam(required = false, defaultValue = "20") String limit,
                                            @AuthenticationPrincipal Person person) {
        return Mono.defer(() -> handling.supervisions(code, CaseController.parseLimit(limit), person).map(SupervisionView::of)
                .collectList());
    }
}
