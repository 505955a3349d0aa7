package org.gridlink.kernel.cases;

/** A command whose content is wrong (a missing note, a target that is not a child): the client must fix it. */
public class InvalidCommandException extends RuntimeException {

    private final String field;

    public InvalidCommandException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
