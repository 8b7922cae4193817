package org.opentokgateway.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.net.SocketAddress;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opentokgateway.support.RunningGateway;

/**
 * The admin endpoints end to end: a request that went through a proxy is not local, and a wrong
 * method is answered in JSON like any other refusal.
 */
class AdminGuardRouteTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static RunningGateway gateway;

    @BeforeAll
    static void startGateway() throws Exception {
        gateway = RunningGateway.start(Map.of("gateway.http.forwarded-header", "X-Client-Address"));
    }

    @AfterAll
    static void stopGateway() throws Exception {
        gateway.closeAndDelete();
    }

    @Test
    void should_answer_the_queue_report_to_a_local_request_without_forwarded_headers()
            throws Exception {
        HttpResponse<String> answer = send("GET", "/admin/queues", null, null);

        assertEquals(200, answer.statusCode(), answer.body());
        assertTrue(JSON.readTree(answer.body()).has("queues"), answer.body());
    }

    @Test
    void should_refuse_admin_requests_that_carry_a_forwarded_header_with_403_json()
            throws Exception {
        List<String[]> forwarded =
                List.of(
                        new String[] {"X-Forwarded-For", "203.0.113.9"},
                        new String[] {"Forwarded", "for=203.0.113.9"},
                        new String[] {"X-Real-IP", "203.0.113.9"},
                        new String[] {"X-Client-Address", "203.0.113.9"});

        for (String[] header : forwarded) {
            HttpResponse<String> report = send("GET", "/admin/queues", header[0], header[1]);
            HttpResponse<String> replay =
                    send("POST", "/admin/dlq/opentok.archive.events/replay", header[0], header[1]);

            assertForbidden(report, header[0]);
            assertForbidden(replay, header[0]);
        }
    }

    @Test
    void should_answer_a_wrong_method_on_the_admin_endpoints_with_405_json() throws Exception {
        HttpResponse<String> postReport = send("POST", "/admin/queues", null, null);
        HttpResponse<String> getReplay =
                send("GET", "/admin/dlq/opentok.archive.events/replay", null, null);

        assertEquals(405, postReport.statusCode());
        assertEquals("method-not-allowed", outcome(postReport));
        assertEquals("GET", postReport.headers().firstValue("Allow").orElse(null));
        assertEquals(405, getReplay.statusCode());
        assertEquals("method-not-allowed", outcome(getReplay));
        assertEquals("POST", getReplay.headers().firstValue("Allow").orElse(null));
    }

    @Test
    void should_let_forwarded_requests_through_when_remote_admin_is_allowed() throws Exception {
        AdminRequestGuard open = new AdminRequestGuard(true, "X-Forwarded-For");
        AdminRequestGuard closed = new AdminRequestGuard(false, "X-Forwarded-For");

        Exchange viaOpen = forwardedGet();
        open.allowGet(viaOpen);
        Exchange viaClosed = forwardedGet();
        closed.allowGet(viaClosed);

        assertFalse(viaOpen.isRouteStop());
        assertTrue(viaClosed.isRouteStop());
        assertEquals(403, viaClosed.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE));
    }

    private static Exchange forwardedGet() {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage()
                .setHeader(
                        "CamelVertxPlatformHttpRemoteAddress",
                        SocketAddress.inetSocketAddress(40000, "127.0.0.1"));
        exchange.getMessage().setHeader(Exchange.HTTP_METHOD, "GET");
        exchange.getMessage().setHeader("X-Forwarded-For", "203.0.113.9");
        return exchange;
    }

    private static void assertForbidden(HttpResponse<String> answer, String header)
            throws Exception {
        assertEquals(403, answer.statusCode(), header + ": " + answer.body());
        assertEquals("forbidden", outcome(answer), header);
        String type = answer.headers().firstValue("Content-Type").orElse("");
        assertTrue(type.startsWith("application/json"), type);
    }

    private static String outcome(HttpResponse<String> answer) throws Exception {
        JsonNode body = JSON.readTree(answer.body());
        return body.path("outcome").asText();
    }

    private static HttpResponse<String> send(
            String method, String path, String header, String value) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                        .method(
                                method,
                                "POST".equals(method)
                                        ? HttpRequest.BodyPublishers.ofString("")
                                        : HttpRequest.BodyPublishers.noBody());
        if (header != null) {
            request.header(header, value);
        }
        return gateway.send(request.build());
    }
}
