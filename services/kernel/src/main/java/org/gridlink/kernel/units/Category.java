package org.gridlink.kernel.units;

import java.time.Duration;

/** A case category with the department that acts on it by default and its time limit. */
public record Category(String code, String name, String nameEn, String focusArea, String department, int timeLimitHours) {

    public Duration timeLimit() {
        return Duration.ofHours(timeLimitHours);
    }
}
