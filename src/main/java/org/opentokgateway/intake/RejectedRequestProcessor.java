package org.opentokgateway.intake;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Builds the record of a refused request for the rejected queue: the exact bytes received, the
 * reason, the status answered, the path and the request headers (never credentials). Route: {@code
 * rejected-request-store}.
 */
public class RejectedRequestProcessor implements Processor {

    /** Exchange property: the short reason for the refusal. */
    public static final String REASON = "gatewayReason";

    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    public void process(Exchange exchange) throws JsonProcessingException {
        byte[] body = exchange.getProperty(CallbackHeaders.RAW_BODY, byte[].class);
        Map<?, ?> requestHeaders =
                exchange.getProperty(CallbackHeaders.REQUEST_HEADER_MAP, Map.class);
        String path = exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class);
        Object remote = exchange.getProperty(CallbackHeaders.REMOTE_ADDRESS_PROPERTY);
        String outcome = exchange.getProperty(CallbackHeaders.OUTCOME, String.class);

        Message message = exchange.getMessage();
        message.getHeaders().clear();
        message.setHeader(
                CallbackHeaders.REJECT_REASON, exchange.getProperty(REASON, String.class));
        message.setHeader(CallbackHeaders.REJECT_STATUS, GatewayAnswers.statusOf(outcome));
        message.setHeader(CallbackHeaders.PATH, path);
        message.setHeader(
                CallbackHeaders.RECEIVED_AT, exchange.getProperty(CallbackHeaders.RECEIVED_AT));
        if (remote != null) {
            message.setHeader(CallbackHeaders.REMOTE_ADDRESS, remote.toString());
        }
        if (requestHeaders != null) {
            message.setHeader(
                    CallbackHeaders.REQUEST_HEADERS, mapper.writeValueAsString(requestHeaders));
        }
        message.setBody(body == null ? new byte[0] : body);
    }
}
