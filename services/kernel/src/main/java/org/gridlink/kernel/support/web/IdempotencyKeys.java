package org.gridlink.kernel.support.web;

import org.gridlink.kernel.cases.application.InvalidRequestException;

/**
 * The {@code Idempotency-Key} request header, which a client sends so that a request it sends again (it did not get
 * the first answer: a timeout, a 503 from the gateway while the node was slow, a dropped connection) is applied once:
 * a report, an evidence upload, a supervision notice, an action on a record.
 */
public final class IdempotencyKeys {

    public static final String HEADER = "Idempotency-Key";

    /** The header's rule, as the API documents give it. */
    public static final String SYNTAX = "1 to 255 visible ASCII characters (a UUID will do), quoted or not";

    private IdempotencyKeys() {
    }

    /**
     * The header's key: a Structured Fields string (quoted) or the bare key; null for no header. A malformed one is a
     * 400 naming the header.
     */
    public static String parse(String header) {
        if (header == null) {
            return null;
        }
        String key = header.strip();
        if (key.length() >= 2 && key.startsWith("\"") && key.endsWith("\"")) {
            key = key.substring(1, key.length() - 1);
        }
        if (key.isEmpty() || key.length() > 255 || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw InvalidRequestException.malformed(HEADER, "an Idempotency-Key is 1 to 255 visible ASCII"
                    + " characters (no spaces), optionally in double quotes");
        }
        return key;
    }
}
