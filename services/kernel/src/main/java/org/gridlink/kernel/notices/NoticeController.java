package org.gridlink.kernel.notices;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.gridlink.kernel.access.Person;
import org.gridlink.kernel.cases.application.NodeUnits;
import org.gridlink.kernel.cases.web.CaseController;
import org.gridlink.kernel.cases.web.SupervisionController;
import org.gridlink.kernel.support.web.ApiProblems;
import org.gridlink.kernel.support.web.Flags;
import org.gridlink.kernel.support.web.IdempotencyKeys;
import org.gridlink.kernel.support.web.Ids;
import org.gridlink.kernel.units.Unit;
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

/** Notices (通知, 工作部署): issued down to the units below, signed for (签收) by each of them (docs/notices.md). */
@RestController
@Tag(name = "notices")
public class NoticeController {

    private final NoticeHandling notices;
    private final NodeUnits node;
    private final Clock clock;

    public NoticeController(NoticeHandling notices, NodeUnits node, Clock clock) {
        this.notices = notices;
        this.node = node;
        this.clock = clock;
    }

    /** {@code POST …/notices}: a notice to the units below. */
    public record IssueBody(String title, String body, String reach, Instant signBy) {
    }

    /** {@code POST …/notices/{id}/sign}: the unit's signature, with a reply if the signer likes. */
    public record SignBody(String reply) {
    }

    /** {@code POST …/notices/sent/{id}/withdraw}: why the notice is withdrawn. */
    public record WithdrawBody(String reason) {
    }

    /**
     * A notice as its issuer keeps it: how many units it went to and how many signed; how often the units not signed
     * were reminded, and when its node did so by itself once its time to sign by passed (lateRemindedAt, 逾期自动催签);
     * once withdrawn (撤回), when, by whom and why (and no unit is late any more).
     */
    public record IssuedView(UUID id, String unitCode, String issuedBy, Instant issuedAt, String title, String body,
                             String reach, Instant signBy, int units, int signed, int unsigned, boolean late,
                             int reminders, Instant remindedAt, Instant lateRemindedAt, Instant withdrawnAt,
                             String withdrawnBy, String withdrawReason) {

        static IssuedView of(Notice n, Instant now) {
            Notice.Withdrawal w = n.withdrawal();
            return new IssuedView(n.id(), n.unit().value(), n.issuedBy(), n.issuedAt(), n.title(), n.body(),
                    n.reach().id(), n.signBy(), n.units(), n.signed(), n.unsigned(),
                    n.unsigned() > 0 && n.standingSignBy() != null && n.standingSignBy().isBefore(now), n.reminders(),
                    n.remindedAt(), n.lateRemindedAt(), w == null ? null : w.at(), w == null ? null : w.by(),
                    w == null ? null : w.reason());
        }
    }

    /**
     * One unit a notice went to: its name, whether it signed, when, by whom, its reply; late: not signed by signBy (still
     * unsigned after it, or signed after it: 逾期签收).
     */
    public record ReceiptView(String unitCode, String unitName, Instant signedAt, String signedBy, String reply,
                              boolean late) {
    }

    public record IssuedWithReceipts(IssuedView notice, List<ReceiptView> receipts) {
    }

    /**
     * A notice as a unit below received it; reach: the lowest tier it went down to (when the issuer said). Read alone, a
     * notice that went on below the unit too has its receipts there (below: each unit below it went to, signed or not,
     * as their signatures told the unit; belowSigned of belowUnits signed).
     */
    public record ReceivedView(UUID id, String unitCode, String fromUnit, String fromUnitName, String issuedBy,
                               Instant issuedAt, String title, String body, Instant signBy, Instant receivedAt,
                               Instant signedAt, String signedBy, String reply, boolean late, int reminders,
                               Instant remindedAt, String reach, Instant withdrawnAt, String withdrawReason,
                               int remindersBetween, int remindedBelow, Instant remindedBelowAt,
                               Instant lateRemindedAt,
                               @JsonInclude(JsonInclude.Include.NON_NULL) Integer belowUnits,
                               @JsonInclude(JsonInclude.Include.NON_NULL) Integer belowSigned,
                               @JsonInclude(JsonInclude.Include.NON_NULL) List<ReceiptView> below) {
    }

