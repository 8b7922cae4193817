package org.opentokgateway.intake;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Writes the HTTP answer for the outcome the intake route decided: the status code and a short JSON
 * body. Clears every other header first, so nothing from the request or the queue is echoed back.
 * Route: {@code callback-intake}.
 */
public class GatewayAnswers implements Processor {

    public static final String STORED = "stored";

    /** A repeat of a callback stored before: answered 200, not stored again. */
    public static final String DUPLICATE = "duplicate";

    public static final String PROBE = "probe";
    public static final String REJECTED = "rejected";
    public static final String UNAUTHORIZED = "unauthorized";
    public static final String FORBIDDEN = "forbidden";
    public static final String METHOD_NOT_ALLOWED = "method-not-allowed";
    public static final String TOO_LARGE = "too-large";
    public static final String NOT_FOUND = "not-found";
    public static final String STORE_FAILED = "store-failed";

    private final ObjectMapper mapper = new ObjectMapper();

    /** The HTTP status for an outcome. */
    public static int statusOf(String outcome) {
        if (outcome == null) {
            return 503;
        }
        switch (outcome) {
            case STORED:
            case DUPLICATE:
            case PROBE:
                return 200;
            case REJECTED:
                return 400;
            case UNAUTHORIZED:
                return 401;
            case FORBIDDEN:
                return 403;
            case NOT_FOUND:
                return 404;
            case METHOD_NOT_ALLOWED:
                return 405;
            case TOO_LARGE:
                return 413;
            default:
                return 503;
        }
    }

    /** The JSON body answered for an outcome, with an optional family and reason. */
    public String body(String outcome, String family, String reason)
            throws JsonProcessingException {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("outcome", outcome);
        if (family != null) {
            answer.put("family", family);
        }
        if (reason != null) {
            answer.put("reason", reason);
        }
        return mapper.writeValueAsString(answer);
    }

    @Override
    public void process(Exchange exchange) throws JsonProcessingException {
        String outcome = exchange.getProperty(CallbackHeaders.OUTCOME, STORE_FAILED, String.class);
        String family =
                STORED.equals(outcome) || DUPLICATE.equals(outcome)
                        ? exchange.getProperty(CallbackHeaders.FAMILY_LABEL, String.class)
                        : null;
        String reason = exchange.getProperty(RejectedRequestProcessor.REASON, String.class);
        int status = statusOf(outcome);

        Message message = exchange.getMessage();
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        if (status == 405) {
            message.setHeader("Allow", "POST");
        }
        if (status == 401) {
            message.setHeader("WWW-Authenticate", "Bearer");
        }
        if (status == 503) {
            message.setHeader("Retry-After", "5");
        }
        message.setBody(body(outcome, family, reason));
    }
}
