package org.gridlink.kernel.notices;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.gridlink.contracts.UnitCode;
import org.gridlink.kernel.cases.messaging.CaseEventTypes;
import org.gridlink.kernel.support.events.CloudEvent;
import org.gridlink.kernel.support.events.MalformedEventException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * The notice events on the wire: issued down to each unit, signed up to the issuer and the units between
 * (contracts/events/notice-*).
 */
public class NoticeEvents {

    public static final String ISSUED = "gridlink.notice.issued.v1";
    public static final String SIGNED = "gridlink.notice.signed.v1";
    public static final String WITHDRAWN = "gridlink.notice.withdrawn.v1";

    private final ObjectMapper json;

    public NoticeEvents(ObjectMapper json) {
        this.json = json;
    }

    /** The notice to {@code to}, one of the units below the issuer it goes to (again, as a reminder, once reminded). */
    public CloudEvent issued(Notice notice, UnitCode to) {
        NoticeEventData.Issued body = new NoticeEventData.Issued(notice.id(), notice.unit().value(), to.value(),
                notice.issuedBy(), notice.issuedAt(), notice.title(), notice.body(), notice.signBy(),
                notice.reminders() > 0 ? notice.reminders() : null, notice.remindedAt(), notice.reach().id(), null,
                notice.lateRemindedAt());
        return event(ISSUED, notice.unit(), notice.id(), notice.remindedAt() != null ? notice.remindedAt()
                : notice.issuedAt(), to, json.writeValueAsBytes(body));
    }

    /**
     * A unit between the issuer and {@code to} reminds it of the notice it received (逐级催签): the notice as the issuer
     * sent it, at the unit's {@code remindedBelowAt}, naming the unit ({@code remindedFrom}).
     */
    public CloudEvent remindedBelow(Notice.Received notice, UnitCode to) {
        NoticeEventData.Issued body = new NoticeEventData.Issued(notice.id(), notice.fromUnit().value(), to.value(),
                notice.issuedBy(), notice.issuedAt(), notice.title(), notice.body(), notice.signBy(), null,
                notice.remindedBelowAt(), notice.reach().id(), notice.unit().value(), null);
        return event(ISSUED, notice.unit(), notice.id(), notice.remindedBelowAt(), to, json.writeValueAsBytes(body));
    }

    /** The issuer's withdrawal (撤回) of the notice, to {@code to}, one of the units it went to. */
    public CloudEvent withdrawn(Notice notice, UnitCode to) {
        Notice.Withdrawal w = notice.withdrawal();
        NoticeEventData.Withdrawn body = new NoticeEventData.Withdrawn(notice.id(), notice.unit().value(), to.value(),
                w.by(), w.at(), w.reason());
        return event(WITHDRAWN, notice.unit(), notice.id(), w.at(), to, json.writeValueAsBytes(body));
    }

    /**
     * The unit's signature, to the issuer and to every unit between the two (each received the notice too, and follows
     * the signatures of the units below it), the nearest first.
     */
    public List<CloudEvent> signed(Notice.Received signed) {
        List<CloudEvent> sent = new ArrayList<>();
        UnitCode issuer = signed.fromUnit();
        for (UnitCode to = signed.unit().parent().orElseThrow(); ; to = to.parent().orElseThrow()) {
            NoticeEventData.Signed body = new NoticeEventData.Signed(signed.id(), signed.unit().value(), to.value(),
                    signed.signedBy(), signed.signedAt(), signed.reply(), issuer.value());
            sent.add(event(SIGNED, signed.unit(), signed.id(), signed.signedAt(), to, json.writeValueAsBytes(body)));
            if (to.equals(issuer)) {
                return sent;
            }
        }
    }

    private static CloudEvent event(String type, UnitCode from, UUID noticeId, Instant time, UnitCode to, byte[] data) {
        return new CloudEvent(UUID.randomUUID(), type, "/units/" + from.value(), noticeId.toString(), time,
                CaseEventTypes.schemaOf(type), to.value(), data);
    }

    public <T> T read(CloudEvent event, Class<T> type) {
        try {
            return json.readValue(event.data(), type);
        } catch (JacksonException e) {
            throw new MalformedEventException("cannot read " + event.type() + " " + event.id() + ": "
                    + e.getOriginalMessage(), e);
        }
    }
}
