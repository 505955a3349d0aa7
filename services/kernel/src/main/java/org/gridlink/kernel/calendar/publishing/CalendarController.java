package org.gridlink.kernel.calendar.publishing;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.gridlink.kernel.access.Jurisdiction;
import org.gridlink.kernel.access.Person;
import org.gridlink.kernel.calendar.CalendarCoverage;
import org.gridlink.kernel.calendar.Holiday;
import org.gridlink.kernel.calendar.HolidayNotice;
import org.gridlink.kernel.calendar.MakeUpWorkingDay;
import org.gridlink.kernel.calendar.OfficePeriod;
import org.gridlink.kernel.calendar.WorkingCalendar;
import org.gridlink.kernel.cases.application.CalendarWatch;
import org.gridlink.kernel.cases.application.InvalidRequestException;
import org.gridlink.kernel.cases.application.NodeUnits;
import org.gridlink.kernel.units.Unit;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The working calendar a node's time limits run on, and the city's publication of a year of it (日历发布). */
@RestController
@Tag(name = "calendar")
public class CalendarController {

    static final int MAX_DAYS = 40;

    private final CalendarPublishing publishing;
    private final CalendarWatch watch;
    private final NodeUnits node;
    private final CalendarStore store;

    public CalendarController(CalendarPublishing publishing, CalendarWatch watch, NodeUnits node, CalendarStore store) {
        this.publishing = publishing;
        this.watch = watch;
        this.node = node;
        this.store = store;
    }

    /** {@code PUT …/calendar/{year}}: the year's public holidays and make-up working days, as its notice sets them. */
    public record PublishBody(String source, List<HolidayBody> holidays, List<WorkingDayBody> workingDays) {
    }

    /** A public holiday period, both days included (its weekend days too). */
    public record HolidayBody(String name, String nameEn, LocalDate from, LocalDate to) {
    }

    /** A weekend day worked because a holiday was moved (调休上班). */
    public record WorkingDayBody(String name, String nameEn, LocalDate date) {
    }

    /**
     * A year the calendar knows: its holidays and make-up working days, where they come from, and, when the city
     * published it (rather than the seeds carrying it), the publication's revision, who published it and when.
     */
    public record YearView(int year, String source, List<Holiday> holidays, List<MakeUpWorkingDay> workingDays,
                           Integer revision, String publishedBy, Instant publishedAt) {

        /** A year's notice, as the city published it ({@code published}) or from the seeds (null). */
        static YearView of(HolidayNotice notice, CalendarEvents.Published published) {
            return published == null
                    ? new YearView(notice.year(), notice.source(), notice.holidays(), notice.workingDays(), null, null, null)
                    : new YearView(published.year(), published.source(), published.holidays(), published.workingDays(),
                    published.revision(), published.publishedBy(), published.publishedAt());
        }
    }

    /** The working calendar in use on the node, and how far ahead it knows the public holidays. */
    public record CalendarView(String zone, List<OfficePeriod> officeHours, List<DayOfWeek> weekend,
                               List<YearView> years, CalendarCoverage coverage) {
    }

