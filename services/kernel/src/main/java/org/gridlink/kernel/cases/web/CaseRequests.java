package org.gridlink.kernel.cases.web;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;
import java.util.UUID;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Request bodies of the case API. */
public final class CaseRequests {

    private CaseRequests() {
    }

    public record LocationBody(
            @DecimalMin(value = "-90", message = "lat must be between -90 and 90")
            @DecimalMax(value = "90", message = "lat must be between -90 and 90") Double lat,
            @DecimalMin(value = "-180", message = "lon must be between -180 and 180")
            @DecimalMax(value = "180", message = "lon must be between -180 and 180") Double lon,
            @Size(max = 500) String address) {
    }

    /** {@code POST /api/units/{code}/cases}. */
    public record ReportCaseBody(
            @NotBlank(message = "categoryCode is required") @Size(max = 64) String categoryCode,
            @NotBlank(message = "title is required") @Size(max = 200) String title,
            @Size(max = 4000) String description,
            @Valid LocationBody location,
            @Size(max = 32) String gridCode,
            @Size(max = 32) String source,
            @Size(max = 200) String reporter) {
    }

    /**
     * {@code POST /api/units/{code}/cases/{caseId}/actions}: {@code target} or {@code officer} for DISPATCH,
     * {@code category} for RECATEGORISE, {@code reason} for RETURN_REQUEST, {@code until} for EXTEND_REQUEST and
     * PARK_REQUEST (asked) and APPROVE (granted, when not as asked), {@code into} for MERGE (the id of the surviving
     * case), {@code verdict} for VERDICT (SATISFIED or NOT_FIXED).
     */
    public record ActionBody(
            @NotBlank(message = "action is required") String action,
            @Size(max = 4000) String note,
            @Size(max = 32) String target,
            @Size(max = 200) String officer,
            @Size(max = 64) String category,
            @Size(max = 64) String reason,
            Instant until,
            @Size(max = 64) String into,
            @Size(max = 32) String verdict) {
    }

    /** {@code POST /api/units/{code}/supervision}: a supervision notice (督办) about an overdue record below the unit. */
    public record SupervisionBody(
            @NotNull(message = "caseId is required") UUID caseId,
            @NotBlank(message = "unit is required: the code of the unit whose record is overdue") @Size(max = 32) String unit,
            @NotNull(message = "dueAt is required: the new deadline") Instant dueAt,
            @Size(max = 4000) String note) {
    }
}
