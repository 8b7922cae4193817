package org.opentokgateway.security;

import org.opentokgateway.intake.GatewayAnswers;
import org.opentokgateway.intake.RefusedRequestException;

/** A request from an address outside the allow-list: 403. */
public class ForbiddenSourceException extends RefusedRequestException {

    private static final long serialVersionUID = 1L;

    public ForbiddenSourceException(String reason) {
        super(GatewayAnswers.FORBIDDEN, reason);
    }
}
