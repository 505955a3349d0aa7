package org.gridlink.kernel.duplicates;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.UUID;
import org.gridlink.kernel.access.Person;
import org.gridlink.kernel.cases.application.InvalidRequestException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Possible duplicates of a unit's record (same category, open, near in place and time). */
@RestController
@Tag(name = "cases")
public class DuplicateController {

    private final DuplicateFinder finder;

    public DuplicateController(DuplicateFinder finder) {
        this.finder = finder;
    }

    @GetMapping("/api/units/{code}/cases/{caseId}/duplicates")
    @Operation(operationId = "listDuplicateCandidates", summary = "List possible duplicates of a unit's record",
            description = "The unit's open records of the same category reported within gridlink.duplicates.radius"
                    + " metres (default 50) and gridlink.duplicates.window (default 24 h) of this one, nearest first,"
                    + " with the distance in metres and the age in seconds.")
    @ApiResponse(responseCode = "200", description = "The candidates (none for a record without coordinates).")
    @ApiResponse(responseCode = "400", description = "A malformed unit code or case id.", content = @Content)
    @ApiResponse(responseCode = "403", description = "The person may not read the unit's queue.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node, or the unit holds no record of the case.",
            content = @Content)
    public Mono<List<DuplicateFinder.Candidate>> duplicates(@PathVariable String code, @PathVariable String caseId,
                                                            @AuthenticationPrincipal Person person) {
        return Mono.defer(() -> {
            UUID id;
            try {
                id = UUID.fromString(caseId);
            } catch (IllegalArgumentException e) {
                throw InvalidRequestException.malformed("caseId", "'" + caseId + "' is not a case id (a UUID)");
            }
            return finder.of(code, id, person);
        });
    }
}
