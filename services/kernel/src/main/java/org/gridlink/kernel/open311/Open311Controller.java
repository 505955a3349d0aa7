package org.gridlink.kernel.open311;

import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.gridlink.kernel.access.Jurisdiction;
import org.gridlink.kernel.access.Person;
import org.gridlink.kernel.cases.CaseRecord;
import org.gridlink.kernel.cases.Location;
import org.gridlink.kernel.cases.application.CaseHandling;
import org.gridlink.kernel.cases.application.InvalidRequestException;
import org.gridlink.kernel.cases.application.ReportCase;
import org.gridlink.kernel.cases.application.UnknownCaseException;
import org.gridlink.kernel.cases.persistence.QueueFilter;
import org.gridlink.kernel.cases.persistence.QueuePage;
import org.gridlink.kernel.units.Category;
import org.gridlink.kernel.units.Unit;
import org.gridlink.kernel.units.UnitDirectory;
import org.gridlink.kernel.support.web.IdempotencyKeys;
import org.gridlink.kernel.support.web.Ids;
import org.gridlink.kernel.support.web.NotFoundException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) at every unit: {@code /api/units/{code}/open311/v2/} is an
 * Open311 endpoint, so a city's existing Open311 apps and tools report to a community and follow their requests. It
 * is the case API under the standard's names (a service is a category, a service request a record), with the same
 * person, jurisdiction and checks: the caller signs in as everywhere (a bearer token; {@code api_key} is not used),
 * the reporter is the caller, a citizen lists only their own requests. JSON only; errors are problem+json as the
 * rest of the API's (RFC 9457), with {@code field} naming the standard's parameter. docs/open311.md.
 */
@RestController
@RequestMapping("/api/units/{code}/open311/v2")
@Tag(name = "open311")
public class Open311Controller {

    /** The source of a request made through Open311 (ReportSources). */
    public static final String SOURCE = "OPEN311";
    /** The most requests a list holds, and how many days back it looks without start_date (the standard's). */
    static final int MAX_LIST = 1000;
    static final Duration DEFAULT_SPAN = Duration.ofDays(90);
    /** The most records a list reads to find its requests (a status narrowing reads past those it leaves out). */
    static final int MAX_SCANNED = 10_000;
    private static final int PAGE = 200;

    /** The parameters of a new request the standard names; anything else is refused, as an unknown field is. */
    private static final Set<String> REQUEST_FIELDS = Set.of("service_code", "lat", "long", "address_string",
            "address_id", "description", "media_url", "email", "device_id", "account_id", "first_name", "last_name",
            "phone", "jurisdiction_id", "api_key");

    private final CaseHandling handling;
    private final Clock clock;

    public Open311Controller(CaseHandling handling, Clock clock) {
        this.handling = handling;
        this.clock = clock;
    }

    @GetMapping("/services.json")
    @Operation(operationId = "open311Services", summary = "Open311: the services (case categories) of a unit",
            description = "GeoReport v2 service list: service_code is the category's code, service_name its Chinese"
                    + " name, group its focus area. No service asks for attributes (metadata false).")
    @ApiResponse(responseCode = "200", description = "The services.")
    @ApiResponse(responseCode = "400", description = "A malformed unit code.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node.", content = @Content)
    public Mono<List<GeoReport.Service>> services(@PathVariable String code, @AuthenticationPrincipal Person person) {
        return Mono.fromSupplier(() -> {
            Jurisdiction.checkViewUnit(person, handling.node().requireServed(code).code());
            return directory().categories().stream().map(GeoReport.Service::of).toList();
        });
    }

    @GetMapping("/services/{serviceCode}.json")
    @Operation(operationId = "open311Service", summary = "Open311: a service's definition",
            description = "GeoReport v2 service definition: no attributes beyond the standard's fields.")
    @ApiResponse(responseCode = "200", description = "The definition.")
    @ApiResponse(responseCode = "404", description = "No such unit on this node, or no such service.",
            content = @Content)
    public Mono<GeoReport.ServiceDefinition> service(@PathVariable String code, @PathVariable String serviceCode,
                                                     @AuthenticationPrincipal Person person) {
        return Mono.fromSupplier(() -> {
            Jurisdiction.checkViewUnit(person, handling.node().requireServed(code).code());
            Category category = directory().category(serviceCode).orElseThrow(() -> new NotFoundException(
                    "no service '" + serviceCode + "' at " + code + "; services.json lists them"));
            return new GeoReport.ServiceDefinition(category.code(), List.of());
        });
    }

