package org.gridlink.kernel.notices;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/** The JSON bodies of the notice events (contracts/events/notice-*). Readers ignore fields they do not know. */
public final class NoticeEventData {

    private NoticeEventData() {
    }

    /**
     * {@code gridlink.notice.issued.v1}: the notice, to one unit below the issuer (toUnit, the record's key); sent again
     * to a unit that has not signed for it as the issuer's {@code reminder}-th reminder (催签), at {@code remindedAt};
     * {@code reach}: the lowest tier it went down to (the units below toUnit it went to as well). Sent by a unit between
     * the issuer and toUnit ({@code remindedFrom}) to a unit below it that has not signed, it is that unit's reminder
     * (逐级催签), at {@code remindedAt}, counted apart from the issuer's. {@code lateRemindedAt}: when the issuer's node
     * reminded the units not signed because the time to sign by passed (逾期自动催签), on the issuer's reminders from
     * then on (absent before, and in a unit between's).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Issued(UUID noticeId, String fromUnit, String toUnit, String issuedBy, Instant issuedAt, String title,
                         String body, Instant signBy, Integer reminder, Instant remindedAt, String reach,
                         String remindedFrom, Instant lateRemindedAt) {
    }

    /**
     * {@code gridlink.notice.withdrawn.v1}: the issuer withdrew the notice (撤回), to one unit it went to (toUnit, the
     * record's key): when, who, why.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Withdrawn(UUID noticeId, String fromUnit, String toUnit, String withdrawnBy, Instant withdrawnAt,
                            String reason) {
    }

    /**
     * {@code gridlink.notice.signed.v1}: a unit below signed for it, to the issuer or to a unit between the two that
     * received the notice too (toUnit, the record's key); {@code issuer}: the unit that issued it (absent: toUnit).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Signed(UUID noticeId, String fromUnit, String toUnit, String signedBy, Instant signedAt,
                         String reply, String issuer) {
    }
}
