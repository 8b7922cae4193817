package org.opentokgateway.health;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentokgateway.broker.EmbeddedBroker;
import org.opentokgateway.support.ExternalBroker;
import org.opentokgateway.support.RunningGateway;

/**
 * Readiness on the management port follows the broker: DOWN while it cannot be reached, UP again by
 * itself once it is back, while liveness stays UP throughout.
 */
class ReadinessTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String READY = "/observe/health/ready";
    private static final String LIVE = "/observe/health/live";

    private RunningGateway gateway;
    private ExternalBroker broker;

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.closeAndDelete();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void should_be_down_while_the_external_broker_is_gone_and_up_again_without_a_restart()
            throws Exception {
        broker = ExternalBroker.start();
        gateway =
                RunningGateway.start(
                        Map.of(
                                "gateway.broker.url", broker.url(),
                                "gateway.broker.send-timeout-ms", "1500",
                                "gateway.health.store-failure-window-ms", "2000"));
        awaitStatus(READY, 200);
        assertEquals(200, gateway.postJson("/callbacks/session", sessionCreated(1)).statusCode());

        broker.kill();

        awaitStatus(READY, 503);
        HttpResponse<String> ready = gateway.getManagement(READY);
        assertTrue(ready.body().contains("cannot connect to the broker"), ready.body());
        assertEquals(200, gateway.getManagement(LIVE).statusCode());
        assertEquals(503, gateway.postJson("/callbacks/session", sessionCreated(2)).statusCode());

        broker.startAgain();

        awaitStatus(READY, 200);
        assertTrue(gateway.getManagement(READY).body().contains("\"UP\""));
        assertEquals(200, gateway.postJson("/callbacks/session", sessionCreated(2)).statusCode());
    }

    @Test
    void should_be_down_while_the_embedded_broker_is_stopped_and_live_all_the_same()
            throws Exception {
        gateway = RunningGateway.start(Map.of("gateway.broker.send-timeout-ms", "1500"));
        awaitStatus(READY, 200);
        EmbeddedBroker embedded =
                gateway.context()
                        .getRegistry()
                        .lookupByNameAndType("embeddedBroker", EmbeddedBroker.class);

        embedded.stop();

        awaitStatus(READY, 503);
        assertTrue(gateway.getManagement(READY).body().contains("embedded broker is not running"));
        assertEquals(200, gateway.getManagement(LIVE).statusCode());
    }

    @Test
    void should_be_down_while_stores_fail_with_the_broker_up_and_up_again_after_the_window()
            throws Exception {
        // A 1 MiB store fills after a few large callbacks; the broker then refuses the rest.
        gateway =
                RunningGateway.start(
                        Map.of(
                                "gateway.broker.embedded.store-limit-mb", "1",
                                "gateway.health.store-failures", "3",
                                "gateway.health.store-failure-window-ms", "3000"));
        awaitStatus(READY, 200);
        int failedInARow = 0;

        for (int i = 0; i < 40 && failedInARow < 3; i++) {
            int status = gateway.postJson("/callbacks/session", largeCallback(i)).statusCode();
            failedInARow = status == 503 ? failedInARow + 1 : 0;
        }

        assertEquals(3, failedInARow, "the store never filled up");
        HttpResponse<String> ready = gateway.getManagement(READY);
        assertEquals(503, ready.statusCode(), ready.body());
        assertTrue(ready.body().contains("callback-store"), ready.body());
        assertEquals(200, gateway.getManagement(LIVE).statusCode());
        awaitStatus(READY, 200);
    }

    /** A connectionCreated callback of about 200 KB (connection data is free text). */
    /** Each call a callback of its own, so that de-duplication stores every one. */
    private static byte[] largeCallback(int id) {
        String data = "x".repeat(200 * 1024);
        return ("{\"sessionId\":\"2_MX4xfn5-\",\"projectId\":\"123456\",\"event\":"
                    + "\"connectionCreated\",\"timestamp\":1470257688309,\"connection\":{\"id\":"
                    + "\"c-"
                        + id
                        + "\",\"createdAt\":1470257688143,\"data\":\""
                        + data
                        + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private void awaitStatus(String path, int status) {
        await("GET " + path + " answering " + status)
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> gateway.getManagement(path).statusCode() == status);
    }

    /** A sessionCreated callback of its own for each timestamp, so none is a repeat. */
    private static byte[] sessionCreated(long timestamp) {
        return ("{\"sessionId\":\"2_MX4xfn5-\",\"projectId\":\"123456\","
                        + "\"event\":\"sessionCreated\","
                        + "\"timestamp\":"
                        + timestamp
                        + "}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
