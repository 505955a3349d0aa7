package org.gridlink.kernel.open311;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.gridlink.contracts.UnitCode;
import org.gridlink.kernel.cases.CaseAction;
import org.gridlink.kernel.cases.CaseRecord;
import org.gridlink.kernel.cases.CaseStateMachine;
import org.gridlink.kernel.evidence.EvidenceRef;
import org.gridlink.kernel.cases.Location;
import org.gridlink.kernel.cases.TimelineEntry;
import org.gridlink.kernel.units.Category;
import org.gridlink.kernel.units.UnitDirectory;

/**
 * What Open311's GeoReport v2 (http://wiki.open311.org/GeoReport_v2) names things, read from the platform's own: a
 * service is a case category, a service request is a unit's record of a case. Field names are the standard's.
 */
public final class GeoReport {

    private GeoReport() {
    }

    /** A service (a case category) in {@code services.json}. */
    public record Service(@JsonProperty("service_code") String serviceCode,
                          @JsonProperty("service_name") String serviceName,
                          String description, boolean metadata, String type, String keywords, String group) {

        static Service of(Category c) {
            String limit = c.timeLimitHours() > 0 ? "time limit " + c.timeLimitHours() + " h" : null;
            String description = String.join("; ", Stream.of(c.nameEn(), limit,
                    c.department() == null ? null : "department " + c.department())
                    .filter(s -> s != null && !s.isBlank()).toList());
            return new Service(c.code(), c.name(), description, false, "realtime", c.nameEn(), c.focusArea());
        }
    }

    /** {@code services/{service_code}.json}: no service here asks for attributes beyond the standard's fields. */
    public record ServiceDefinition(@JsonProperty("service_code") String serviceCode, List<Object> attributes) {
    }

    /**
     * The form of a new service request, as OpenAPI describes it (the controller reads the form itself): the standard's
     * parameters this platform uses; email, first_name, last_name, phone, device_id, account_id and api_key are taken
     * and not kept.
     */
    public record RequestForm(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "a category's code")
                              @JsonProperty("service_code") String serviceCode,
                              @Schema(description = "WGS84, with long") Double lat,
                              @Schema(description = "WGS84, with lat") @JsonProperty("long") Double lon,
                              @Schema(maxLength = 500) @JsonProperty("address_string") String addressString,
                              @Schema(maxLength = 200) @JsonProperty("address_id") String addressId,
                              @Schema(maxLength = 4000, description = "its first line is the case's title")
                              String description,
                              @Schema(format = "uri", description = "http or https; kept in the description")
                              @JsonProperty("media_url") String mediaUrl,
                              @Schema(description = "this unit's code, when given")
                              @JsonProperty("jurisdiction_id") String jurisdictionId) {
    }

    /** The answer to a new service request. */
    public record Created(@JsonProperty("service_request_id") String serviceRequestId,
                          @JsonProperty("service_notice") String serviceNotice,
                          @JsonProperty("account_id") String accountId) {
    }

    /** A service request: a unit's record of a case, {@code open} until it is closed or rejected. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ServiceRequest(@JsonProperty("service_request_id") String serviceRequestId,
                                 @Schema(allowableValues = {"open", "closed"}) String status,
                                 @JsonProperty("status_notes") String statusNotes,
                                 @JsonProperty("service_name") String serviceName,
                                 @JsonProperty("service_code") String serviceCode,
                                 String description,
                                 @JsonProperty("agency_responsible") String agencyResponsible,
                                 @JsonProperty("service_notice") String serviceNotice,
                                 @Schema(format = "date-time") @JsonProperty("requested_datetime") String requestedDatetime,
                                 @Schema(format = "date-time") @JsonProperty("updated_datetime") String updatedDatetime,
                                 @Schema(format = "date-time") @JsonProperty("expected_datetime") String expectedDatetime,
                                 String address, Double lat, @JsonProperty("long") Double lon) {

        /** A report's title, an upload's file name, a note among the staff (COMMENT): none says where the case stands. */
        private static final Set<String> NOT_NOTES = Set.of(CaseStateMachine.REPORT,
                EvidenceRef.ACTION, CaseAction.COMMENT.name());

        /**
         * A record as a service request; {@code timeline} (may be empty) gives the latest word on it as its status
         * notes (not a report's title or an upload's file name), else the resolution.
         */
        static ServiceRequest of(CaseRecord r, List<TimelineEntry> timeline, UnitDirectory directory) {
            ZoneId zone = directory.calendar().zone();
            String notes = r.resolution();
            for (int i = timeline.size() - 1; i >= 0; i--) {
                TimelineEntry e = timeline.get(i);
                String note = e.note();
                // a report's note is its title, an upload's the file: neither says where the case stands
                if (note != null && !note.isBlank() && !NOT_NOTES.contains(e.action())) {
                    notes = note;
                    break;
                }
            }
            Location at = r.details().location();
            String category = r.details().categoryCode();
            return new ServiceRequest(r.caseId().toString(), r.status().isTerminal() ? "closed" : "open", notes,
                    directory.category(category).map(Category::name).orElse(category), category,
                    r.details().description(), agency(r, directory), null,
                    time(r.details().reportedAt(), zone), time(r.updatedAt(), zone),
                    r.status().isTerminal() ? null : time(r.dueAt(), zone),
                    at == null ? null : at.address(), at == null ? null : at.lat(), at == null ? null : at.lon());
        }
    }

    /** The unit that holds the case now: the one it was escalated or dispatched to, else the record's own. */
    static String agency(CaseRecord r, UnitDirectory directory) {
        UnitCode holder = switch (r.status()) {
            case ESCALATED -> r.escalatedTo();
            case DISPATCHED, IN_PROGRESS, RESOLVED -> r.dispatchedTo();
            default -> null;
        };
        UnitCode unit = holder == null ? r.unit() : holder;
        return directory.find(unit).map(u -> u.name()).orElse(unit.value());
    }

    /** An instant as GeoReport writes it: ISO 8601 with the city's offset, to the second. */
    static String time(Instant at, ZoneId zone) {
        return at == null ? null
                : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(at.truncatedTo(ChronoUnit.SECONDS).atZone(zone));
    }
}
