package org.opentokgateway.intake;

/**
 * A request the gateway refuses and keeps on the rejected queue. The outcome names the answer
 * ({@link GatewayAnswers}); the message is a short reason that never quotes the input.
 */
public class RefusedRequestException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String outcome;

    public RefusedRequestException(String outcome, String reason) {
        super(reason);
        this.outcome = outcome;
    }

    /** The outcome written to the answer and the access log: rejected, unauthorized, ... */
    public String getOutcome() {
        return outcome;
    }
}
