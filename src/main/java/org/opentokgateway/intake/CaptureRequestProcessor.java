package org.opentokgateway.intake;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.opentokgateway.LogText;

/**
 * First step of the intake route: keeps the request's exact bytes, its headers (without
 * credentials), its path name and its credential as exchange properties, before any later step
 * replaces them. Route: {@code callback-intake}.
 */
public class CaptureRequestProcessor implements Processor {

    /** Property set to true when the body is empty or only white space (a URL probe). */
    public static final String BLANK_BODY = "gatewayBlankBody";

    /** Property holding the request path, escaped for the log lines written after the capture. */
    public static final String REQUEST_PATH = "gatewayRequestPath";

    private static final String CALLBACK_PREFIX = "/callbacks/";

    private static final Set<String> NEVER_KEPT =
            Set.of("authorization", "proxy-authorization", "cookie", "set-cookie");

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getMessage();
        byte[] body = in.getBody(byte[].class);
        if (body == null) {
            body = new byte[0];
        }
        String path = requestPath(in);
        // Camel puts path parameters, query parameters and request headers in one map, so a
        // client's "name" header or query parameter would pose as the {name} path parameter:
        // the path name comes from the request path only, and "name" is dropped before the
        // request's headers are kept.
        in.removeHeader("name");

        exchange.setProperty(CallbackHeaders.RAW_BODY, body);
        exchange.setProperty(BLANK_BODY, isBlank(body));
        exchange.setProperty(CallbackHeaders.REQUEST_HEADER_MAP, requestHeaders(in));
        exchange.setProperty(CallbackHeaders.RECEIVED_AT, exchange.getClock().getCreated());
        Object remote = in.getHeader("CamelVertxPlatformHttpRemoteAddress");
        if (remote != null) {
            exchange.setProperty(CallbackHeaders.REMOTE_ADDRESS_PROPERTY, remote.toString());
        }
        exchange.setProperty(REQUEST_PATH, LogText.escape(path));
        exchange.setProperty(CallbackHeaders.PATH_NAME, pathName(path));
        exchange.setProperty(CallbackHeaders.CREDENTIAL, credential(in));

        in.removeHeader("Authorization");
        in.removeHeader("Proxy-Authorization");
        in.setBody(body);
    }

    /** The request path as the HTTP server normalised it (Camel drops client Camel* headers). */
    private static String requestPath(Message in) {
        String path = in.getHeader(Exchange.HTTP_PATH, String.class);
        return path == null ? "" : path;
    }

    /** The lower-cased segment after {@code /callbacks/}, e.g. {@code archive}. */
    static String pathName(String path) {
        int start =
                path.startsWith(CALLBACK_PREFIX)
                        ? CALLBACK_PREFIX.length()
                        : path.lastIndexOf('/') + 1;
        String name = path.substring(start);
        while (name.endsWith("/")) {
            name = name.substring(0, name.length() - 1);
        }
        return name.toLowerCase(Locale.ROOT);
    }

    /** The Authorization header, only when the request carries exactly one. */
    private static RequestCredential credential(Message in) {
        Object value = in.getHeader("Authorization");
        return new RequestCredential(value instanceof String text ? text : null);
    }

    /** Empty, or only white space, optionally after a UTF-8 byte order mark. */
    private static boolean isBlank(byte[] body) {
        int start = 0;
        if (body.length >= 3
                && (body[0] & 0xFF) == 0xEF
                && (body[1] & 0xFF) == 0xBB
                && (body[2] & 0xFF) == 0xBF) {
            start = 3;
        }
        for (int i = start; i < body.length; i++) {
            byte b = body[i];
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    /** The HTTP request headers as text, credentials left out, Camel's own headers too. */
    private static Map<String, String> requestHeaders(Message in) {
        Map<String, String> kept = new LinkedHashMap<>();
        in.getHeaders()
                .forEach(
                        (name, value) -> {
                            String lower = name.toLowerCase(Locale.ROOT);
                            if (lower.startsWith("camel")
                                    || NEVER_KEPT.contains(lower)
                                    || value == null) {
                                return;
                            }
                            kept.put(name, RequestHeaders.joined(value));
                        });
        return kept;
    }
}
