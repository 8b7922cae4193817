package org.opentokgateway.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.opentokgateway.support.RunningGateway;

/** While the intake route is not running, callback URLs get 503 JSON, never 404. */
class CallbackAvailabilityTest {

    private static final byte[] CALLBACK =
            "{\"event\":\"sessionCreated\",\"sessionId\":\"s-1\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void should_answer_503_while_the_intake_route_is_stopped() throws Exception {
        try (RunningGateway gateway = RunningGateway.start(Map.of())) {
            gateway.context().getRouteController().stopRoute("callback-intake");

            HttpResponse<String> answer = gateway.postJson("/callbacks/session", CALLBACK);

            assertEquals(503, answer.statusCode());
            assertEquals("5", answer.headers().firstValue("Retry-After").orElse(null));
            assertEquals(
                    "{\"outcome\":\"unavailable\",\"reason\":\"the gateway is starting or"
                            + " stopping\"}",
                    answer.body());
        }
    }

    @Test
    void should_store_callbacks_again_once_the_intake_route_runs_again() throws Exception {
        try (RunningGateway gateway = RunningGateway.start(Map.of())) {
            gateway.context().getRouteController().stopRoute("callback-intake");
            gateway.context().getRouteController().startRoute("callback-intake");

            HttpResponse<String> answer = gateway.postJson("/callbacks/session", CALLBACK);

            assertEquals(200, answer.statusCode(), answer.body());
        }
    }

    @Test
    void should_answer_503_before_the_routes_start() throws Exception {
        try (RunningGateway gateway =
                RunningGateway.start(Map.of("camel.main.auto-startup", "false"))) {

            HttpResponse<String> answer = gateway.postJson("/callbacks/session", CALLBACK);

            assertEquals(503, answer.statusCode(), answer.body());
        }
    }
}
