package org.opentokgateway.startup;

/**
 * A start-up check failed: the gateway must not run; the message is one line for the operator
 * naming what is wrong and the property to change.
 */
public class StartupCheckException extends IllegalStateException {

    public StartupCheckException(String message) {
        super(message);
    }

    public StartupCheckException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The first start-up check failure among a failure and its causes, or null. */
    public static StartupCheckException findIn(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof StartupCheckException found) {
                return found;
            }
        }
        return null;
    }
}