    @PostMapping(path = "/requests.json", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    @Operation(operationId = "open311Report", summary = "Open311: make a service request (report a case)",
            description = "GeoReport v2 POST requests, form-encoded: service_code (a category), lat and long or"
                    + " address_string or address_id, description (its first line, up to 200 characters, is the case's"
                    + " title; without one the service's name), media_url (kept in the description: the platform"
                    + " fetches nothing). The reporter is the caller; email, first_name, last_name, phone, device_id"
                    + " and account_id are not kept (the platform knows who reports); jurisdiction_id, when given, is"
                    + " this unit's code. The case is reported at the unit with source OPEN311, as POST …/cases"
                    + " reports it (its checks, its jurisdiction, its Idempotency-Key).")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
            mediaType = MediaType.APPLICATION_FORM_URLENCODED_VALUE,
            schema = @Schema(implementation = GeoReport.RequestForm.class)))
    @ApiResponse(responseCode = "201", description = "The new request's id and what happens next.",
            headers = @Header(name = "Location", description = "the request's URL",
                    schema = @Schema(type = "string", format = "uri-reference")))
    @ApiResponse(responseCode = "400", description = "A missing service_code or location, a malformed lat, long or"
            + " media_url, a parameter the standard does not name (attributes included: no service takes any), a"
            + " jurisdiction_id not this unit's.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node.", content = @Content)
    @ApiResponse(responseCode = "415", description = "A body not form-encoded.", content = @Content)
    @ApiResponse(responseCode = "422", description = "An unknown service_code, a location outside the unit.",
            content = @Content)
    public Mono<ResponseEntity<List<GeoReport.Created>>> report(@PathVariable String code,
                                                               ServerWebExchange exchange,
                                                               @Parameter(description = "Optional; "
                                                                       + IdempotencyKeys.SYNTAX + ", as for POST …/cases")
                                                               @RequestHeader(name = IdempotencyKeys.HEADER,
                                                                       required = false) String idempotencyKey,
                                                               @AuthenticationPrincipal Person person) {
        return exchange.getFormData().flatMap(form -> {
            String key = IdempotencyKeys.parse(idempotencyKey);
            ReportCase request = asReport(code, form);
            return handling.report(code, request, person, key)
                    .onErrorMap(InvalidRequestException.class, Open311Controller::inStandardNames)
                    .map(s -> {
                        CaseRecord r = s.record();
                        String id = r.caseId().toString();
                        return ResponseEntity.created(URI.create("/api/units/" + code + "/open311/v2/requests/" + id
                                        + ".json"))
                                .body(List.of(new GeoReport.Created(id, notice(r), r.details().reporter())));
                    });
        });
    }

    @GetMapping("/requests/{id}.json")
    @Operation(operationId = "open311Request", summary = "Open311: a service request",
            description = "GeoReport v2 single request (a list of one): the unit's record of the case; status closed"
                    + " once the record is closed or rejected; status_notes the latest note on its timeline;"
                    + " agency_responsible the unit holding the case now; expected_datetime its handling deadline"
                    + " while it is open. Read as GET …/cases/{caseId} reads it: a citizen sees only their own.")
    @ApiResponse(responseCode = "200", description = "The request.")
    @ApiResponse(responseCode = "400", description = "A malformed unit code or request id.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node, or no such request the caller may see.",
            content = @Content)
    public Mono<List<GeoReport.ServiceRequest>> request(@PathVariable String code, @PathVariable String id,
                                                        @AuthenticationPrincipal Person person) {
        return Mono.defer(() -> handling.read(code, requestId("service_request_id", id), person)
                .map(s -> List.of(GeoReport.ServiceRequest.of(s.record(), s.timeline(), directory()))));
    }

    @GetMapping("/requests.json")
    @Operation(operationId = "open311Requests", summary = "Open311: the service requests of a unit",
            description = "GeoReport v2 list, newest report first, at most " + MAX_LIST + ": for a citizen their own"
                    + " (as reporter=me), for the staff the unit's queue. service_request_id (comma-separated) reads"
                    + " those and ignores the rest; else service_code, status (open, closed or both) and start_date /"
                    + " end_date (ISO 8601 with an offset; without start_date the last 90 days) narrow it.")
    @ApiResponse(responseCode = "200", description = "The requests.")
    @ApiResponse(responseCode = "400", description = "A malformed date, status or request id; end_date before"
            + " start_date.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node.", content = @Content)
    public Mono<List<GeoReport.ServiceRequest>> requests(@PathVariable String code,
                                                         @RequestParam(name = "service_request_id", required = false)
                                                         String ids,
                                                         @RequestParam(name = "service_code", required = false)
                                                         String serviceCode,
                                                         @RequestParam(name = "start_date", required = false)
                                                         String startDate,
                                                         @RequestParam(name = "end_date", required = false)
                                                         String endDate,
                                                         @RequestParam(required = false) String status,
                                                         @AuthenticationPrincipal Person person) {
        return Mono.defer(() -> {
            if (ids != null && !ids.isBlank()) {
                List<UUID> wanted = new ArrayList<>(new LinkedHashSet<>(splitList(ids).stream()
                        .map(i -> requestId("service_request_id", i)).toList()));
                if (wanted.size() > MAX_LIST) {
                    throw InvalidRequestException.malformed("service_request_id", "at most " + MAX_LIST + " ids");
                }
                // one the caller may not see is left out, as the list leaves it out
                return Flux.fromIterable(wanted)
                        .concatMap(id -> handling.read(code, id, person)
                                .map(s -> GeoReport.ServiceRequest.of(s.record(), s.timeline(), directory()))
                                .onErrorResume(UnknownCaseException.class, e -> Mono.empty()))
                        .collectList();
            }
            Predicate<CaseRecord> wantedStatus = parseStatus(status);
            Instant end = parseTime("end_date", endDate);
            Instant start = parseTime("start_date", startDate);
            Instant before = end == null ? null : end.plus(1, ChronoUnit.MICROS); // end_date is in the span
            Instant from = start != null ? start : (end != null ? end : clock.instant()).minus(DEFAULT_SPAN);
            if (end != null && end.isBefore(from)) {
                throw InvalidRequestException.malformed("end_date", "end_date (" + endDate + ") is before start_date ("
                        + (startDate == null ? from : startDate) + ")");
            }
            QueueFilter filter = new QueueFilter(null, blankAsNull(serviceCode), null, null, null)
                    .withReported(from, before)
                    .withReporter(person.isCitizenOnly() ? person.username() : null);
            return handling.queue(code, filter, false, PAGE, null, person)
                    .expand(page -> page.nextSeq() == null ? Mono.empty()
                            : handling.queue(code, filter, false, PAGE, page.nextSeq(), person))
                    .concatMapIterable(QueuePage::records)
                    .take(MAX_SCANNED, true)
                    .filter(wantedStatus)
                    .take(MAX_LIST, true)
                    .map(r -> GeoReport.ServiceRequest.of(r, List.of(), directory()))
                    .collectList();
        });
    }

    @Hidden
    @RequestMapping(path = {"/services.xml", "/services/{serviceCode}.xml", "/requests.xml", "/requests/{id}.xml"},
            method = {RequestMethod.GET, RequestMethod.POST})
    public Mono<Void> xml(@PathVariable String code) {
        return Mono.error(new ResponseStatusException(HttpStatus.NOT_ACCEPTABLE, "this Open311 endpoint speaks JSON"
                + " only: ask for the same resource as .json"));
    }

    // ---- the standard's parameters as the case API's --------------------------------------------------------

    /** A new request's form as a report at the unit, each malformed parameter a 400 naming it. */
    private ReportCase asReport(String code, MultiValueMap<String, String> form) {
        for (String name : form.keySet()) {
            if (!REQUEST_FIELDS.contains(name)) {
                throw InvalidRequestException.malformed(name, name.startsWith("attribute[")
                        ? "no service here takes attributes (their definitions list none); leave " + name + " out"
                        : "'" + name + "' is not a parameter of a GeoReport v2 request");
            }
            if (form.get(name).size() > 1) {
                throw InvalidRequestException.malformed(name, name + " is given more than once");
            }
        }
        String jurisdiction = value(form, "jurisdiction_id", 32);
        if (jurisdiction != null && !jurisdiction.equals(code)) {
            throw InvalidRequestException.malformed("jurisdiction_id", "jurisdiction_id is this unit's code, " + code
                    + ", when given; a request for " + jurisdiction + " goes to its own endpoint");
        }
        String serviceCode = value(form, "service_code", 64);
        if (serviceCode == null) {
            throw InvalidRequestException.malformed("service_code", "service_code is required: one of services.json");
        }
        Double lat = coordinate(form, "lat", 90);
        Double lon = coordinate(form, "long", 180);
        if ((lat == null) != (lon == null)) {
            throw InvalidRequestException.malformed(lat == null ? "lat" : "long", "lat and long go together");
        }
        String address = value(form, "address_string", 500);
        String addressId = value(form, "address_id", 200);
        if (address == null) {
            address = addressId;
        }
        if (lat == null && address == null) {
            throw InvalidRequestException.malformed("lat", "a request says where: lat and long, address_string or"
                    + " address_id");
        }
        String description = value(form, "description", 4000);
        String media = value(form, "media_url", 2000);
        if (media != null) {
            URI uri;
            try {
                uri = URI.create(media);
            } catch (IllegalArgumentException e) {
                throw InvalidRequestException.malformed("media_url", "media_url is not a URL");
            }
            if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
                throw InvalidRequestException.malformed("media_url", "media_url is an http or https URL");
            }
            description = (description == null ? "" : description + "\n") + "照片 Media: " + media;
            if (description.length() > 4000) {
                throw InvalidRequestException.malformed("description", "description and media_url together are"
                        + " more than 4000 characters");
            }
        }
        String title = title(description, serviceCode);
        return new ReportCase(serviceCode, title, description, new Location(lat, lon, address), null, SOURCE, null);
    }

    /** The first line of the description, up to 200 characters, or the service's name. */
    private String title(String description, String serviceCode) {
        String first = description == null ? "" : description.strip().lines().findFirst().orElse("").strip();
        if (first.isEmpty()) {
            return directory().category(serviceCode).map(Category::name).orElse(serviceCode);
        }
        return first.length() <= 200 ? first : first.substring(0, 199) + "…";
    }

    private static String value(MultiValueMap<String, String> form, String name, int max) {
        String v = blankAsNull(form.getFirst(name));
        if (v != null && v.length() > max) {
            throw InvalidRequestException.malformed(name, name + " is at most " + max + " characters");
        }
        return v;
    }

    private static Double coordinate(MultiValueMap<String, String> form, String name, int bound) {
        String v = value(form, name, 32);
        if (v == null) {
            return null;
        }
        try {
            double d = Double.parseDouble(v);
            if (!(d >= -bound && d <= bound)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw InvalidRequestException.malformed(name, name + " is a number from -" + bound + " to " + bound
                    + " (WGS84 degrees), not '" + v + "'");
        }
    }

    /** A refusal of the case API named as the standard names what was sent. */
    private static InvalidRequestException inStandardNames(InvalidRequestException e) {
        String field = switch (e.field() == null ? "" : e.field()) {
            case "categoryCode" -> "service_code";
            case "location" -> "lat";
            case "title" -> "description";
            default -> e.field();
        };
        return field == null || field.equals(e.field()) ? e
                : new InvalidRequestException(field, e.getMessage(), e.malformed());
    }

    /** What the reporter is told: where the case is registered and by when it is to be taken on and handled. */
    private String notice(CaseRecord r) {
        ZoneId zone = directory().calendar().zone();
        DateTimeFormatter local = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
        String unit = directory().find(r.unit()).map(Unit::name).orElse(r.unit().value());
        StringBuilder s = new StringBuilder("已由" + unit + "登记");
        if (r.acceptDueAt() != null) {
            s.append("，").append(local.format(r.acceptDueAt().atZone(zone))).append("前受理");
        }
        if (r.dueAt() != null) {
            s.append("，").append(local.format(r.dueAt().atZone(zone))).append("前处置");
        }
        return s.append("。Registered by ").append(r.unit().value()).append(": to be taken on by ")
                .append(GeoReport.time(r.acceptDueAt(), zone)).append(" and handled by ")
                .append(GeoReport.time(r.dueAt(), zone)).append('.').toString();
    }

    private static Predicate<CaseRecord> parseStatus(String status) {
        if (status == null || status.isBlank()) {
            return r -> true;
        }
        Set<String> wanted = new LinkedHashSet<>(splitList(status));
        for (String s : wanted) {
            if (!s.equals("open") && !s.equals("closed")) {
                throw InvalidRequestException.malformed("status", "status is open, closed or both (open,closed), not '"
                        + s + "'");
            }
        }
        return r -> wanted.contains(r.status().isTerminal() ? "closed" : "open");
    }

    private static Instant parseTime(String name, String value) {
        String v = blankAsNull(value);
        if (v == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            throw InvalidRequestException.malformed(name, name + " is an ISO 8601 time with an offset, such as"
                    + " 2026-12-01T00:00:00+08:00, not '" + v + "'");
        }
    }

    private static UUID requestId(String name, String id) {
        return Ids.parse(name, id, "a service request id");
    }

    private static List<String> splitList(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static String blankAsNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private UnitDirectory directory() {
        return handling.node().directory();
    }
}
