package org.gridlink.kernel.cases.application;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HexFormat;
import org.gridlink.kernel.cases.CaseAction;

/**
 * A person's action on a record as the API received it: {@code target} (a child unit) or {@code officer} for DISPATCH,
 * {@code category} for RECATEGORISE, {@code reason} for RETURN_REQUEST, {@code until} for EXTEND_REQUEST and
 * PARK_REQUEST (the due time or review date asked for) and for APPROVE (granted instead of the one asked for),
 * {@code into} for MERGE (the surviving case's id), {@code verdict} for VERDICT (SATISFIED or NOT_FIXED).
 */
public record ActionRequest(CaseAction action, String note, String target, String officer, String category,
                            String reason, Instant until, String into, String verdict) {

    public ActionRequest(CaseAction action, String note, String target, String officer, String category,
                         String reason, Instant until) {
        this(action, note, target, officer, category, reason, until, null, null);
    }

    public static ActionRequest of(CaseAction action, String note, String target) {
        return new ActionRequest(action, note, target, null, null, null, null);
    }

    /**
     * What the request asks, as a digest (SHA-256, hex) that the same request gives again: its fields as the action
     * reads them (stripped, a blank one as none, {@code until} to the microsecond the database keeps), each written
     * with its length, so no two requests that ask different things give the same text to digest.
     */
    public String digest() {
        StringBuilder text = new StringBuilder();
        Arrays.asList(action.name(), note, target, officer, category, reason,
                        until == null ? null : until.truncatedTo(ChronoUnit.MICROS).toString(), into, verdict)
                .forEach(field -> {
                    String value = field == null || field.isBlank() ? null : field.strip();
                    text.append(value == null ? "-" : value.length() + ":" + value).append(';');
                });
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
