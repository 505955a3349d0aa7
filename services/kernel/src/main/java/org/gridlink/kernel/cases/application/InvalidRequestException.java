package org.gridlink.kernel.cases.application;

/**
 * A request the client must fix. {@code malformed} requests (not of the API's shape) are 400; well-formed
 * requests naming something that does not fit (an unknown category, a grid cell of another community) are 422.
 */
public class InvalidRequestException extends RuntimeException {

    private final String field;
    private final boolean malformed;

    public InvalidRequestException(String field, String message, boolean malformed) {
        super(message);
        this.field = field;
        this.malformed = malformed;
    }

    public static InvalidRequestException malformed(String field, String message) {
        return new InvalidRequestException(field, message, true);
    }

    public static InvalidRequestException unprocessable(String field, String message) {
        return new InvalidRequestException(field, message, false);
    }

    /**
     * A required text of a request, stripped: blank is a 400 saying {@code needed}, longer than {@code max} characters a
     * 422 saying so.
     */
    public static String requiredText(String field, String value, int max, String needed) {
        String stripped = value == null ? "" : value.strip();
        if (stripped.isEmpty()) {
            throw malformed(field, needed);
        }
        if (stripped.length() > max) {
            throw unprocessable(field, field + " is at most " + max + " characters, not " + stripped.length());
        }
        return stripped;
    }

    public String field() {
        return field;
    }

    public boolean malformed() {
        return malformed;
    }
}
