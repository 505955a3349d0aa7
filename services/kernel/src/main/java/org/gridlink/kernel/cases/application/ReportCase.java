package org.gridlink.kernel.cases.application;

import org.gridlink.kernel.cases.Location;

/** A new report at a unit. */
public record ReportCase(String categoryCode, String title, String description, Location location, String gridCode,
                         String source, String reporter) {
}
