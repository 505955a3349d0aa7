package org.gridlink.kernel.notices;

import java.time.Instant;
import java.util.UUID;
import org.gridlink.contracts.Tier;
import org.gridlink.contracts.UnitCode;

/**
 * A notice (通知, 工作部署) a unit issued to the units below it, down to the tier {@code reach}, as its node keeps it.
 *
 * @param units  how many units it went to
 * @param signed how many of them signed for it (签收) so far
 * @param signBy the time the units are to sign by (签收时限), or null
 * @param reminders  how many times the units not signed were reminded (催签), and the latest at {@code remindedAt}
 * @param lateRemindedAt when its node reminded them by itself once {@code signBy} passed (逾期自动催签), if it did
 */
public record Notice(UUID id, UnitCode unit, String issuedBy, Instant issuedAt, String title, String body, Tier reach,
                     Instant signBy, int units, int signed, int reminders, Instant remindedAt, Withdrawal withdrawal,
                     Instant lateRemindedAt) {

    /** A notice as issued: nobody signed yet, nobody reminded, not withdrawn. */
    public Notice(UUID id, UnitCode unit, String issuedBy, Instant issuedAt, String title, String body, Tier reach,
                  Instant signBy, int units) {
        this(id, unit, issuedBy, issuedAt, title, body, reach, signBy, units, 0, 0, null, null, null);
    }

    /** This notice as its {@code reminder}-th reminder (催签) sends it, at {@code at}. */
    public Notice reminded(int reminder, Instant at) {
        return new Notice(id, unit, issuedBy, issuedAt, title, body, reach, signBy, units, signed, reminder, at,
                withdrawal, lateRemindedAt);
    }

    public boolean isWithdrawn() {
        return withdrawal != null;
    }

    /** The time to sign by while the notice stands; none once withdrawn (nobody is late on it). */
    public Instant standingSignBy() {
        return withdrawal == null ? signBy : null;
    }

    /** The issuer took the notice back (撤回): when, who, why. */
    public record Withdrawal(Instant at, String by, String reason) {
    }

    /** How many units it went to have not signed for it. */
    public int unsigned() {
        return units - signed;
    }

    /** One unit it went to: whether, when and by whom it signed, with its reply. */
    public record Receipt(UnitCode unit, Instant signedAt, String signedBy, String reply) {

        public boolean isSigned() {
            return signedAt != null;
        }

        /** Past {@code signBy} without a signature, or signed after it (逾期签收). */
        public boolean lateAt(Instant signBy, Instant now) {
            return late(signBy, signedAt, now);
        }
    }

    /**
     * A notice as a unit below received it, and its signature (签收) once a person of the unit signed for it.
     *
     * @param unit      the receiving unit
     * @param reminders how many reminders (催签) reached it before it signed
     * @param reach     the lowest tier the notice went down to (null: not told, a notice from before V24), so the units
     *                  below this one it went to too
     * @param withdrawnAt when the issuer withdrew it (撤回), and why ({@code withdrawReason}); null while it stands
     * @param remindersBetween how many reminders a unit between the issuer and this one sent it (逐级催签, V27), apart
     *                  from the issuer's
     * @param remindedBelow how often this unit reminded the units below it that had not signed (逐级催签), and when last
     *                  ({@code remindedBelowAt})
     */
    public record Received(UUID id, UnitCode unit, UnitCode fromUnit, String issuedBy, Instant issuedAt, String title,
                           String body, Instant signBy, Instant receivedAt, Instant signedAt, String signedBy,
                           String reply, int reminders, Instant remindedAt, Tier reach, Instant withdrawnAt,
                           String withdrawReason, int remindersBetween, int remindedBelow, Instant remindedBelowAt,
                           Instant lateRemindedAt) {

        public boolean isSigned() {
            return signedAt != null;
        }

        /** The issuer withdrew it (撤回): nobody signs for it any more. */
        public boolean isWithdrawn() {
            return withdrawnAt != null;
        }

        /** The time to sign by while the notice stands; none once withdrawn. */
        public Instant standingSignBy() {
            return withdrawnAt == null ? signBy : null;
        }

        /** Past its time to sign by without a signature, or signed after it (逾期签收); never once withdrawn. */
        public boolean lateAt(Instant now) {
            return late(standingSignBy(), signedAt, now);
        }
    }

    /** Not signed by {@code signBy}: still unsigned after it, or signed after it (逾期签收); never without a time. */
    static boolean late(Instant signBy, Instant signedAt, Instant now) {
        return signBy != null && (signedAt == null ? signBy.isBefore(now) : signedAt.isAfter(signBy));
    }
}
