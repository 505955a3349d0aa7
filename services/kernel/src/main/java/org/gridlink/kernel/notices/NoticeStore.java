package org.gridlink.kernel.notices;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.gridlink.contracts.Tier;
import org.gridlink.contracts.UnitCode;
import org.gridlink.kernel.support.r2dbc.NamedValues;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The notices a node's units issued and received (kernel V22), in its own database. */
public class NoticeStore {

    private static final String NOTICE_COLUMNS = "n.id, n.unit_code, n.issued_by, n.issued_at, n.title, n.body, n.reach,"
            + " n.sign_by, n.units, n.reminders, n.reminded_at, n.signed, n.withdrawn_at, n.withdrawn_by,"
            + " n.withdraw_reason, n.late_reminded_at";
    private static final String RECEIVED_COLUMNS = "unit_code, notice_id, from_unit, issued_by, issued_at, title, body,"
            + " sign_by, received_at, signed_at, signed_by, reply, reminders, reminded_at, reach, withdrawn_at,"
            + " withdraw_reason, reminders_between, reminded_below, reminded_below_at, late_reminded_at";

    private final DatabaseClient db;

    public NoticeStore(DatabaseClient db) {
        this.db = db;
    }

    // ---- at the issuer ------------------------------------------------------------------------------------

    /** Keeps the notice and a receipt, not signed, for each unit it goes to. */
    public Mono<Void> save(Notice n, List<UnitCode> units) {
        Mono<Void> notice = new NamedValues().put("id", n.id()).put("unit", n.unit().value())
                .put("issuedBy", n.issuedBy()).at("issuedAt", n.issuedAt()).put("title", n.title())
                .put("body", n.body()).put("reach", n.reach().id()).put("units", units.size())
                .at("signBy", n.signBy())
                .bindTo(db.sql("insert into notice (id, unit_code, issued_by, issued_at, title, body, reach, sign_by,"
                        + " units) values (:id, :unit, :issuedBy, :issuedAt, :title, :body, :reach, :signBy, :units)"))
                .then();
        Mono<Void> receipts = db.sql("insert into notice_receipt (notice_id, unit_code)"
                        + " select :id, u from unnest(cast(:units as varchar[])) as u")
                .bind("id", n.id()).bind("units", units.stream().map(UnitCode::value).toArray(String[]::new))
                .then();
        return notice.then(receipts);
    }

    /** The notices the unit issued, newest first, with how many signed. */
    public Flux<Notice> issued(UnitCode unit, int limit) {
        return db.sql("select " + NOTICE_COLUMNS + " from notice n where n.unit_code = :unit"
                        + " order by n.issued_at desc, n.id limit :limit")
                .bind("unit", unit.value()).bind("limit", limit)
                .map(NoticeStore::notice).all();
    }

    /** The notice the unit issued under this id, if any. */
    public Mono<Notice> find(UnitCode unit, UUID id) {
        return db.sql("select " + NOTICE_COLUMNS + " from notice n where n.id = :id and n.unit_code = :unit")
                .bind("id", id).bind("unit", unit.value())
                .map(NoticeStore::notice).one();
    }

    /** Each unit the notice went to, in the order of their codes. */
    public Flux<Notice.Receipt> receipts(UUID id) {
        return db.sql("select unit_code, signed_at, signed_by, reply from notice_receipt where notice_id = :id"
                        + " order by unit_code")
                .bind("id", id)
                .map(row -> new Notice.Receipt(UnitCode.of(row.get("unit_code", String.class)),
                        row.get("signed_at", Instant.class), row.get("signed_by", String.class),
                        row.get("reply", String.class)))
                .all();
    }

    /**
     * The unit's signature on the issuer's receipt, counted on the notice; false when there is no such receipt of a
     * notice of {@code issuer} (nothing changed). A receipt signed already keeps its first signature, counted once.
     */
    public Mono<Boolean> markSigned(UnitCode issuer, UUID id, UnitCode unit, Instant signedAt, String signedBy,
                                    String reply) {
        return new NamedValues().put("id", id).put("issuer", issuer.value()).put("unit", unit.value())
                .at("signedAt", signedAt).put("signedBy", signedBy).nullable("reply", reply, String.class)
                .bindTo(db.sql("with first as (update notice_receipt r set signed_at = :signedAt, signed_by = :signedBy,"
                        + " reply = :reply where r.notice_id = :id and r.unit_code = :unit and r.signed_at is null"
                        + " and exists (select 1 from notice n where n.id = :id and n.unit_code = :issuer) returning 1)"
                        + " update notice n set signed = n.signed + (select count(*) from first)"
                        + " where n.id = :id and n.unit_code = :issuer"
                        + " and exists (select 1 from notice_receipt r where r.notice_id = :id and r.unit_code = :unit)"))
                .fetch().rowsUpdated().map(n -> n > 0);
    }

