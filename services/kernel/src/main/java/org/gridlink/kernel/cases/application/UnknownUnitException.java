package org.gridlink.kernel.cases.application;

/** The unit does not exist, or is not served by this node. */
public class UnknownUnitException extends RuntimeException {

    public UnknownUnitException(String message) {
        super(message);
    }
}
