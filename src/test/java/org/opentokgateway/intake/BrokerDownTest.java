package org.opentokgateway.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentokgateway.broker.EmbeddedBroker;
import org.opentokgateway.support.RunningGateway;
import org.opentokgateway.support.Samples;

/** With the broker gone, no callback may be answered 200: the platform must retry it. */
class BrokerDownTest {

    private RunningGateway gateway;

    @BeforeEach
    void start() throws Exception {
        gateway = RunningGateway.start(Map.of("gateway.broker.send-timeout-ms", "1500"));
    }

    @AfterEach
    void stop() throws Exception {
        gateway.closeAndDelete();
    }

    @Test
    void should_answer_503_and_never_200_while_the_broker_is_stopped() throws Exception {
        byte[] stored =
                Files.readAllBytes(Samples.DIR.resolve("connection/connection-created-doc.json"));
        assertEquals(200, gateway.postJson("/callbacks/session", stored).statusCode());
        // A callback never stored before: a repeat of a stored one is rightly answered 200.
        byte[] body =
                Files.readAllBytes(Samples.DIR.resolve("connection/connection-destroyed-doc.json"));
        EmbeddedBroker broker =
                gateway.context()
                        .getRegistry()
                        .lookupByNameAndType("embeddedBroker", EmbeddedBroker.class);

        broker.stop();

        for (int i = 0; i < 5; i++) {
            long started = System.nanoTime();
            HttpResponse<String> answer = gateway.postJson("/callbacks/session", body);
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertEquals(503, answer.statusCode(), answer.body());
            assertTrue(answer.body().contains("store-failed"), answer.body());
            assertTrue(millis < 15_000, "503 came after " + millis + " ms");
        }
    }
}