    @PostMapping("/api/units/{code}/notices")
    @Operation(operationId = "issueNotice", summary = "Issue a notice to the units below",
            description = "A supervisor or a leader of the unit issues a notice (通知, 工作部署: a title and its text) to"
                    + " every unit below it down to the tier reach (district, township or community; community, the"
                    + " whole subtree, by default), with a time to sign by (signBy) if they like. Each unit receives it"
                    + " by gridlink.notice.issued.v1 and signs for it (签收); the issuer's GET …/notices/sent/{id} says"
                    + " who has and who has not.")
    @ApiResponse(responseCode = "201", description = "The notice, on its way to the units below.")
    @ApiResponse(responseCode = "400", description = "Malformed JSON, no title or text, a reach that is not a tier, a"
            + " malformed unit code or Idempotency-Key.", content = @Content)
    @ApiResponse(responseCode = "403", description = "Not a supervisor or a leader of the unit.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node.", content = @Content)
    @ApiResponse(responseCode = "422", description = "A community (no units below), a reach not below the unit's tier,"
            + " a title or text too long, a time to sign by in the past, or an Idempotency-Key used for another"
            + " notice.", content = @Content)
    public Mono<ResponseEntity<IssuedView>> issue(@PathVariable String code, @RequestBody IssueBody body,
                                                  @Parameter(description = SupervisionController
                                                          .IDEMPOTENCY_KEY_DESCRIPTION)
                                                  @RequestHeader(name = IdempotencyKeys.HEADER, required = false)
                                                  String idempotencyKey,
                                                  @AuthenticationPrincipal Person person) {
        return Mono.defer(() -> {
            String key = IdempotencyKeys.parse(idempotencyKey);
            NoticeHandling.Issue request = body == null ? new NoticeHandling.Issue(null, null, null, null)
                    : new NoticeHandling.Issue(body.title(), body.body(), body.reach(), body.signBy());
            return notices.issue(code, request, person, key)
                    .map(n -> ResponseEntity.created(URI.create("/api/units/" + code + "/notices/sent/" + n.id()))
                            .body(IssuedView.of(n, clock.instant())));
        });
    }

    @GetMapping("/api/units/{code}/notices/sent")
    @Operation(operationId = "listIssuedNotices", summary = "List the notices a unit issued",
            description = "Newest first, each with how many units it went to and how many signed for it.")
    @ApiResponse(responseCode = "200", description = "The notices.")
    @ApiResponse(responseCode = "400", description = "A malformed unit code or limit.", content = @Content)
    @ApiResponse(responseCode = "403", description = "The unit is outside the caller's jurisdiction.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node.", content = @Content)
    public Mono<List<IssuedView>> issued(@PathVariable String code,
                                         @RequestParam(required = false, defaultValue = "20") String limit,
                                         @AuthenticationPrincipal Person person) {
        return Mono.defer(() -> {
            Instant now = clock.instant();
            return notices.issued(code, CaseController.parseLimit(limit), person).map(n -> IssuedView.of(n, now))
                    .collectList();
        });
    }