    @GetMapping("/api/units/{code}/calendar")
    @Operation(operationId = "readCalendar", summary = "Read the working calendar",
            description = "The working calendar the unit's time limits run on (工作日历): office hours, weekend days and,"
                    + " year by year, the public holidays and make-up working days (调休上班), each year from the seeds"
                    + " or as the city published it (revision, publishedBy, publishedAt); and how far ahead it knows"
                    + " the public holidays (coverage.warning when fewer than gridlink.calendar.warn-ahead days are"
                    + " left).")
    @ApiResponse(responseCode = "200", description = "The calendar.")
    @ApiResponse(responseCode = "400", description = "A malformed unit code.", content = @Content)
    @ApiResponse(responseCode = "403", description = "The unit is neither in the caller's subtree nor above it.",
            content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node.", content = @Content)
    public Mono<CalendarView> calendar(@PathVariable String code, @AuthenticationPrincipal Person person) {
        return Mono.fromSupplier(() -> {
            Unit unit = node.requireServed(code);
            Jurisdiction.checkViewUnit(person, unit.code());
            CalendarPublishing.InUse inUse = publishing.inUse();
            WorkingCalendar calendar = inUse.calendar();
            List<YearView> years = calendar.notices().values().stream()
                    .map(n -> YearView.of(n, inUse.published().get(n.year()))).toList();
            return new CalendarView(calendar.zone().getId(), calendar.officeHours(),
                    calendar.weekend().stream().sorted().toList(), years, watch.coverage());
        });
    }

    @GetMapping("/api/units/{code}/calendar/{year}/revisions")
    @Operation(operationId = "readCalendarYearRevisions", summary = "Read a year's publications (日历发布记录)",
            description = "Every revision of the year the city published, newest first: its holidays and make-up"
                    + " working days, its source, who published it and when; the first is the one the time limits run"
                    + " on. The city's node has every revision it published; another node every one it read from"
                    + " gridlink.calendar. A year the city has not published (the seeds' alone): an empty list.")
    @ApiResponse(responseCode = "200", description = "The year's revisions, newest first.")
    @ApiResponse(responseCode = "400", description = "A malformed unit code, a year that is not a number.",
            content = @Content)
    @ApiResponse(responseCode = "403", description = "The unit is neither in the caller's subtree nor above it.",
            content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node.", content = @Content)
    public Mono<List<YearView>> revisions(@PathVariable String code, @PathVariable String year,
                                          @AuthenticationPrincipal Person person) {
        return Mono.defer(() -> {
            Unit unit = node.requireServed(code);
            Jurisdiction.checkViewUnit(person, unit.code());
            return store.revisions(year(year)).map(p -> YearView.of(p.notice(), p)).collectList();
        });
    }

    @PutMapping("/api/units/{code}/calendar/{year}")
    @Operation(operationId = "publishCalendarYear", summary = "Publish a year of the working calendar (日历发布)",
            description = "An administrator of the city publishes a year's public holidays and make-up working days as"
                    + " the State Council's notice sets them (it comes out in November or December), for this year or"
                    + " the next: they replace what the seeds or an earlier publication listed for the year. The city's"
                    + " node keeps it and sends it to every node by gridlink.calendar.published.v1; each takes it up"
                    + " within seconds, and the due times computed from then on run on it (those computed before stay"
                    + " as computed). The same notice again answers the publication kept and sends nothing.")
    @ApiResponse(responseCode = "200", description = "The year as published, with its revision.")
    @ApiResponse(responseCode = "400", description = "Malformed JSON, a year that is not a number, no holidays, a"
            + " holiday or make-up working day without its name or dates, a malformed unit code.", content = @Content)
    @ApiResponse(responseCode = "403", description = "Not an administrator of the city.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node.", content = @Content)
    @ApiResponse(responseCode = "422", description = "Not the city, a year other than this one or the next, a day"
            + " outside the year, a holiday that ends before it starts, a day in two holidays, a make-up working day"
            + " that is not a weekend day or that is a holiday, a text too long, more than " + MAX_DAYS + " holidays"
            + " or make-up working days.", content = @Content)
    public Mono<YearView> publish(@PathVariable String code, @PathVariable String year,
                                  @RequestBody(required = false) PublishBody body,
                                  @AuthenticationPrincipal Person person) {
        return Mono.defer(() -> publishing.publish(code, notice(year, body), person)
                .map(p -> YearView.of(p.notice(), p)));
    }

    /** The year's notice a request carries, or a 400 / 422 naming what is wrong in it. */
    static HolidayNotice notice(String year, PublishBody body) {
        int y = year(year);
        if (body == null) {
            throw InvalidRequestException.malformed("holidays", "a year's notice: {source, holidays: [{name, nameEn,"
                    + " from, to}], workingDays: [{name, nameEn, date}]}");
        }
        String source = body.source() == null || body.source().isBlank() ? null : body.source().strip();
        if (source != null && source.length() > 300) {
            throw InvalidRequestException.unprocessable("source", "source is at most 300 characters, not "
                    + source.length());
        }
        if (body.holidays() == null || body.holidays().isEmpty()) {
            throw InvalidRequestException.malformed("holidays", "a year's notice sets its public holidays: at least one");
        }
        List<WorkingDayBody> workingDayBodies = body.workingDays() == null ? List.of() : body.workingDays();
        if (body.holidays().size() > MAX_DAYS || workingDayBodies.size() > MAX_DAYS) {
            throw InvalidRequestException.unprocessable(body.holidays().size() > MAX_DAYS ? "holidays" : "workingDays",
                    "at most " + MAX_DAYS + " holidays and " + MAX_DAYS + " make-up working days a year");
        }
        List<Holiday> holidays = new ArrayList<>();
        for (int i = 0; i < body.holidays().size(); i++) {
            HolidayBody h = body.holidays().get(i);
            String field = "holidays[" + i + "]";
            if (h == null || h.from() == null || h.to() == null) {
                throw InvalidRequestException.malformed(field, field + " needs from and to (yyyy-MM-dd)");
            }
            try {
                holidays.add(new Holiday(InvalidRequestException.requiredText(field + ".name", h.name(), 50,
                        field + " needs its name (元旦, 春节, ...)"), optional(field + ".nameEn", h.nameEn()), h.from(),
                        h.to()));
            } catch (IllegalArgumentException e) {
                throw InvalidRequestException.unprocessable(field, e.getMessage());
            }
        }
        List<MakeUpWorkingDay> workingDays = new ArrayList<>();
        for (int i = 0; i < workingDayBodies.size(); i++) {
            WorkingDayBody w = workingDayBodies.get(i);
            String field = "workingDays[" + i + "]";
            if (w == null || w.date() == null) {
                throw InvalidRequestException.malformed(field, field + " needs its date (yyyy-MM-dd)");
            }
            workingDays.add(new MakeUpWorkingDay(InvalidRequestException.requiredText(field + ".name", w.name(), 50,
                    field + " needs its name (春节调休上班, ...)"), optional(field + ".nameEn", w.nameEn()), w.date()));
        }
        try {
            return new HolidayNotice(y, source, holidays, workingDays);
        } catch (IllegalArgumentException e) {
            throw InvalidRequestException.unprocessable("holidays", e.getMessage());
        }
    }

    /** The year a path names, or a 400. */
    static int year(String year) {
        try {
            return Integer.parseInt(year);
        } catch (NumberFormatException e) {
            throw InvalidRequestException.malformed("year", "'" + year + "' is not a year");
        }
    }

    private static String optional(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String stripped = value.strip();
        if (stripped.length() > 100) {
            throw InvalidRequestException.unprocessable(field, field + " is at most 100 characters, not "
                    + stripped.length());
        }
        return stripped;
    }
}
