package org.gridlink.kernel.support.web;

/**
 * Something a request names that this node does not have (a dead letter that does not wait here, an Open311 service
 * it does not offer): 404 problem+json saying so ({@link ApiProblems}), not the answer for a path no endpoint takes.
 */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String message) {
        super(message);
    }
}