    @GetMapping("/api/units/{code}/notices/sent/{id}")
    @Operation(operationId = "issuedNotice", summary = "A notice a unit issued, with each unit's receipt",
            description = "Every unit it went to, in the order of their codes: signed or not, when, by whom, the reply;"
                    + " late: not signed by the time to sign by (still unsigned after it, or signed after it).")
    @ApiResponse(responseCode = "200", description = "The notice and its receipts.")
    @ApiResponse(responseCode = "400", description = "A malformed unit code or notice id.", content = @Content)
    @ApiResponse(responseCode = "403", description = "The unit is outside the caller's jurisdiction.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node, or no such notice of the unit.",
            content = @Content)
    public Mono<IssuedWithReceipts> issuedOne(@PathVariable String code, @PathVariable String id,
                                              @AuthenticationPrincipal Person person) {
        return Mono.defer(() -> {
            Instant now = clock.instant();
            return notices.issuedOne(code, Ids.parse("id", id, "a notice id"), person).map(n ->
                    new IssuedWithReceipts(IssuedView.of(n.notice(), now), n.receipts().stream()
                            .map(r -> receipt(r, n.notice().standingSignBy(), now)).toList()));
        });
    }

    @PostMapping("/api/units/{code}/notices/sent/{id}/remind")
    @Operation(operationId = "remindNotice", summary = "Remind the units that have not signed for a notice (催签)",
            description = "Whoever may issue a notice from the unit sends it again to every unit it went to that has not"
                    + " signed for it, counted (reminders; the latest at remindedAt), by gridlink.notice.issued.v1 with"
                    + " its reminder's number; each of those units sees how often it was reminded.")
    @ApiResponse(responseCode = "200", description = "The notice, its reminder counted and on its way.")
    @ApiResponse(responseCode = "400", description = "A malformed unit code or notice id.", content = @Content)
    @ApiResponse(responseCode = "403", description = "Not a supervisor or a leader of the unit.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node, or no such notice of the unit.",
            content = @Content)
    @ApiResponse(responseCode = "409", description = "Every unit it went to has signed for it, or the notice was"
            + " withdrawn.", content = @Content)
    public Mono<IssuedView> remind(@PathVariable String code, @PathVariable String id,
                                   @AuthenticationPrincipal Person person) {
        return Mono.defer(() -> notices.remind(code, Ids.parse("id", id, "a notice id"), person)
                .map(n -> IssuedView.of(n, clock.instant())));
    }

    @PostMapping("/api/units/{code}/notices/sent/{id}/withdraw")
    @Operation(operationId = "withdrawNotice", summary = "Withdraw a notice the unit issued (撤回)",
            description = "Whoever may issue a notice from the unit withdraws it, saying why (reason): a notice sent in"
                    + " error or overtaken. Every unit it went to is told by gridlink.notice.withdrawn.v1 and keeps it"
                    + " as withdrawn: nobody signs for it any more, it is not reminded, and the to-do no longer counts"
                    + " it. Withdrawn again by the same person for the same reason (an answer lost), it answers the"
                    + " notice as it is.")
    @ApiResponse(responseCode = "200", description = "The notice, withdrawn, and the withdrawal on its way.")
    @ApiResponse(responseCode = "400", description = "Malformed JSON, no reason, a malformed unit code or notice id.",
            content = @Content)
    @ApiResponse(responseCode = "403", description = "Not a supervisor or a leader of the unit.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node, or no such notice of the unit.",
            content = @Content)
    @ApiResponse(responseCode = "409", description = "The notice was withdrawn already (by whom, when, why).",
            content = @Content)
    @ApiResponse(responseCode = "422", description = "A reason too long.", content = @Content)
    public Mono<IssuedView> withdraw(@PathVariable String code, @PathVariable String id,
                                     @RequestBody(required = false) WithdrawBody body,
                                     @AuthenticationPrincipal Person person) {
        return Mono.defer(() -> notices.withdraw(code, Ids.parse("id", id, "a notice id"),
                body == null ? null : body.reason(), person).map(n -> IssuedView.of(n, clock.instant())));
    }

