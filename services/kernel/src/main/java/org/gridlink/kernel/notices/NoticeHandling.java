package org.gridlink.kernel.notices;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import org.gridlink.contracts.Tier;
import org.gridlink.contracts.UnitCode;
import org.gridlink.kernel.access.Jurisdiction;
import org.gridlink.kernel.access.Person;
import org.gridlink.kernel.cases.application.InvalidRequestException;
import org.gridlink.kernel.cases.application.KeyedIds;
import org.gridlink.kernel.cases.application.NodeUnits;
import org.gridlink.kernel.cases.messaging.CaseEventMapper;
import org.gridlink.kernel.support.events.CloudEvent;
import org.gridlink.kernel.support.events.EventTracing;
import org.gridlink.kernel.support.events.MalformedEventException;
import org.gridlink.kernel.support.inbox.InboxEvents;
import org.gridlink.kernel.support.outbox.OutboxWriter;
import org.gridlink.kernel.units.Unit;
import org.gridlink.kernel.units.UnitDirectory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Notices (通知, 工作部署; docs/notices.md): a unit issues a notice to every unit below it down to a tier it names, each
 * of those units signs for it (签收), and the issuer sees who has and who has not. The notice goes to each unit as
 * {@code gridlink.notice.issued.v1} through the outbox, in the transaction that keeps it and its receipts; a signature
 * goes back to the issuer and every unit between as {@code gridlink.notice.signed.v1} in the transaction that keeps it;
 * a withdrawal (撤回) goes to every unit the notice went to as {@code gridlink.notice.withdrawn.v1}; each is applied
 * once through the inbox ({@link InboxEvents}).
 */
public class NoticeHandling implements InboxEvents {

    private static final Logger log = LoggerFactory.getLogger(NoticeHandling.class);

    public static final int TITLE_MAX = 200;
    public static final int BODY_MAX = 4000;
    public static final int REPLY_MAX = 1000;
    /** The outbox rows of one statement: a notice to a full-size city's every community goes in several. */
    static final int ROWS_PER_STATEMENT = 500;

    private final NodeUnits node;
    private final NoticeStore store;
    private final NoticeEvents events;
    private final OutboxWriter outbox;
    private final TransactionalOperator tx;
    private final EventTracing tracing;
    private final Clock clock;
    private final MeterRegistry meters;

    public NoticeHandling(NodeUnits node, NoticeStore store, NoticeEvents events, OutboxWriter outbox,
                          TransactionalOperator tx, EventTracing tracing, Clock clock, MeterRegistry meters) {
        this.node = node;
        this.store = store;
        this.events = events;
        this.outbox = outbox;
        this.tx = tx;
        this.tracing = tracing;
        this.clock = clock;
        this.meters = meters;
    }

    /** A notice as asked: its title and text, the lowest tier it goes to (null: the whole subtree), a time to sign by. */
    public record Issue(String title, String body, String reach, Instant signBy) {
    }

    /** A notice and, for its issuer's readers, each unit's receipt. */
    public record WithReceipts(Notice notice, List<Notice.Receipt> receipts) {
    }

    /**
     * A notice the unit received and, when it went on below the unit too, the receipt of each unit below that it went
     * to (逐级督促签收: whether they signed, as their signatures told the unit).
     */
    public record ReceivedWithBelow(Notice.Received notice, List<Notice.Receipt> below) {
    }

    // ---- the issuer ---------------------------------------------------------------------------------------

