package org.opentokgateway.intake;

/**
 * The Authorization header of a callback request, held apart from the message headers so that it
 * never travels to a queue; its text form hides the value, so a log never shows it.
 */
public final class RequestCredential {

    private final String value;

    public RequestCredential(String value) {
        this.value = value;
    }

    /** The header as received (for example {@code Bearer eyJ...}), or null. */
    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return "[credential hidden]";
    }
}
