package org.opentokgateway.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentokgateway.support.RunningGateway;
import org.opentokgateway.support.RunningGateway.ReceivedMessage;

/** Group commit under concurrency: every callback answered 200 is on its queue exactly once. */
class CallbackStoreTest {

    private static final int CALLBACKS = 600;
    private static final int SENDERS = 32;

    private RunningGateway gateway;

    @BeforeEach
    void start() throws Exception {
        gateway = RunningGateway.start(Map.of());
    }

    @AfterEach
    void stop() throws Exception {
        gateway.closeAndDelete();
    }

    @Test
    void should_store_each_of_many_concurrent_callbacks_exactly_once() throws Exception {
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        List<Future<Integer>> answers = new ArrayList<>();

        for (int i = 0; i < CALLBACKS; i++) {
            byte[] body = connectionCreated("c-" + i);
            answers.add(
                    senders.submit(
                            () -> gateway.postJson("/callbacks/session", body).statusCode()));
        }
        for (Future<Integer> answer : answers) {
            assertEquals(200, answer.get());
        }
        senders.shutdown();

        List<ReceivedMessage> stored = gateway.drain("opentok.connection.events");
        Set<String> ids = new HashSet<>();
        stored.forEach(m -> ids.add(m.header("connectionId")));
        assertEquals(CALLBACKS, stored.size());
        assertEquals(CALLBACKS, ids.size());
    }

    private static byte[] connectionCreated(String id) {
        return ("{\"sessionId\":\"s-1\",\"projectId\":\"1\",\"event\":\"connectionCreated\","
                        + "\"timestamp\":1470257688309,\"connection\":{\"id\":\""
                        + id
                        + "\",\"data\":\"\"}}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