    /**
     * Issues a notice from {@code unitCode} to the units below it down to the tier asked. Sent with an idempotency key,
     * its id is derived from the unit, the person and the key: the same notice sent again answers the one kept, which
     * is neither kept nor sent twice; another notice under the key is refused (422).
     */
    public Mono<Notice> issue(String unitCode, Issue request, Person person, String idempotencyKey) {
        return Mono.defer(() -> {
            Unit unit = node.requireServed(unitCode);
            Jurisdiction.checkIssueNotice(person, unit.code());
            Tier reach = reach(unit, request.reach());
            String title = text("title", request.title(), TITLE_MAX);
            String body = text("body", request.body(), BODY_MAX);
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            Instant signBy = request.signBy() == null ? null : request.signBy().truncatedTo(ChronoUnit.MICROS);
            List<UnitCode> units = below(node.directory(), unit.code(), reach);
            UUID id = idempotencyKey == null ? UUID.randomUUID()
                    : KeyedIds.of("notice", idempotencyKey, unit.code().value(), person.username());
            Notice notice = new Notice(id, unit.code(), person.username(), now, title, body, reach, signBy,
                    units.size());
            if (idempotencyKey == null) {
                return keep(notice, units);
            }
            return store.find(unit.code(), id).map(kept -> same(kept, notice))
                    .switchIfEmpty(Mono.defer(() -> keep(notice, units)
                            .onErrorResume(DuplicateKeyException.class, raced -> store.find(unit.code(), id)
                                    .map(kept -> same(kept, notice)).switchIfEmpty(Mono.error(raced)))));
        });
    }

    /**
     * Keeps a new notice and sends it. Its time to sign by is checked here, not before the key's notice is looked up:
     * the same notice sent again after that time (its answer lost) still answers the one kept.
     */
    private Mono<Notice> keep(Notice notice, List<UnitCode> units) {
        if (notice.signBy() != null && !notice.signBy().isAfter(notice.issuedAt())) {
            return Mono.error(InvalidRequestException.unprocessable("signBy", "the time to sign by is in the future; "
                    + notice.signBy() + " is not after " + notice.issuedAt()));
        }
        List<CloudEvent> sent = new ArrayList<>(units.size());
        for (UnitCode to : units) {
            sent.add(events.issued(notice, to));
        }
        Mono<Void> work = store.save(notice, units).then(outboxed(sent));
        return tx.transactional(work)
                .doOnSuccess(v -> meters.counter("gridlink.notices.issued", "reach", notice.reach().id()).increment())
                .thenReturn(notice);
    }

    /** The events written to the outbox with the trace of the change, in statements of {@link #ROWS_PER_STATEMENT}. */
    private Mono<Void> outboxed(List<CloudEvent> sent) {
        return Mono.deferContextual(context -> Flux.fromIterable(chunks(tracing.stamped(sent, context)))
                .concatMap(outbox::appendAll).then());
    }

    private static List<List<CloudEvent>> chunks(List<CloudEvent> events) {
        List<List<CloudEvent>> chunks = new ArrayList<>();
        for (int i = 0; i < events.size(); i += ROWS_PER_STATEMENT) {
            chunks.add(events.subList(i, Math.min(events.size(), i + ROWS_PER_STATEMENT)));
        }
        return chunks;
    }

    /** The notice kept under the key, if the one asked is the same; otherwise a 422. */
    private static Notice same(Notice kept, Notice asked) {
        if (kept.title().equals(asked.title()) && kept.body().equals(asked.body()) && kept.reach() == asked.reach()
                && Objects.equals(kept.signBy(), asked.signBy())) {
            return kept;
        }
        throw InvalidRequestException.unprocessable("Idempotency-Key", "this Idempotency-Key was used at "
                + kept.issuedAt() + " for a different notice (" + kept.id() + ", '" + kept.title()
                + "'); a new notice needs a new key");
    }

