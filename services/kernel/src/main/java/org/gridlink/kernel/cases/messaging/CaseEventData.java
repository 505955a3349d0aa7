package org.gridlink.kernel.cases.messaging;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The JSON bodies of the case events (contracts/events). Readers are tolerant: unknown fields are ignored,
 * unknown enum values arrive as strings and are mapped to UNKNOWN by the domain.
 */
public final class CaseEventData {

    private CaseEventData() {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(UUID id, Instant at, String unitCode, String actor, String action, String fromStatus,
                        String toStatus, String note) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Place(Double lat, Double lon, String address) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Case(String categoryCode, String title, String description, Place location, String gridCode,
                       String source, String reporter, Instant reportedAt) {
    }

    /** {@code gridlink.case.escalated.v1}: a child hands a case up to its parent, with the history so far. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Escalated(UUID caseId, String fromUnit, String toUnit, @JsonProperty("case") Case details,
                            Instant dueAt, Entry entry, List<Entry> timeline) {
    }

    /** {@code gridlink.case.dispatched.v1}: a parent hands a case down to a child, with instructions and a due time. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Dispatched(UUID caseId, String fromUnit, String toUnit, @JsonProperty("case") Case details,
                             Instant dueAt, String instructions, Entry entry, List<Entry> timeline) {
    }

    /** {@code gridlink.case.returned.v1}: a parent sends an escalation back to the child that made it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Returned(UUID caseId, String fromUnit, String toUnit, String reason, Entry entry) {
    }

    /** {@code gridlink.case.returned.v2}: as v1, with the reason as a code from the list and a note. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ReturnedV2(UUID caseId, String fromUnit, String toUnit, Reason reason, Entry entry) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Reason(String code, String note) {
    }

    /** {@code gridlink.case.progressed.v1}: one timeline entry travelling along the case's chain. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Progressed(UUID caseId, String fromUnit, String toUnit, String status, String resolution,
                             Entry entry) {
    }

    /** {@code gridlink.case.overdue.v1}: the record of {@code unit} ran out of its {@code clock} at {@code dueAt}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Overdue(UUID caseId, String unit, String toUnit, String clock, Instant dueAt, Instant detectedAt,
                          String status, String categoryCode, String title, String gridCode) {
    }

    /** {@code gridlink.case.overdue-cleared.v1}: the record of {@code unit} is no longer overdue on {@code clock}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OverdueCleared(UUID caseId, String unit, String toUnit, String clock, Instant clearedAt,
                                 String reason) {
    }

    /** {@code gridlink.case.requested.v1}: the receiver of a dispatched case asks the dispatcher (RETURN, EXTENSION, PARK). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Requested(UUID caseId, String fromUnit, String toUnit, String kind, String reason, String note,
                            Instant until, String requestedBy, Entry entry) {
    }

    /** {@code gridlink.case.decided.v1}: the dispatcher approved or overruled the receiver's request. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Decided(UUID caseId, String fromUnit, String toUnit, String kind, Boolean approved, Instant until,
                          String note, Entry entry) {
    }

    /** {@code gridlink.case.supervised.v1}: a unit above sets a new deadline for a record below it (督办). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Supervised(UUID caseId, String fromUnit, String toUnit, String supervisor, Boolean leader,
                             Instant dueAt, String note, Entry entry) {
    }
}
