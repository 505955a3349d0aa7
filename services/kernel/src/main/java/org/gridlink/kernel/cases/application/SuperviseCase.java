package org.gridlink.kernel.cases.application;

import java.time.Instant;
import java.util.UUID;

/** A supervision notice (督办) as asked: the overdue record of {@code unit} in case {@code caseId}, to finish by {@code dueAt}. */
public record SuperviseCase(UUID caseId, String unit, Instant dueAt, String note) {
}
