package org.gridlink.kernel.cases;

import java.time.Instant;

/** What the case is about: the same at every node that holds it. */
public record CaseDetails(String categoryCode, String title, String description, Location location,
                          String gridCode, String source, String reporter, Instant reportedAt) {
}
