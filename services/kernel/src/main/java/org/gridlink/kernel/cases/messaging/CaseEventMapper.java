package org.gridlink.kernel.cases.messaging;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.gridlink.contracts.UnitCode;
import org.gridlink.kernel.cases.CaseDetails;
import org.gridlink.kernel.cases.CaseRecord;
import org.gridlink.kernel.cases.CaseStatus;
import org.gridlink.kernel.cases.Location;
import org.gridlink.kernel.cases.Outgoing;
import org.gridlink.kernel.cases.PendingRequest;
import org.gridlink.kernel.cases.TimelineEntry;
import org.gridlink.kernel.support.events.CloudEvent;
import org.gridlink.kernel.support.events.MalformedEventException;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/** Turns the domain's outgoing messages into CloudEvents and incoming event bodies back into domain values. */
@Component
public class CaseEventMapper {

    private final ObjectMapper json;
    private final int returnedVersion;

    public CaseEventMapper(ObjectMapper json) {
        this(json, 2);
    }

    /**
     * {@code returnedVersion}: which version of {@code gridlink.case.returned} this node sends (2 by default; 1 while
     * a rolling upgrade still has a tier on a release that knows only v1 — every release accepts both).
     */
    @org.springframework.beans.factory.annotation.Autowired
    public CaseEventMapper(ObjectMapper json,
                           @org.springframework.beans.factory.annotation.Value("${gridlink.events.returned-version:2}")
                           int returnedVersion) {
        if (returnedVersion != 1 && returnedVersion != 2) {
            throw new IllegalArgumentException("gridlink.events.returned-version is 1 or 2, not " + returnedVersion);
        }
        this.json = json;
        this.returnedVersion = returnedVersion;
    }

    public CloudEvent toEvent(Outgoing message, CaseRecord record, List<TimelineEntry> timeline, Instant now) {
        UnitCode from = record.unit();
        String to = message.to().value();
        CaseEventData.Entry entry = entry(message.entry());
        Object body;
        String type;
        if (message instanceof Outgoing.Escalation) {
            type = CaseEventTypes.ESCALATED;
            body = new CaseEventData.Escalated(record.caseId(), from.value(), to, details(record.details()),
                    record.dueAt(), entry, timeline.stream().map(CaseEventMapper::entry).toList());
        } else if (message instanceof Outgoing.Dispatch d) {
            type = CaseEventTypes.DISPATCHED;
            body = new CaseEventData.Dispatched(record.caseId(), from.value(), to, details(record.details()),
                    d.dueAt(), d.instructions(), entry, timeline.stream().map(CaseEventMapper::entry).toList());
        } else if (message instanceof Outgoing.Return r && returnedVersion == 1) {
            type = CaseEventTypes.RETURNED;
            body = new CaseEventData.Returned(record.caseId(), from.value(), to, r.reason(), entry);
        } else if (message instanceof Outgoing.Return r) {
            type = CaseEventTypes.RETURNED_V2;
            body = new CaseEventData.ReturnedV2(record.caseId(), from.value(), to,
                    new CaseEventData.Reason(r.reasonCode(), r.reason()), entry);
        } else if (message instanceof Outgoing.Request q) {
            type = CaseEventTypes.REQUESTED;
            PendingRequest r = q.request();
            body = new CaseEventData.Requested(record.caseId(), from.value(), to, r.kind().name(), r.reason(), r.note(),
                    r.until(), r.requestedBy(), entry);
        } else if (message instanceof Outgoing.Decision d) {
            type = CaseEventTypes.DECIDED;
            body = new CaseEventData.Decided(record.caseId(), from.value(), to, d.kind().name(), d.approved(),
                    d.until(), d.note(), entry);
        } else {
            Outgoing.Progress p = (Outgoing.Progress) message;
            type = CaseEventTypes.PROGRESSED;
            body = new CaseEventData.Progressed(record.caseId(), from.value(), to, p.senderStatus().name(),
                    p.resolution(), entry);
        }
        return new CloudEvent(UUID.randomUUID(), type, "/units/" + from.value(), record.caseId().toString(), now,
                CaseEventTypes.schemaOf(type), to, json.writeValueAsBytes(body));
    }