    @GetMapping("/api/units/{code}/notices")
    @Operation(operationId = "listReceivedNotices", summary = "List the notices a unit received",
            description = "Newest first; unsigned=true: only those it has not signed for (待签收).")
    @ApiResponse(responseCode = "200", description = "The notices.")
    @ApiResponse(responseCode = "400", description = "A malformed unit code, limit or unsigned.", content = @Content)
    @ApiResponse(responseCode = "403", description = "The unit is outside the caller's jurisdiction.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node.", content = @Content)
    public Mono<List<ReceivedView>> received(@PathVariable String code,
                                             @RequestParam(required = false) String unsigned,
                                             @RequestParam(required = false, defaultValue = "20") String limit,
                                             @AuthenticationPrincipal Person person) {
        return Mono.defer(() -> {
            Instant now = clock.instant();
            boolean unsignedOnly = unsigned != null && Flags.parse("unsigned", unsigned);
            return notices.received(code, unsignedOnly, CaseController.parseLimit(limit), person)
                    .map(r -> view(r, now)).collectList();
        });
    }

    @GetMapping("/api/units/{code}/notices/{id}")
    @Operation(operationId = "receivedNotice", summary = "A notice a unit received",
            description = "Its title and text, who issued it from which unit, the time to sign by, and once a person of"
                    + " the unit signed for it, who, when and their reply; late: not signed by the time to sign by"
                    + " (still unsigned after it, or signed after it). A notice that went on below the unit too (a"
                    + " district's to every community, read at a township) has the receipt of each unit below it that"
                    + " it went to (below, belowUnits, belowSigned): each unit's signature reaches the issuer and every"
                    + " unit between (逐级督促签收).")
    @ApiResponse(responseCode = "200", description = "The notice, and its signature once signed for.")
    @ApiResponse(responseCode = "400", description = "A malformed unit code or notice id.", content = @Content)
    @ApiResponse(responseCode = "403", description = "The unit is outside the caller's jurisdiction.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node, or no such notice received there.",
            content = @Content)
    public Mono<ReceivedView> receivedOne(@PathVariable String code, @PathVariable String id,
                                          @AuthenticationPrincipal Person person) {
        return Mono.defer(() -> notices.receivedOne(code, Ids.parse("id", id, "a notice id"), person).map(r -> {
            Instant now = clock.instant();
            List<ReceiptView> below = r.below().stream().map(b -> receipt(b, r.notice().standingSignBy(), now))
                    .toList();
            return view(r.notice(), now, below);
        }));
    }

    @PostMapping("/api/units/{code}/notices/{id}/remind")
    @Operation(operationId = "remindNoticeBelow", summary = "Remind the units below that have not signed for a notice"
            + " the unit received (逐级催签)",
            description = "At a unit between the issuer and the units below it (a township, for the district's notice to"
                    + " every community): whoever may issue a notice from the unit sends the notice again to each of its"
                    + " units below that the notice went to and that has not signed for it, as far as the unit knows"
                    + " (GET …/notices/{id}'s below), by gridlink.notice.issued.v1 naming the unit (remindedFrom);"
                    + " counted at the unit (remindedBelow; the latest at remindedBelowAt), and at each unit below"
                    + " apart from the issuer's reminders (remindersBetween).")
    @ApiResponse(responseCode = "200", description = "The notice received, the reminder counted and on its way.")
    @ApiResponse(responseCode = "400", description = "A malformed unit code or notice id.", content = @Content)
    @ApiResponse(responseCode = "403", description = "Not a supervisor or a leader of the unit.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node, or no such notice received there.",
            content = @Content)
    @ApiResponse(responseCode = "409", description = "The notice went to no unit below this one, every unit below it"
            + " signed for it, or its issuer withdrew it.", content = @Content)
    public Mono<ReceivedView> remindBelow(@PathVariable String code, @PathVariable String id,
                                          @AuthenticationPrincipal Person person) {
        return Mono.defer(() -> notices.remindBelow(code, Ids.parse("id", id, "a notice id"), person)
                .map(r -> view(r, clock.instant())));
    }

