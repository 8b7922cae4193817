package org.opentokgateway.admin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.net.SocketAddress;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The one gate in front of the admin endpoints: a request is local when its socket peer is
 * 127.0.0.1 or ::1 and it carries no forwarded header (a reverse proxy on this host forwards remote
 * clients from a loopback address). Other requests get 403 unless {@code
 * gateway.admin.allow-remote} is true; a wrong method gets 405. Both in JSON, and the route stops
 * there. Routes: {@code queue-report}, {@code dlq-replay}.
 */
public class AdminRequestGuard {

    /** Headers a proxy adds; any of them means the request did not start on this host. */
    private static final List<String> FORWARDED_HEADERS =
            List.of("X-Forwarded-For", "Forwarded", "X-Real-IP");

    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "0:0:0:0:0:0:0:1", "::1");

    private final ObjectMapper mapper = new ObjectMapper();
    private final boolean allowRemote;
    private final List<String> forwardedHeaders;

    /**
     * @param allowRemote whether other hosts may use the admin endpoints
     * @param forwardedHeader the configured {@code gateway.http.forwarded-header}, checked too
     */
    public AdminRequestGuard(boolean allowRemote, String forwardedHeader) {
        this.allowRemote = allowRemote;
        this.forwardedHeaders =
                forwardedHeader == null || forwardedHeader.isBlank()
                        ? FORWARDED_HEADERS
                        : java.util.stream.Stream.concat(
                                        FORWARDED_HEADERS.stream(),
                                        java.util.stream.Stream.of(forwardedHeader.trim()))
                                .toList();
    }

    /** Lets a local GET through; answers anything else and stops the route. */
    public void allowGet(Exchange exchange) throws JsonProcessingException {
        check(exchange, "GET");
    }

    /** Lets a local POST through; answers anything else and stops the route. */
    public void allowPost(Exchange exchange) throws JsonProcessingException {
        check(exchange, "POST");
    }

    /** Whether a request counts as coming from this host. */
    public boolean isLocal(Message message) {
        Object remote = message.getHeader("CamelVertxPlatformHttpRemoteAddress");
        String peer = remote instanceof SocketAddress socket ? socket.hostAddress() : null;
        if (peer == null || !LOOPBACK.contains(peer.toLowerCase(Locale.ROOT))) {
            return false;
        }
        return forwardedHeaders.stream().noneMatch(name -> message.getHeader(name) != null);
    }

    private void check(Exchange exchange, String method) throws JsonProcessingException {
        Message message = exchange.getMessage();
        if (!allowRemote && !isLocal(message)) {
            refuse(
                    exchange,
                    403,
                    "forbidden",
                    "the admin endpoints answer local requests only",
                    null);
        } else if (!method.equals(message.getHeader(Exchange.HTTP_METHOD, String.class))) {
            refuse(
                    exchange,
                    405,
                    "method-not-allowed",
                    "this endpoint answers " + method + " only",
                    method);
        }
    }

    private void refuse(Exchange exchange, int status, String outcome, String reason, String allow)
            throws JsonProcessingException {
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        if (allow != null) {
            message.setHeader("Allow", allow);
        }
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("outcome", outcome);
        answer.put("reason", reason);
        message.setBody(mapper.writeValueAsString(answer));
        exchange.setRouteStop(true);
    }
}
