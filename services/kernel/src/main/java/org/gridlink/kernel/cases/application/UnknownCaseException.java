package org.gridlink.kernel.cases.application;

/** This unit holds no record of the case. */
public class UnknownCaseException extends RuntimeException {

    public UnknownCaseException(String message) {
        super(message);
    }
}
