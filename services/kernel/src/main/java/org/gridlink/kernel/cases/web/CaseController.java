package org.gridlink.kernel.cases.web;

import jakarta.validation.Valid;
import java.net.URI;
import java.time.Clock;
import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Collectors;
import org.gridlink.kernel.access.Person;
import org.gridlink.kernel.cases.CaseAction;
import org.gridlink.kernel.cases.CaseStatus;
import org.gridlink.kernel.cases.Location;
import org.gridlink.kernel.cases.application.CaseHandling;
import org.gridlink.kernel.cases.application.InvalidRequestException;
import org.gridlink.kernel.cases.application.ReportCase;
import org.gridlink.kernel.cases.web.CaseRequests.ActionBody;
import org.gridlink.kernel.cases.web.CaseRequests.ReportCaseBody;
import org.gridlink.kernel.cases.web.CaseViews.CasePage;
import org.gridlink.kernel.cases.web.CaseViews.CaseSummary;
import org.gridlink.kernel.cases.web.CaseViews.CaseView;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The case API of a node: report, list, read and act on this unit's records, as the authenticated person and
 * within their jurisdiction (checked by {@link CaseHandling}).
 */
@RestController
@RequestMapping("/api/units/{code}/cases")
public class CaseController {

    private static final int MAX_LIMIT = 200;

    private final CaseHandling handling;
    private final Clock clock;

    public CaseController(CaseHandling handling, Clock clock) {
        this.handling = handling;
        this.clock = clock;
    }

    @PostMapping
    public Mono<ResponseEntity<CaseView>> report(@PathVariable String code, @Valid @RequestBody ReportCaseBody body,
                                                 @AuthenticationPrincipal Person person) {
        Location location = body.location() == null ? null
                : new Location(body.location().lat(), body.location().lon(), body.location().address());
        ReportCase request = new ReportCase(body.categoryCode().trim(), body.title(), body.description(), location,
                body.gridCode(), body.source(), body.reporter());
        return handling.report(code, request, person)
                .map(s -> ResponseEntity.created(URI.create("/api/units/" + code + "/cases/" + s.record().caseId()))
                        .body(CaseView.of(s, clock.instant())));
    }

    @GetMapping
    public Mono<CasePage> queue(@PathVariable String code, @RequestParam(required = false) String status,
                                @RequestParam(required = false) String category,
                                @RequestParam(required = false, defaultValue = "20") String limit,
                                @RequestParam(required = false) String cursor,
                                @AuthenticationPrincipal Person person) {
        return Mono.defer(() -> {
            CaseStatus wanted = status == null || status.isBlank() ? null : parseStatus(status);
            int size = parseLimit(limit);
            Long after = parseCursor(cursor);
            return handling.queue(code, wanted, category == null || category.isBlank() ? null : category, size, after, person)
                    .map(page -> new CasePage(
                            page.records().stream().map(r -> CaseSummary.of(r, clock.instant())).toList(),
                            page.nextSeq() == null ? null : Long.toString(page.nextSeq())));
        });
    }

    @GetMapping("/{caseId}")
    public Mono<CaseView> read(@PathVariable String code, @PathVariable String caseId,
                               @AuthenticationPrincipal Person person) {
        return Mono.defer(() -> handling.read(code, parseId(caseId), person).map(s -> CaseView.of(s, clock.instant())));
    }

    @PostMapping("/{caseId}/actions")
    public Mono<CaseView> act(@PathVariable String code, @PathVariable String caseId, @Valid @RequestBody ActionBody body,
                              @AuthenticationPrincipal Person person) {
        return Mono.defer(() -> {
            CaseAction action = CaseAction.parse(body.action()).orElseThrow(() -> InvalidRequestException.malformed(
                    "action", "unknown action '" + body.action() + "'; actions are "
                            + Arrays.stream(CaseAction.values()).map(Enum::name).collect(Collectors.joining(", "))));
            return handling.act(code, parseId(caseId), action, body.note(), body.target(), person)
                    .map(s -> CaseView.of(s, clock.instant()));
        });
    }

    private static UUID parseId(String caseId) {
        try {
            return UUID.fromString(caseId);
        } catch (IllegalArgumentException e) {
            throw InvalidRequestException.malformed("caseId", "'" + caseId + "' is not a case id (a UUID)");
        }
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

    private static int parseLimit(String limit) {
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
