package org.opentokgateway.intake;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * First step of the intake route: keeps the request's exact bytes and its headers (without
 * credentials) as exchange properties, before any later step replaces them. Route:
 * {@code callback-intake}.
 */
public class CaptureRequestProcessor implements Processor {

    /** Property set to true when the body is empty or only white space (a URL probe). */
    public static final String BLANK_BODY = "gatewayBlankBody";
    /** Property holding the request path, for logs written after the headers are replaced. */
    public static final String REQUEST_PATH = "gatewayRequestPath";

    private static final Set<String> NEVER_KEPT = Set.of(
            "authorization", "proxy-authorization", "cookie", "set-cookie");

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getMessage();
        byte[] body = in.getBody(byte[].class);
        if (body == null) {
            body = new byte[0];
        }

        exchange.setProperty(CallbackHeaders.RAW_BODY, body);
        exchange.setProperty(BLANK_BODY, isBlank(body));
        exchange.setProperty(CallbackHeaders.REQUEST_HEADER_MAP, requestHeaders(in));
        exchange.setProperty(CallbackHeaders.RECEIVED_AT, exchange.getClock().getCreated());
        exchange.setProperty(REQUEST_PATH, in.getHeader(Exchange.HTTP_PATH, String.class));
        in.setBody(body);
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    /** The HTTP request headers as text, credentials left out, Camel's own headers too. */
    private static Map<String, String> requestHeaders(Message in) {
        Map<String, String> kept = new LinkedHashMap<>();
        in.getHeaders().forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("camel") || NEVER_KEPT.contains(lower) || value == null) {
                return;
            }
            kept.put(name, String.valueOf(value));
        });
        return kept;
    }
}
