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
}