    @PostMapping("/api/units/{code}/notices/{id}/sign")
    @Operation(operationId = "signNotice", summary = "Sign for a notice the unit received (签收)",
            description = "A supervisor or a handler of the unit signs for it, for the unit, with a reply if they like;"
                    + " the signature goes to the issuer by gridlink.notice.signed.v1. Signed again by the same person"
                    + " with the same reply (an answer lost), it answers the signature kept.")
    @ApiResponse(responseCode = "200", description = "The notice, signed for.")
    @ApiResponse(responseCode = "400", description = "Malformed JSON, a malformed unit code or notice id.",
            content = @Content)
    @ApiResponse(responseCode = "403", description = "Not a supervisor or a handler of the unit.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node, or no such notice received there.",
            content = @Content)
    @ApiResponse(responseCode = "409", description = "Another person of the unit signed for it already (who and when),"
            + " or its issuer withdrew it.",
            content = @Content)
    @ApiResponse(responseCode = "422", description = "A reply too long.", content = @Content)
    public Mono<ReceivedView> sign(@PathVariable String code, @PathVariable String id,
                                   @RequestBody(required = false) SignBody body,
                                   @AuthenticationPrincipal Person person) {
        return Mono.defer(() -> notices.sign(code, Ids.parse("id", id, "a notice id"), body == null ? null : body.reply(),
                person).map(r -> view(r, clock.instant())));
    }

    private ReceivedView view(Notice.Received r, Instant now) {
        return view(r, now, null);
    }

    /** {@code below}: the receipts of the units below it went to, for a notice read alone (null in a list). */
    private ReceivedView view(Notice.Received r, Instant now, List<ReceiptView> below) {
        boolean shown = below != null && !below.isEmpty();
        return new ReceivedView(r.id(), r.unit().value(), r.fromUnit().value(), name(r.fromUnit().value()),
                r.issuedBy(), r.issuedAt(), r.title(), r.body(), r.signBy(), r.receivedAt(), r.signedAt(),
                r.signedBy(), r.reply(), r.lateAt(now), r.reminders(), r.remindedAt(),
                r.reach() == null ? null : r.reach().id(), r.withdrawnAt(), r.withdrawReason(), r.remindersBetween(),
                r.remindedBelow(), r.remindedBelowAt(), r.lateRemindedAt(), shown ? below.size() : null,
                shown ? (int) below.stream().filter(b -> b.signedAt() != null).count() : null, shown ? below : null);
    }

    private ReceiptView receipt(Notice.Receipt r, Instant signBy, Instant now) {
        return new ReceiptView(r.unit().value(), name(r.unit().value()), r.signedAt(), r.signedBy(), r.reply(),
                r.lateAt(signBy, now));
    }

    private String name(String code) {
        return node.directory().find(code).map(Unit::name).orElse(code);
    }

    @ExceptionHandler(NoticeHandling.NobodyToRemindException.class)
    ProblemDetail nobodyToRemind(NoticeHandling.NobodyToRemindException e) {
        return ApiProblems.problem(HttpStatus.CONFLICT, "nobody-to-remind", "Nobody to remind", e.getMessage());
    }

    @ExceptionHandler(NoticeHandling.NoticeSignedException.class)
    ProblemDetail signed(NoticeHandling.NoticeSignedException e) {
        return ApiProblems.problem(HttpStatus.CONFLICT, "notice-signed", "The notice was signed for already",
                e.getMessage());
    }

    @ExceptionHandler(NoticeHandling.NoticeWithdrawnException.class)
    ProblemDetail withdrawn(NoticeHandling.NoticeWithdrawnException e) {
        return ApiProblems.problem(HttpStatus.CONFLICT, "notice-withdrawn", "The notice was withdrawn",
                e.getMessage());
    }

    @ExceptionHandler(NoticeHandling.UnknownNoticeException.class)
    ProblemDetail unknown(NoticeHandling.UnknownNoticeException e) {
        return ApiProblems.problem(HttpStatus.NOT_FOUND, "unknown-notice", "Unknown notice", e.getMessage());
    }
}
