package org.opentokgateway.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentokgateway.support.ExternalBroker;
import org.opentokgateway.support.RunningGateway;

/**
 * The external broker, a second process, is killed while callbacks arrive and started again: the
 * gateway answers 503 meanwhile, recovers by itself, and every callback it answered 200 is on its
 * queue afterwards. Senders retry every request that got no 200, as the platform does.
 */
class ExternalBrokerOutageTest {

    private static final int CALLBACKS = 300;
    private static final int SENDERS = 4;
    private static final long SEND_DEADLINE_MS = 120_000;

    private ExternalBroker broker;
    private RunningGateway gateway;

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
    void should_lose_nothing_answered_200_while_the_external_broker_goes_down_and_back()
            throws Exception {
        broker = ExternalBroker.start();
        String brokerUrl = broker.url();
        gateway =
                RunningGateway.start(
                        Map.of(
                                "gateway.broker.url",
                                brokerUrl,
                                "gateway.broker.send-timeout-ms",
                                "1500"));
        Set<String> answered200 = ConcurrentHashMap.newKeySet();
        AtomicInteger refused = new AtomicInteger();
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);

        List<Future<?>> work = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            int sender = s;
            work.add(senders.submit(() -> send(sender, answered200, refused)));
        }
        awaitAnswered(answered200, CALLBACKS / 4);
        broker.kill();
        Thread.sleep(3000);
        broker.startAgain();
        for (Future<?> done : work) {
            done.get(SEND_DEADLINE_MS, TimeUnit.MILLISECONDS);
        }
        senders.shutdown();

        List<String> stored = storedConnectionIds(brokerUrl);
        Set<String> distinct = new HashSet<>(stored);
        assertEquals(CALLBACKS, answered200.size(), "every callback was answered 200 in the end");
        assertTrue(refused.get() > 0, "the outage was seen: some callbacks were answered 503");
        assertTrue(distinct.containsAll(answered200), "a callback answered 200 is missing");
        System.out.printf(
                "broker outage: %d callbacks, %d answers other than 200 retried, "
                        + "%d messages stored, %d duplicates%n",
                CALLBACKS, refused.get(), stored.size(), stored.size() - distinct.size());
    }

    /** Posts this sender's share of the callbacks, each until it is answered 200. */
    private void send(int sender, Set<String> answered200, AtomicInteger refused) {
        long deadline = System.currentTimeMillis() + SEND_DEADLINE_MS;
        for (int i = sender; i < CALLBACKS; i += SENDERS) {
            String id = "outage-" + i;
            while (System.currentTimeMillis() < deadline) {
                int status;
                try {
                    status =
                            gateway.postJson("/callbacks/session", connectionCreated(id))
                                    .statusCode();
                } catch (Exception e) {
                    status = -1;
                }
                if (status == 200) {
                    answered200.add(id);
                    break;
                }
                refused.incrementAndGet();
                pause(100);
            }
        }
    }

    private static void awaitAnswered(Set<String> answered200, int count)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (answered200.size() < count && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
    }

    private static List<String> storedConnectionIds(String brokerUrl) throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection connection = new ActiveMQConnectionFactory(brokerUrl).createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer =
                    session.createConsumer(session.createQueue("opentok.connection.events"));
            Message message = consumer.receive(5000);
            while (message != null) {
                ids.add(message.getStringProperty("connectionId"));
                message = consumer.receive(1000);
            }
        }
        return ids;
    }

    private static byte[] connectionCreated(String id) {
        return ("{\"sessionId\":\"outage-session\",\"projectId\":\"1\","
                        + "\"event\":\"connectionCreated\",\"timestamp\":1470257688309,"
                        + "\"connection\":{\"id\":\""
                        + id
                        + "\",\"data\":\"\"}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
