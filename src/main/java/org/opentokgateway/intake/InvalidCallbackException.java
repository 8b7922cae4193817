package org.opentokgateway.intake;

/**
 * A request body the gateway refuses with 400: not UTF-8, not JSON, or JSON that is not an object.
 * The message is a short reason that is safe to send back and to log.
 */
public class InvalidCallbackException extends RefusedRequestException {

    private static final long serialVersionUID = 1L;

    public InvalidCallbackException(String reason) {
        super(GatewayAnswers.REJECTED, reason);
    }
}