    private static Notice notice(Readable row) {
        Number signed = row.get("signed", Number.class);
        return new Notice(row.get("id", UUID.class), UnitCode.of(row.get("unit_code", String.class)),
                row.get("issued_by", String.class), row.get("issued_at", Instant.class), row.get("title", String.class),
                row.get("body", String.class), Tier.fromId(row.get("reach", String.class)),
                row.get("sign_by", Instant.class), row.get("units", Integer.class),
                signed == null ? 0 : signed.intValue(), row.get("reminders", Integer.class),
                row.get("reminded_at", Instant.class), row.get("withdrawn_at", Instant.class) == null ? null
                        : new Notice.Withdrawal(row.get("withdrawn_at", Instant.class),
                        row.get("withdrawn_by", String.class), row.get("withdraw_reason", String.class)),
                row.get("late_reminded_at", Instant.class));
    }

    /**
     * Withdraws a notice the unit issued (撤回), if it stands; the notice as it is now (empty: no such notice of the
     * unit). Its row is locked for the transaction.
     */
    public Mono<Notice> withdraw(UnitCode issuer, UUID id, Instant at, String by, String reason) {
        return new NamedValues().put("id", id).put("issuer", issuer.value()).at("at", at).put("by", by)
                .put("reason", reason)
                .bindTo(db.sql("update notice set withdrawn_at = coalesce(withdrawn_at, :at),"
                        + " withdrawn_by = coalesce(withdrawn_by, :by),"
                        + " withdraw_reason = coalesce(withdraw_reason, :reason)"
                        + " where id = :id and unit_code = :issuer"))
                .fetch().rowsUpdated()
                .flatMap(n -> n > 0 ? find(issuer, id) : Mono.empty());
    }

    /** Every unit the notice went to, in the order of their codes. */
    public Flux<UnitCode> units(UUID id) {
        return db.sql("select unit_code from notice_receipt where notice_id = :id order by unit_code")
                .bind("id", id)
                .map(row -> UnitCode.of(row.get("unit_code", String.class))).all();
    }

    /** The issuer's withdrawal, on the notice as the unit received it (kept once: the first stands). */
    public Mono<Void> receiveWithdrawal(UnitCode unit, UUID id, Instant at, String reason) {
        return new NamedValues().put("unit", unit.value()).put("id", id).at("at", at).put("reason", reason)
                .bindTo(db.sql("update received_notice set withdrawn_at = :at, withdraw_reason = :reason"
                        + " where unit_code = :unit and notice_id = :id and withdrawn_at is null"))
                .then();
    }

    // ---- at a unit that received it -----------------------------------------------------------------------

    /**
     * Keeps a notice the unit received; if it has it already, a later reminder (催签) is counted on it while it is not
     * signed for, with when its issuer's node reminded it by itself (逾期自动催签) if it did, which a later reminder
     * does not clear; anything else changes nothing.
     */
    public Mono<Void> receive(Notice.Received r) {
        return keeping(r).put("reminders", r.reminders()).at("lateRemindedAt", r.lateRemindedAt())
                .bindTo(db.sql("insert into received_notice as n (unit_code, notice_id, from_unit, issued_by, issued_at,"
                        + " title, body, sign_by, received_at, reminders, reminded_at, reach, late_reminded_at) values"
                        + " (:unit, :id, :from, :issuedBy, :issuedAt, :title, :body, :signBy, :receivedAt, :reminders,"
                        + " :remindedAt, :reach, :lateRemindedAt)"
                        + " on conflict (unit_code, notice_id) do update set reminders = excluded.reminders,"
                        + " reminded_at = excluded.reminded_at,"
                        + " late_reminded_at = coalesce(excluded.late_reminded_at, n.late_reminded_at)"
                        + " where n.signed_at is null and excluded.reminders > n.reminders"))
                .then();
    }

