package org.opentokgateway.security;

import org.opentokgateway.intake.GatewayAnswers;
import org.opentokgateway.intake.RefusedRequestException;

/** A callback whose signature failed verification while signatures are enforced: 401. */
public class UnauthorizedCallbackException extends RefusedRequestException {

    private static final long serialVersionUID = 1L;

    public UnauthorizedCallbackException(String reason) {
        super(GatewayAnswers.UNAUTHORIZED, reason);
    }
}
