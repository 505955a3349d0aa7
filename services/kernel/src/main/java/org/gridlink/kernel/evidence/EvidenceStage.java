package org.gridlink.kernel.evidence;

import java.util.Locale;
import java.util.Optional;

/** When a photo or document was taken: before the work (处置前) or after it (处置后). */
public enum EvidenceStage {
    BEFORE, AFTER;

    public static Optional<EvidenceStage> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(value.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