    /**
     * Counts a reminder (催签) of a notice the unit issued; the units that have not signed for it, which it goes to. The
     * notice's row is locked for the transaction, so two reminders at once count one after the other.
     */
    public Mono<Integer> remind(UnitCode issuer, UUID id, Instant at) {
        return new NamedValues().put("id", id).put("issuer", issuer.value()).at("at", at)
                .bindTo(db.sql("update notice set reminders = reminders + 1, reminded_at = :at"
                        + " where id = :id and unit_code = :issuer returning reminders"))
                .map(row -> row.get("reminders", Integer.class)).one();
    }

    /** A notice whose time to sign by passed, to remind: its issuer, how many units had not signed for it. */
    public record Late(UUID id, UnitCode issuer, int unsigned) {
    }

    /**
     * The notices whose time to sign by passed by {@code now}, not withdrawn and not reminded so yet (V29's index), the
     * earliest first, at most {@code limit}, locked; another transaction's are skipped.
     */
    public Flux<Late> lateToRemind(Instant now, int limit) {
        return db.sql("select id, unit_code, units - signed as unsigned from notice where sign_by <= :now"
                        + " and late_reminded_at is null and withdrawn_at is null order by sign_by limit :limit"
                        + " for update skip locked")
                .bind("now", NamedValues.utc(now)).bind("limit", limit)
                .map(row -> new Late(row.get("id", UUID.class), UnitCode.of(row.get("unit_code", String.class)),
                        row.get("unsigned", Integer.class))).all();
    }

    /** Marks the notice reminded once its time to sign by passed. */
    public Mono<Void> markRemindedLate(UUID id, Instant at) {
        return db.sql("update notice set late_reminded_at = :at where id = :id").bind("id", id)
                .bind("at", NamedValues.utc(at)).then();
    }

    /** The units that have not signed for the notice, in the order of their codes. */
    public Flux<UnitCode> unsignedUnits(UUID id) {
        return db.sql("select unit_code from notice_receipt where notice_id = :id and signed_at is null order by unit_code")
                .bind("id", id)
                .map(row -> UnitCode.of(row.get("unit_code", String.class))).all();
    }

    /** The notices the unit received, newest first; {@code unsignedOnly}: those it has not signed for. */
    public Flux<Notice.Received> received(UnitCode unit, boolean unsignedOnly, int limit) {
        return db.sql("select " + RECEIVED_COLUMNS + " from received_notice where unit_code = :unit"
                        + (unsignedOnly ? " and signed_at is null and withdrawn_at is null" : "")
                        + " order by issued_at desc, notice_id limit :limit")
                .bind("unit", unit.value()).bind("limit", limit)
                .map(NoticeStore::received).all();
    }

    /** The notice the unit received under this id, if any; {@code lock}: held for the transaction. */
    public Mono<Notice.Received> findReceived(UnitCode unit, UUID id, boolean lock) {
        return db.sql("select " + RECEIVED_COLUMNS + " from received_notice where unit_code = :unit and notice_id = :id"
                        + (lock ? " for update" : ""))
                .bind("unit", unit.value()).bind("id", id)
                .map(NoticeStore::received).one();
    }

    /**
     * Keeps a reminder (逐级催签) a unit between the issuer and {@code r}'s unit sent: counted on the notice while it is
     * neither signed for nor withdrawn. The notice is kept from it if it has not come yet (the reminder and the notice
     * come from different nodes, by different ways).
     */
    public Mono<Void> receiveReminderBetween(Notice.Received r) {
        return keeping(r)
                .bindTo(db.sql("insert into received_notice as n (unit_code, notice_id, from_unit, issued_by, issued_at,"
                        + " title, body, sign_by, received_at, reminded_at, reach, reminders_between) values (:unit, :id,"
                        + " :from, :issuedBy, :issuedAt, :title, :body, :signBy, :receivedAt, :remindedAt, :reach, 1)"
                        + " on conflict (unit_code, notice_id) do update set"
                        + " reminders_between = n.reminders_between + 1,"
                        + " reminded_at = greatest(n.reminded_at, excluded.reminded_at)"
                        + " where n.signed_at is null and n.withdrawn_at is null"))
                .then();
    }

    /** The notice as the unit received it, as a statement keeping it binds it (all but the issuer's reminders). */
    private static NamedValues keeping(Notice.Received r) {
        return new NamedValues().put("unit", r.unit().value()).put("id", r.id()).put("from", r.fromUnit().value())
                .put("issuedBy", r.issuedBy()).at("issuedAt", r.issuedAt()).put("title", r.title())
                .put("body", r.body()).at("signBy", r.signBy()).at("receivedAt", r.receivedAt())
                .at("remindedAt", r.remindedAt())
                .nullable("reach", r.reach() == null ? null : r.reach().id(), String.class);
    }

