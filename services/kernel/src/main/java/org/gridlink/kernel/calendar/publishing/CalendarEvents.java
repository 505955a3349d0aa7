package org.gridlink.kernel.calendar.publishing;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.gridlink.kernel.calendar.Holiday;
import org.gridlink.kernel.calendar.HolidayNotice;
import org.gridlink.kernel.calendar.MakeUpWorkingDay;
import org.gridlink.kernel.cases.messaging.CaseEventTypes;
import org.gridlink.kernel.support.events.CloudEvent;
import org.gridlink.kernel.support.events.MalformedEventException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/** A year of the working calendar as the city published it, on the wire (contracts/events/calendar-published). */
public class CalendarEvents {

    /** The compacted topic every node reads the city's published years from, keyed by year. */
    public static final String TOPIC = "gridlink.calendar";
    public static final String PUBLISHED = "gridlink.calendar.published.v1";

    /**
     * {@code gridlink.calendar.published.v1}: the city's {@code revision}th publication of {@code year} (its holidays
     * and make-up working days in place of any listed before), by {@code publishedBy} at {@code publishedAt}.
     */
    public record Published(String city, int year, int revision, String source, List<Holiday> holidays,
                            List<MakeUpWorkingDay> workingDays, String publishedBy, Instant publishedAt) {

        /** The year's notice it carries. */
        public HolidayNotice notice() {
            return new HolidayNotice(year, source, holidays, workingDays);
        }
    }

    private final ObjectMapper json;

    public CalendarEvents(ObjectMapper json) {
        this.json = json;
    }

    public CloudEvent published(Published p) {
        return new CloudEvent(UUID.randomUUID(), PUBLISHED, "/units/" + p.city(), Integer.toString(p.year()),
                p.publishedAt(), CaseEventTypes.schemaOf(PUBLISHED), Integer.toString(p.year()),
                json.writeValueAsBytes(p));
    }

    /** The publication an event carries; one that cannot be read, or that is no year's notice, is malformed. */
    public Published read(CloudEvent event) {
        Published p;
        try {
            p = json.readValue(event.data(), Published.class);
        } catch (JacksonException e) {
            throw new MalformedEventException("cannot read " + event.type() + " " + event.id() + ": "
                    + e.getOriginalMessage(), e);
        }
        if (p.city() == null || p.revision() < 1 || p.holidays() == null || p.workingDays() == null
                || p.publishedBy() == null || p.publishedAt() == null) {
            throw new MalformedEventException(event.type() + " " + event.id()
                    + " lacks city, revision, holidays, workingDays, publishedBy or publishedAt");
        }
        try {
            p.notice();
        } catch (RuntimeException e) {
            throw new MalformedEventException(event.type() + " " + event.id() + " is no year's notice: "
                    + e.getMessage(), e);
        }
        return p;
    }
}
