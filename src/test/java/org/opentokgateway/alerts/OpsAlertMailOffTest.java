package org.opentokgateway.alerts;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentokgateway.support.RunningGateway;
import org.opentokgateway.support.RunningGateway.ReceivedMessage;

/**
 * With no SMTP host (the default), alerts stay on the alert queue for other tools; nothing fails.
 */
class OpsAlertMailOffTest {

    private RunningGateway gateway;

    @BeforeEach
    void start() throws Exception {
        gateway =
                RunningGateway.start(
                        Map.of(
                                "gateway.alerts.flush-interval-ms", "200",
                                "gateway.alerts.log-interval-ms", "200",
                                "gateway.alerts.rejected-burst.threshold", "3"));
    }

    @AfterEach
    void stop() throws Exception {
        gateway.closeAndDelete();
    }

    @Test
    void should_keep_alerts_on_the_queue_when_no_smtp_host_is_set() throws Exception {
        AlertTestSupport.publish(
                gateway,
                OpsAlert.of(
                        AlertKinds.ARCHIVE_EXPIRED,
                        OpsAlert.WARNING,
                        "Archive a-2 expired",
                        Map.of("archiveId", "a-2")));
        byte[] invalid = "[1,2]".getBytes(StandardCharsets.UTF_8);

        for (int i = 0; i < 3; i++) {
            assertEquals(400, gateway.postJson("/callbacks/session", invalid).statusCode());
        }

        await("both alerts on the queue")
                .atMost(Duration.ofSeconds(20))
                .until(() -> gateway.depth(AlertTestSupport.ALERT_QUEUE) == 2);
        var routes = gateway.context().getRouteController();
        assertEquals(ServiceStatus.Stopped, routes.getRouteStatus("ops-alert-mail"));
        assertEquals(ServiceStatus.Started, routes.getRouteStatus("ops-alert-log"));
        // The log route browses the queue several times meanwhile and takes nothing off it.
        Thread.sleep(1_000);
        assertEquals(2, gateway.depth(AlertTestSupport.ALERT_QUEUE));
        assertEquals(0, gateway.depth("opentok.ops.mail"));
        List<OpsAlert> alerts =
                gateway.drain(AlertTestSupport.ALERT_QUEUE).stream()
                        .map(ReceivedMessage::body)
                        .map(bytes -> OpsAlert.fromJson(new String(bytes, StandardCharsets.UTF_8)))
                        .collect(Collectors.toList());
        assertEquals(AlertKinds.ARCHIVE_EXPIRED, alerts.get(0).kind());
        OpsAlert burst = alerts.get(1);
        assertEquals(AlertKinds.REJECTED_BURST, burst.kind());
        assertEquals(OpsAlert.WARNING, burst.severity());
        assertEquals(3, burst.count());
        assertTrue(burst.subject().startsWith("3 requests refused"), burst.subject());
        assertEquals(3, ((Number) burst.details().get("refusalsInWindow")).intValue());
    }
}
