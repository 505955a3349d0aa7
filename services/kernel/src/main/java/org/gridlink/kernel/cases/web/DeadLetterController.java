package org.gridlink.kernel.cases.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.UUID;
import org.gridlink.contracts.UnitCode;
import org.gridlink.kernel.access.Jurisdiction;
import org.gridlink.kernel.access.Person;
import org.gridlink.kernel.cases.application.InvalidRequestException;
import org.gridlink.kernel.cases.application.NodeUnits;
import org.gridlink.kernel.support.inbox.DeadLetters;
import org.gridlink.kernel.support.inbox.DeadLetters.DeadLetter;
import org.gridlink.kernel.support.web.NotFoundException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * What a node set aside for a unit (its dead letters: from its inbox, the units' reports and the city's calendar), for
 * an administrator: listed, and sent again once the cause is mended. The alert {@code GridlinkDeadLetters}
 * (deploy/k8s/monitoring) says when there are some.
 */
@RestController
@Tag(name = "dead letters")
public class DeadLetterController {

    private final DeadLetters deadLetters;
    private final NodeUnits node;

    public DeadLetterController(DeadLetters deadLetters, NodeUnits node) {
        this.deadLetters = deadLetters;
        this.node = node;
    }

    /**
     * The dead letters sent again (to the inbox topic, or applied here), and those applied here that failed again at
     * once, each with why this time; they stay set aside.
     */
    public record SentAgain(int count, List<DeadLetter> deadLetters, List<DeadLetter> failed) {
    }

    @GetMapping("/api/units/{code}/dead-letters")
    @Operation(operationId = "listDeadLetters", summary = "The messages set aside for the unit and the units under it",
            description = "Events for the unit (or a unit under it) that this node could not read, or could not apply"
                    + " after its retries, and set aside on a dead-letter topic: its inbox's, the unit reports' (a"
                    + " child's report to a unit this node serves), the city calendar's (a year the city published:"
                    + " every unit's on the node). Only those this node has not applied nor overtaken since (a newer"
                    + " report of the child, the year kept at the same revision or a later one). Each names the topic"
                    + " it came from, its event, the unit, the exception and its message. For an ADMIN of the unit or"
                    + " of a unit above it.")
    @ApiResponse(responseCode = "200", description = "The dead letters, oldest first (none: an empty list).")
    @ApiResponse(responseCode = "400", description = "A malformed unit code.", content = @Content)
    @ApiResponse(responseCode = "403", description = "Not an ADMIN of the unit or of a unit above it.",
            content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node.", content = @Content)
    public Mono<List<DeadLetter>> list(@PathVariable String code, @AuthenticationPrincipal Person person) {
        return Mono.defer(() -> deadLetters.pending(administered(code, person)));
    }

    @PostMapping("/api/units/{code}/dead-letters/replay")
    @Operation(operationId = "replayDeadLetters", summary = "Send the unit's dead letters to the inbox again",
            description = "Every dead letter GET /dead-letters lists goes again, oldest first: the inbox's to the node's"
                    + " inbox topic as it came (its key, value and CloudEvents headers; one that still fails is set"
                    + " aside again), a unit report or a year of the calendar to this node's own listener of them"
                    + " (not to their compacted topics, where it would stand in place of a newer one; one that still"
                    + " fails is answered under failed, with why, and stays set aside). Safe to repeat: the inbox"
                    + " applies an event once, a report or a year is kept only if newer. With eventId, only that"
                    + " one. For an ADMIN of the unit or of a unit above it.")
    @ApiResponse(responseCode = "200", description = "The dead letters sent again, and those that failed again here.")
    @ApiResponse(responseCode = "400", description = "A malformed unit code or eventId.", content = @Content)
    @ApiResponse(responseCode = "403", description = "Not an ADMIN of the unit or of a unit above it.",
            content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node; no dead letter of eventId waits"
            + " for the unit.", content = @Content)
    public Mono<SentAgain> replay(@PathVariable String code,
                                  @Parameter(description = "only the dead letter of this event (its eventId)")
                                  @RequestParam(required = false) String eventId,
                                  @AuthenticationPrincipal Person person) {
        return Mono.defer(() -> {
            UnitCode unit = administered(code, person);
            UUID only = eventId == null ? null : eventId(eventId);
            return deadLetters.sendAgain(unit, only)
                    .switchIfEmpty(Mono.error(() -> new NotFoundException("no dead letter"
                            + " of event " + eventId + " waits for " + code + " or a unit under it on this node (GET"
                            + " /api/units/" + code + "/dead-letters lists those that do)")))
                    .map(again -> new SentAgain(again.sent().size(), again.sent(), again.failed()));
        });
    }

    private static UUID eventId(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw InvalidRequestException.malformed("eventId", "eventId is an event's id (a UUID), not '" + text + "'");
        }
    }

    /** The unit named in the path, served here, whose dead letters the person may see: or a 400, 404 or 403. */
    private UnitCode administered(String code, Person person) {
        UnitCode unit = node.requireServed(code).code();
        Jurisdiction.checkDeadLetters(person, unit);
        return unit;
    }
}
