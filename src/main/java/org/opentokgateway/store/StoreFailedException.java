package org.opentokgateway.store;

/** A callback could not be stored durably; the intake route answers 503. */
public class StoreFailedException extends Exception {

    private static final long serialVersionUID = 1L;

    public StoreFailedException(String message) {
        super(message);
    }

    public StoreFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