    /** The lowest tier asked (a tier below the unit's), the community's by default: the unit's whole subtree. */
    static Tier reach(Unit unit, String asked) {
        if (unit.tier() == Tier.COMMUNITY) {
            throw InvalidRequestException.unprocessable("unit", unit.code() + " is a community: it has no units below"
                    + " it to issue a notice to");
        }
        if (asked == null || asked.isBlank()) {
            return Tier.COMMUNITY;
        }
        Tier reach;
        try {
            reach = Tier.valueOf(asked.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw InvalidRequestException.malformed("reach", "'" + asked + "' is not a tier: one of district,"
                    + " township, community");
        }
        if (reach.ordinal() <= unit.tier().ordinal()) {
            throw InvalidRequestException.unprocessable("reach", "a notice from a " + unit.tier().id()
                    + " goes down to a tier below it, not to the " + reach.id() + " tier");
        }
        return reach;
    }

    /** Every unit below {@code unit} down to the tier {@code reach}, tier by tier, each in the order of its codes. */
    static List<UnitCode> below(UnitDirectory directory, UnitCode unit, Tier reach) {
        List<UnitCode> result = new ArrayList<>();
        List<UnitCode> level = List.of(unit);
        while (!level.isEmpty()) {
            List<UnitCode> next = new ArrayList<>();
            for (UnitCode code : level) {
                directory.children(code).stream().map(Unit::code).filter(c -> c.tier().ordinal() <= reach.ordinal())
                        .sorted().forEach(next::add);
            }
            result.addAll(next);
            level = next;
        }
        return result;
    }

    private static String text(String field, String value, int max) {
        return InvalidRequestException.requiredText(field, value, max, "a notice needs a " + field);
    }

    /** The notices the unit issued, newest first (read as its queue is). */
    public Flux<Notice> issued(String unitCode, int limit, Person person) {
        return Flux.defer(() -> {
            Unit unit = node.requireServed(unitCode);
            Jurisdiction.checkQueue(person, unit.code());
            return store.issued(unit.code(), limit);
        });
    }

    /** A notice the unit issued, with each unit's receipt. */
    public Mono<WithReceipts> issuedOne(String unitCode, UUID id, Person person) {
        return Mono.defer(() -> {
            Unit unit = node.requireServed(unitCode);
            Jurisdiction.checkQueue(person, unit.code());
            return store.find(unit.code(), id)
                    .switchIfEmpty(Mono.error(() -> new UnknownNoticeException(unit.code() + " issued no notice " + id)))
                    .flatMap(n -> store.receipts(id).collectList().map(r -> new WithReceipts(n, r)));
        });
    }

    /**
     * Reminds the units that have not signed for a notice the unit issued (催签): sends it to each of them again,
     * counted (its n-th reminder), in one transaction with the count; each unit's node counts it on its notice while it
     * has not signed. By whoever may issue a notice from the unit. A notice every unit signed for is a 409.
     */
    public Mono<Notice> remind(String unitCode, UUID id, Person person) {
        return Mono.defer(() -> {
            Unit unit = node.requireServed(unitCode);
            Jurisdiction.checkIssueNotice(person, unit.code());
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            Mono<Notice> work = store.remind(unit.code(), id, now)
                    .switchIfEmpty(Mono.error(() -> new UnknownNoticeException(unit.code() + " issued no notice " + id)))
                    .flatMap(reminder -> store.unsignedUnits(id).collectList().flatMap(units -> {
                        if (units.isEmpty()) {
                            return Mono.error(new NobodyToRemindException("every unit notice " + id + " went to has"
                                    + " signed for it: there is nobody to remind"));
                        }
                        return store.find(unit.code(), id).flatMap(kept -> {
                            if (kept.isWithdrawn()) {
                                return Mono.error(withdrawn(kept));
                            }
                            return sendReminder(kept, reminder, units, now);
                        });
                    }));
            return tx.transactional(work)
                    .doOnSuccess(n -> meters.counter("gridlink.notices.reminded").increment());
        });
    }

    /** The issuer's reminder number {@code reminder} of the notice as kept, to each of {@code units}, in the outbox. */
    private Mono<Notice> sendReminder(Notice kept, int reminder, List<UnitCode> units, Instant now) {
        Notice reminded = kept.reminded(reminder, now);
        return outboxed(units.stream().map(to -> events.issued(reminded, to)).toList()).thenReturn(reminded);
    }

    /** The most notices one round of {@link #remindLate} reminds; the next round goes on. */
    static final int LATE_BATCH = 100;

    /**
     * Reminds the units that had not signed for a notice by its time to sign by (签收时限) once, as its issuer's reminder
     * does (逾期自动催签): the notices of the node's units whose time passed by {@code now}, not withdrawn and not
     * reminded so yet, up to {@link #LATE_BATCH}, locked (skipped by another instance's round) and marked in one
     * transaction with their reminders. A notice every unit signed for by then is marked and reminds nobody. How many
     * notices were reminded. Every {@code gridlink.notices.late-reminder-interval} (a minute).
     */
    public Mono<Integer> remindLate(Instant now) {
        Instant at = now.truncatedTo(ChronoUnit.MICROS);
        Mono<Integer> work = store.lateToRemind(at, LATE_BATCH)
                .concatMap(late -> store.markRemindedLate(late.id(), at).then(late.unsigned() == 0 ? Mono.just(0)
                        : store.remind(late.issuer(), late.id(), at).flatMap(reminder -> store.unsignedUnits(late.id())
                                .collectList().flatMap(units -> store.find(late.issuer(), late.id())
                                        .flatMap(kept -> sendReminder(kept, reminder, units, at)))).thenReturn(1)))
                .reduce(0, Integer::sum);
        return tx.transactional(work).doOnNext(n -> meters.counter("gridlink.notices.reminded.late").increment(n));
    }

    @Scheduled(fixedDelayString = "${gridlink.notices.late-reminder-interval:60s}",
            initialDelayString = "${gridlink.notices.late-reminder-interval:60s}")
    public void remindLateScheduled() {
        try {
            Integer reminded = remindLate(clock.instant()).block();
            if (reminded != null && reminded > 0) {
                log.info("reminded the units late to sign {} notice(s) (逾期自动催签)", reminded);
            }
        } catch (RuntimeException e) {
            log.warn("the reminder of the notices late to be signed failed; the next round tries again: {}", e.toString());
        }
    }

    /**
     * Withdraws a notice the unit issued (撤回: sent in error, or overtaken), saying why, by whoever may issue one from
     * the unit: kept on the notice and sent to every unit it went to in one transaction. Withdrawn again by the same
     * person for the same reason (an answer lost), it answers the notice as it is; otherwise a notice withdrawn already
     * is a 409 naming who did and when.
     */
    public Mono<Notice> withdraw(String unitCode, UUID id, String reason, Person person) {
        return Mono.defer(() -> {
            Unit unit = node.requireServed(unitCode);
            Jurisdiction.checkIssueNotice(person, unit.code());
            String why = InvalidRequestException.requiredText("reason", reason, REPLY_MAX,
                    "a withdrawal says why the notice is withdrawn");
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            Mono<Notice> work = store.withdraw(unit.code(), id, now, person.username(), why)
                    .switchIfEmpty(Mono.error(() -> new UnknownNoticeException(unit.code() + " issued no notice " + id)))
                    .flatMap(notice -> {
                        Notice.Withdrawal w = notice.withdrawal();
                        if (!w.at().equals(now)) {
                            return w.by().equals(person.username()) && w.reason().equals(why) ? Mono.just(notice)
                                    : Mono.error(withdrawn(notice));
                        }
                        return store.units(id).map(to -> events.withdrawn(notice, to)).collectList()
                                .flatMap(sent -> outboxed(sent))
                                .doOnSuccess(v -> meters.counter("gridlink.notices.withdrawn").increment())
                                .thenReturn(notice);
                    });
            return tx.transactional(work);
        });
    }

    private static NoticeWithdrawnException withdrawn(Notice n) {
        return new NoticeWithdrawnException("notice " + n.id() + " was withdrawn at " + n.withdrawal().at() + " by "
                + n.withdrawal().by() + ": " + n.withdrawal().reason());
    }

    // ---- a unit below -------------------------------------------------------------------------------------

    /** The notices the unit received, newest first; {@code unsignedOnly}: those it has not signed for. */
    public Flux<Notice.Received> received(String unitCode, boolean unsignedOnly, int limit, Person person) {
        return Flux.defer(() -> {
            Unit unit = node.requireServed(unitCode);
            Jurisdiction.checkQueue(person, unit.code());
            return store.received(unit.code(), unsignedOnly, limit);
        });
    }

    /**
     * A notice the unit received, with the receipts of the units below it that the notice went to as well: each of them
     * as its reach says, and any other whose signature came (a notice from before V24 did not say its reach).
     */
    public Mono<ReceivedWithBelow> receivedOne(String unitCode, UUID id, Person person) {
        return Mono.defer(() -> {
            Unit unit = node.requireServed(unitCode);
            Jurisdiction.checkQueue(person, unit.code());
            return store.findReceived(unit.code(), id, false).switchIfEmpty(Mono.error(() -> unknown(unit.code(), id)))
                    .flatMap(received -> store.signaturesBelow(unit.code(), id).collectList()
                            .map(signatures -> new ReceivedWithBelow(received, receiptsBelow(received, signatures))));
        });
    }

    /**
     * A unit between the issuer and the units below it reminds those of its own units below that have not signed for a
     * notice it received (逐级催签: a township presses its communities about the district's notice): the notice sent to
     * each of them again, naming the unit, in one transaction with the unit's count of its reminders. By whoever may
     * issue a notice from the unit. A notice withdrawn, one that went to no unit below this one, or one every unit below
     * it signed for, is a 409 (nobody to remind).
     */
    public Mono<Notice.Received> remindBelow(String unitCode, UUID id, Person person) {
        return Mono.defer(() -> {
            Unit unit = node.requireServed(unitCode);
            Jurisdiction.checkIssueNotice(person, unit.code());
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            Mono<Notice.Received> work = store.remindBelow(unit.code(), id, now)
                    .switchIfEmpty(Mono.error(() -> unknown(unit.code(), id)))
                    .flatMap(reminding -> {
                        if (reminding.isWithdrawn()) {
                            return Mono.error(new NoticeWithdrawnException("notice " + id + " was withdrawn by "
                                    + reminding.fromUnit() + " at " + reminding.withdrawnAt() + ": "
                                    + reminding.withdrawReason() + "; there is nobody to remind"));
                        }
                        return store.signaturesBelow(unit.code(), id).collectList().flatMap(signatures -> {
                            List<UnitCode> unsigned = receiptsBelow(reminding, signatures).stream()
                                    .filter(r -> !r.isSigned()).map(Notice.Receipt::unit).toList();
                            if (reminding.reach() == null || unsigned.isEmpty()) {
                                return Mono.error(new NobodyToRemindException(reminding.reach() == null
                                        || below(node.directory(), unit.code(), reminding.reach()).isEmpty()
                                        ? "notice " + id + " went to no unit below " + unit.code()
                                                + ": there is nobody to remind"
                                        : "every unit below " + unit.code() + " that notice " + id + " went to has"
                                                + " signed for it: there is nobody to remind"));
                            }
                            List<CloudEvent> sent = unsigned.stream().map(to -> events.remindedBelow(reminding, to))
                                    .toList();
                            return outboxed(sent).thenReturn(reminding);
                        });
                    });
            return tx.transactional(work)
                    .doOnSuccess(n -> meters.counter("gridlink.notices.reminded.below").increment());
        });
    }

    /** Each unit below the receiving one that the notice went to, signed or not; then any other that signed. */
    private List<Notice.Receipt> receiptsBelow(Notice.Received received, List<Notice.Receipt> signatures) {
        Map<UnitCode, Notice.Receipt> signed = new LinkedHashMap<>();
        signatures.forEach(r -> signed.put(r.unit(), r));
        List<Notice.Receipt> receipts = new ArrayList<>();
        if (received.reach() != null) {
            for (UnitCode unit : below(node.directory(), received.unit(), received.reach())) {
                Notice.Receipt receipt = signed.remove(unit);
                receipts.add(receipt != null ? receipt : new Notice.Receipt(unit, null, null, null));
            }
        }
        receipts.addAll(signed.values());
        return receipts;
    }

    /**
     * A person of the unit signs for the notice (签收), with a reply if they like: kept, and sent to the issuer. Signed
     * again by the same person (their answer was lost), it answers the signature kept; a notice another person signed
     * for already is refused (409, naming who and when).
     */
    public Mono<Notice.Received> sign(String unitCode, UUID id, String reply, Person person) {
        return Mono.defer(() -> {
            Unit unit = node.requireServed(unitCode);
            Jurisdiction.checkSignNotice(person, unit.code());
            String text = reply == null || reply.isBlank() ? null : reply.strip();
            if (text != null && text.length() > REPLY_MAX) {
                throw InvalidRequestException.unprocessable("reply", "a reply is at most " + REPLY_MAX
                        + " characters, not " + text.length());
            }
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            Mono<Notice.Received> work = store.findReceived(unit.code(), id, true)
                    .switchIfEmpty(Mono.error(() -> unknown(unit.code(), id)))
                    .flatMap(found -> {
                        if (found.isSigned()) {
                            if (found.signedBy().equals(person.username()) && Objects.equals(found.reply(), text)) {
                                return Mono.just(found);
                            }
                            return Mono.error(new NoticeSignedException("notice " + id + " was signed for at "
                                    + found.signedAt() + " by " + found.signedBy() + "; a unit signs for a notice once"));
                        }
                        if (found.isWithdrawn()) {
                            return Mono.error(new NoticeWithdrawnException("notice " + id + " was withdrawn by "
                                    + found.fromUnit() + " at " + found.withdrawnAt() + ": " + found.withdrawReason()
                                    + "; there is nothing to sign for"));
                        }
                        return store.sign(unit.code(), id, now, person.username(), text)
                                .flatMap(signed -> Mono.deferContextual(context ->
                                        outbox.appendAll(tracing.stamped(events.signed(signed), context)))
                                        .doOnSuccess(v -> meters.counter("gridlink.notices.signed").increment())
                                        .thenReturn(signed));
                    });
            return tx.transactional(work);
        });
    }

    private static UnknownNoticeException unknown(UnitCode unit, UUID id) {
        return new UnknownNoticeException(unit + " received no notice " + id);
    }

    /** How many notices the unit has not signed for. */
    public Mono<Long> unsigned(UnitCode unit) {
        return store.unsigned(unit);
    }

    // ---- the inbox ----------------------------------------------------------------------------------------

    @Override
    public boolean applies(String type) {
        return NoticeEvents.ISSUED.equals(type) || NoticeEvents.SIGNED.equals(type)
                || NoticeEvents.WITHDRAWN.equals(type);
    }

    @Override
    public Mono<Void> apply(CloudEvent event, UnitCode target, Instant now) {
        if (NoticeEvents.ISSUED.equals(event.type())) {
            NoticeEventData.Issued e = events.read(event, NoticeEventData.Issued.class);
            UnitCode from = issuerAbove(e.fromUnit(), target, "notice", event);
            Notice.Received received = new Notice.Received(CaseEventMapper.require(e.noticeId(), "noticeId"), target,
                    from, CaseEventMapper.require(e.issuedBy(), "issuedBy"),
                    CaseEventMapper.require(e.issuedAt(), "issuedAt"), CaseEventMapper.require(e.title(), "title"),
                    CaseEventMapper.require(e.body(), "body"), e.signBy(), now, null, null, null,
                    e.reminder() == null ? 0 : e.reminder(), e.remindedAt(), reachOf(e.reach(), event), null, null, 0,
                    0, null, e.remindedFrom() == null ? e.lateRemindedAt() : null);
            if (e.remindedFrom() != null) {
                // a unit between the issuer and this one presses it (逐级催签)
                UnitCode between = CaseEventMapper.unit(e.remindedFrom(), "remindedFrom");
                if (between.equals(from) || !from.contains(between) || between.equals(target)
                        || !between.contains(target)) {
                    throw new MalformedEventException("reminder " + event.id() + " to " + target + " from "
                            + between + ": it is not between the issuer " + from + " and " + target);
                }
                CaseEventMapper.require(e.remindedAt(), "remindedAt");
                return store.receiveReminderBetween(received);
            }
            return store.receive(received);
        }
        if (NoticeEvents.WITHDRAWN.equals(event.type())) {
            NoticeEventData.Withdrawn w = events.read(event, NoticeEventData.Withdrawn.class);
            issuerAbove(w.fromUnit(), target, "withdrawal", event);
            return store.receiveWithdrawal(target, CaseEventMapper.require(w.noticeId(), "noticeId"),
                    CaseEventMapper.require(w.withdrawnAt(), "withdrawnAt"), CaseEventMapper.require(w.reason(), "reason"));
        }
        NoticeEventData.Signed e = events.read(event, NoticeEventData.Signed.class);
        UnitCode from = CaseEventMapper.unit(e.fromUnit(), "fromUnit");
        if (from.equals(target) || !target.contains(from)) {
            throw new MalformedEventException("signature " + event.id() + " to " + target + " comes from " + from
                    + ", which is not below it");
        }
        UUID id = CaseEventMapper.require(e.noticeId(), "noticeId");
        UnitCode issuer = e.issuer() == null ? target : CaseEventMapper.unit(e.issuer(), "issuer");
        if (!issuer.equals(target)) {
            // a unit between the issuer and the signer: it follows the signatures of the units below it
            if (!issuer.contains(target)) {
                throw new MalformedEventException("signature " + event.id() + " to " + target + " of a notice " + issuer
                        + " issued: " + target + " is not between " + issuer + " and " + from);
            }
            return store.followSignature(target, id, from, CaseEventMapper.require(e.signedAt(), "signedAt"),
                    CaseEventMapper.require(e.signedBy(), "signedBy"), e.reply());
        }
        return store.markSigned(target, id, from, CaseEventMapper.require(e.signedAt(), "signedAt"),
                        CaseEventMapper.require(e.signedBy(), "signedBy"), e.reply())
                .flatMap(marked -> marked ? Mono.<Void>empty() : Mono.error(new MalformedEventException("signature "
                        + event.id() + ": " + target + " issued no notice " + id + " to " + from)));
    }

    /** The issuer an event from above names ({@code fromUnit}), which must be above {@code target}; else malformed. */
    private static UnitCode issuerAbove(String fromUnit, UnitCode target, String what, CloudEvent event) {
        UnitCode from = CaseEventMapper.unit(fromUnit, "fromUnit");
        if (from.equals(target) || !from.contains(target)) {
            throw new MalformedEventException(what + " " + event.id() + " to " + target + " comes from " + from
                    + ", which is not above it");
        }
        return from;
    }

    /** The tier a notice went down to, as its event says (null: not said, an event from before it said so). */
    private static Tier reachOf(String reach, CloudEvent event) {
        if (reach == null) {
            return null;
        }
        try {
            return Tier.fromId(reach);
        } catch (IllegalArgumentException e) {
            throw new MalformedEventException("notice " + event.id() + " goes down to '" + reach + "', which is no tier");
        }
    }

    /** No notice under this id at the unit. */
    public static class UnknownNoticeException extends RuntimeException {
        UnknownNoticeException(String message) {
            super(message);
        }
    }

    /** A notice its issuer withdrew (撤回): nobody signs for it or is reminded of it, nor is it withdrawn again. */
    public static class NoticeWithdrawnException extends RuntimeException {
        NoticeWithdrawnException(String message) {
            super(message);
        }
    }

    /** A notice another person of the unit signed for already. */
    /** A reminder (催签) with nobody to go to: every unit it would go to signed, or the notice went to none. */
    public static class NobodyToRemindException extends RuntimeException {
        NobodyToRemindException(String message) {
            super(message);
        }
    }

    public static class NoticeSignedException extends RuntimeException {
        NoticeSignedException(String message) {
            super(message);
        }
    }
}
