package org.gridlink.kernel.access;

/** The person may not do this here; the message says why. Answered as 403. */
public class AccessRefusedException extends RuntimeException {

    public AccessRefusedException(String message) {
        super(message);
    }
}
