package org.gridlink.kernel.units;

import java.time.Duration;

/**
 * A case category with the department that acts on it by default and its time limit; {@code afterPhotoRequired}: a
 * RESOLVE needs an AFTER photo on the record (处置后照片).
 */
public record Category(String code, String name, String nameEn, String focusArea, String department, int timeLimitHours,
                       boolean afterPhotoRequired) {

    public Category(String code, String name, String nameEn, String focusArea, String department, int timeLimitHours) {
        this(code, name, nameEn, focusArea, department, timeLimitHours, false);
    }

    public Duration timeLimit() {
        return Duration.ofHours(timeLimitHours);
    }
}