    /** The notice to {@code ancestor} that the record's {@code clock} ran out. */
    public CloudEvent overdue(CaseRecord record, CaseRecord.RunningClock clock, Instant dueAt, UnitCode ancestor,
                              Instant now) {
        CaseEventData.Overdue body = new CaseEventData.Overdue(record.caseId(), record.unit().value(), ancestor.value(),
                clock.name(), dueAt, now, record.status().name(), record.details().categoryCode(),
                record.details().title(), record.details().gridCode());
        return new CloudEvent(UUID.randomUUID(), CaseEventTypes.OVERDUE, "/units/" + record.unit().value(),
                record.caseId().toString(), now, CaseEventTypes.schemaOf(CaseEventTypes.OVERDUE), ancestor.value(),
                json.writeValueAsBytes(body));
    }

    /** The notice to {@code ancestor} that the record is no longer overdue on {@code clock}. */
    public CloudEvent overdueCleared(CaseRecord record, CaseRecord.RunningClock clock, UnitCode ancestor, String reason,
                                     Instant now) {
        CaseEventData.OverdueCleared body = new CaseEventData.OverdueCleared(record.caseId(), record.unit().value(),
                ancestor.value(), clock.name(), now, reason);
        return new CloudEvent(UUID.randomUUID(), CaseEventTypes.OVERDUE_CLEARED, "/units/" + record.unit().value(),
                record.caseId().toString(), now, CaseEventTypes.schemaOf(CaseEventTypes.OVERDUE_CLEARED),
                ancestor.value(), json.writeValueAsBytes(body));
    }

    /** A supervision notice from {@code from} to the unit holding the record. */
    public CloudEvent supervised(UUID caseId, UnitCode from, UnitCode to, String supervisor, boolean leader,
                                 Instant dueAt, String note, TimelineEntry entry, Instant now) {
        CaseEventData.Supervised body = new CaseEventData.Supervised(caseId, from.value(), to.value(), supervisor,
                leader, dueAt, note, entry(entry));
        return new CloudEvent(UUID.randomUUID(), CaseEventTypes.SUPERVISED, "/units/" + from.value(),
                caseId.toString(), now, CaseEventTypes.schemaOf(CaseEventTypes.SUPERVISED), to.value(),
                json.writeValueAsBytes(body));
    }

    public <T> T read(CloudEvent event, Class<T> type) {
        try {
            return json.readValue(event.data(), type);
        } catch (JacksonException e) {
            throw new MalformedEventException("cannot read " + event.type() + " " + event.id() + ": " + e.getOriginalMessage(), e);
        }
    }

    public static CaseEventData.Entry entry(TimelineEntry e) {
        return new CaseEventData.Entry(e.id(), e.at(), e.unit().value(), e.actor(), e.action(),
                e.fromStatus() == null ? null : e.fromStatus().name(), e.toStatus() == null ? null : e.toStatus().name(),
                e.note());
    }

    public static TimelineEntry entry(CaseEventData.Entry e) {
        require(e, "entry");
        require(e.id(), "entry.id");
        require(e.at(), "entry.at");
        require(e.action(), "entry.action");
        return new TimelineEntry(e.id(), e.at(), unit(e.unitCode(), "entry.unitCode"), e.actor() == null ? "unknown" : e.actor(),
                e.action(), e.fromStatus() == null ? null : CaseStatus.parse(e.fromStatus()),
                e.toStatus() == null ? null : CaseStatus.parse(e.toStatus()), e.note());
    }

    public static CaseEventData.Case details(CaseDetails d) {
        Location l = d.location();
        return new CaseEventData.Case(d.categoryCode(), d.title(), d.description(),
                l == null ? null : new CaseEventData.Place(l.lat(), l.lon(), l.address()), d.gridCode(), d.source(),
                d.reporter(), d.reportedAt());
    }

    public static CaseDetails details(CaseEventData.Case c) {
        require(c, "case");
        require(c.categoryCode(), "case.categoryCode");
        require(c.title(), "case.title");
        CaseEventData.Place p = c.location();
        return new CaseDetails(c.categoryCode(), c.title(), c.description(),
                p == null ? null : new Location(p.lat(), p.lon(), p.address()), c.gridCode(), c.source(), c.reporter(),
                c.reportedAt() == null ? Instant.EPOCH : c.reportedAt());
    }

    public static UnitCode unit(String code, String field) {
        require(code, field);
        if (!UnitCode.isValid(code)) {
            throw new MalformedEventException(field + " is not a unit code: " + code);
        }
        return UnitCode.of(code);
    }

    public static <T> T require(T value, String field) {
        if (value == null) {
            throw new MalformedEventException("missing required field " + field);
        }
        return value;
    }
}