    /**
     * Counts a reminder of the units below {@code unit} (逐级催签) on the notice it received, locking it for the
     * transaction; the notice as it is now, or empty if the unit received no such notice.
     */
    public Mono<Notice.Received> remindBelow(UnitCode unit, UUID id, Instant at) {
        return new NamedValues().put("unit", unit.value()).put("id", id).at("at", at)
                .bindTo(db.sql("update received_notice set reminded_below = reminded_below + 1, reminded_below_at = :at"
                        + " where unit_code = :unit and notice_id = :id returning " + RECEIVED_COLUMNS))
                .map(NoticeStore::received).one();
    }

    /** The unit's signature; the notice as it is now. To be run on the locked, unsigned notice. */
    public Mono<Notice.Received> sign(UnitCode unit, UUID id, Instant signedAt, String signedBy, String reply) {
        return new NamedValues().put("unit", unit.value()).put("id", id).at("signedAt", signedAt)
                .put("signedBy", signedBy).nullable("reply", reply, String.class)
                .bindTo(db.sql("update received_notice set signed_at = :signedAt, signed_by = :signedBy, reply = :reply"
                        + " where unit_code = :unit and notice_id = :id and signed_at is null returning "
                        + RECEIVED_COLUMNS))
                .map(NoticeStore::received).one();
    }

    /**
     * A signature of a unit below {@code unit}, which received the notice too and follows the signatures below it (V24).
     * Kept whether the unit's own copy of the notice came yet or not (the two come by different ways); a unit signs for
     * a notice once, so the first kept stands.
     */
    public Mono<Void> followSignature(UnitCode unit, UUID id, UnitCode signer, Instant signedAt, String signedBy,
                                      String reply) {
        return new NamedValues().put("unit", unit.value()).put("id", id).put("signer", signer.value())
                .at("signedAt", signedAt).put("signedBy", signedBy).nullable("reply", reply, String.class)
                .bindTo(db.sql("insert into received_notice_signature (unit_code, notice_id, signer_unit, signed_at,"
                        + " signed_by, reply) values (:unit, :id, :signer, :signedAt, :signedBy, :reply)"
                        + " on conflict (unit_code, notice_id, signer_unit) do nothing"))
                .then();
    }

    /** The signatures of the units below {@code unit} of a notice it received, in the order of their codes. */
    public Flux<Notice.Receipt> signaturesBelow(UnitCode unit, UUID id) {
        return db.sql("select signer_unit, signed_at, signed_by, reply from received_notice_signature"
                        + " where unit_code = :unit and notice_id = :id order by signer_unit")
                .bind("unit", unit.value()).bind("id", id)
                .map(row -> new Notice.Receipt(UnitCode.of(row.get("signer_unit", String.class)),
                        row.get("signed_at", Instant.class), row.get("signed_by", String.class),
                        row.get("reply", String.class)))
                .all();
    }

    /** How many notices the unit has not signed for (V22's partial index). */
    public Mono<Long> unsigned(UnitCode unit) {
        return db.sql("select count(*) as unsigned from received_notice where unit_code = :unit and signed_at is null"
                        + " and withdrawn_at is null")
                .bind("unit", unit.value())
                .map(row -> row.get("unsigned", Long.class)).one();
    }

    private static Notice.Received received(Readable row) {
        return new Notice.Received(row.get("notice_id", UUID.class), UnitCode.of(row.get("unit_code", String.class)),
                UnitCode.of(row.get("from_unit", String.class)), row.get("issued_by", String.class),
                row.get("issued_at", Instant.class), row.get("title", String.class), row.get("body", String.class),
                row.get("sign_by", Instant.class), row.get("received_at", Instant.class),
                row.get("signed_at", Instant.class), row.get("signed_by", String.class), row.get("reply", String.class),
                row.get("reminders", Integer.class), row.get("reminded_at", Instant.class),
                row.get("reach", String.class) == null ? null : Tier.fromId(row.get("reach", String.class)),
                row.get("withdrawn_at", Instant.class), row.get("withdraw_reason", String.class),
                row.get("reminders_between", Integer.class), row.get("reminded_below", Integer.class),
                row.get("reminded_below_at", Instant.class), row.get("late_reminded_at", Instant.class));
    }
}
