package org.opentokgateway.delivery;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opentokgateway.support.RunningGateway;
import org.opentokgateway.support.RunningGateway.ReceivedMessage;

/**
 * Consumers retry with back-off, then the broker moves the message to DLQ.<queue> with its headers
 * and the failure cause; the admin endpoint moves dead letters back.
 */
class DeadLetterRouteTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FAILING = "test.dlq.failing";
    private static final int MAX_REDELIVERIES = 2;

    private static final AtomicInteger ATTEMPTS = new AtomicInteger();
    private static final List<Long> ATTEMPT_TIMES =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private static final AtomicBoolean FAIL = new AtomicBoolean(true);

    private static RunningGateway gateway;

    @BeforeAll
    static void startGateway() throws Exception {
        gateway =
                RunningGateway.start(
                        Map.of(
                                "gateway.redelivery.max-redeliveries",
                                        String.valueOf(MAX_REDELIVERIES),
                                "gateway.redelivery.initial-delay-ms", "100",
                                "gateway.redelivery.max-delay-ms", "400",
                                "gateway.rejected.time-to-live-ms", "300"));
        gateway.context()
                .addRoutes(
                        new RouteBuilder() {
                            @Override
                            public void configure() {
                                from("jms:queue:" + FAILING + "?transacted=true")
                                        .routeId("test-always-failing")
                                        .routeConfigurationId("queue-consumer-errors")
                                        .process(
                                                exchange -> {
                                                    ATTEMPTS.incrementAndGet();
                                                    ATTEMPT_TIMES.add(System.nanoTime());
                                                    if (FAIL.get()) {
                                                        throw new IllegalStateException(
                                                                "the consumer is broken on"
                                                                        + " purpose");
                                                    }
                                                });
                            }
                        });
    }

    @AfterAll
    static void stopGateway() throws Exception {
        gateway.closeAndDelete();
    }

    @Test
    void should_move_a_message_to_its_dead_letter_queue_with_headers_after_the_retries()
            throws Exception {
        ATTEMPTS.set(0);
        ATTEMPT_TIMES.clear();
        FAIL.set(true);

        send(
                FAILING,
                "{\"event\":\"archive\"}",
                Map.of("dedupKey", "a|uploaded|1", "archiveId", "a"));

        await().atMost(Duration.ofSeconds(20)).until(() -> gateway.depth("DLQ." + FAILING) == 1);
        assertEquals(1 + MAX_REDELIVERIES, ATTEMPTS.get(), "first delivery plus the redeliveries");
        // A lower bound only: the back-off waits 100 ms, then 200 ms; never less.
        long backOffMs =
                (ATTEMPT_TIMES.get(ATTEMPT_TIMES.size() - 1) - ATTEMPT_TIMES.get(0)) / 1_000_000;
        assertTrue(backOffMs >= 280, "retries came after " + backOffMs + " ms in all");
        List<ReceivedMessage> dead = gateway.drain("DLQ." + FAILING);
        assertEquals(1, dead.size());
        assertEquals("a|uploaded|1", dead.get(0).header("dedupKey"));
        assertEquals("a", dead.get(0).header("archiveId"));
        String cause = dead.get(0).header(DeadLetters.FAILURE_CAUSE);
        assertNotNull(cause);
        assertTrue(cause.contains("exceeds redelivery policy limit"), cause);
        assertEquals(0, gateway.depth(FAILING));
    }

    @Test
    void should_replay_dead_letters_to_their_queue_and_say_how_many_moved() throws Exception {
        String queue = "test.dlq.replay-all";
        send("DLQ." + queue, "one", Map.of("archiveId", "1"));
        send("DLQ." + queue, "two", Map.of("archiveId", "2"));

        HttpResponse<String> answer = replay(queue, "");

        assertEquals(200, answer.statusCode(), answer.body());
        JsonNode result = JSON.readTree(answer.body());
        assertEquals(2, result.get("moved").asInt());
        assertEquals(queue, result.get("queue").asText());
        assertEquals(0, gateway.depth("DLQ." + queue));
        List<ReceivedMessage> back = gateway.drain(queue);
        assertEquals(2, back.size());
        assertEquals("1", back.get(0).header("archiveId"), "headers travel back unchanged");
    }

    @Test
    void should_replay_only_the_dead_letters_a_selector_picks() throws Exception {
        String queue = "test.dlq.replay-some";
        send("DLQ." + queue, "one", Map.of("archiveId", "keep"));
        send("DLQ." + queue, "two", Map.of("archiveId", "move"));

        HttpResponse<String> answer = replay(queue, "?selector=archiveId%3D%27move%27");

        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals(1, JSON.readTree(answer.body()).get("moved").asInt());
        assertEquals("move", gateway.drain(queue).get(0).header("archiveId"));
        assertEquals("keep", gateway.drain("DLQ." + queue).get(0).header("archiveId"));
    }

    @Test
    void should_let_a_replayed_message_be_consumed_once_the_consumer_works_again()
            throws Exception {
        ATTEMPTS.set(0);
        FAIL.set(true);
        send(FAILING, "{}", Map.of("dedupKey", "k"));
        await().atMost(Duration.ofSeconds(20)).until(() -> gateway.depth("DLQ." + FAILING) == 1);

        FAIL.set(false);
        HttpResponse<String> answer = replay(FAILING, "");

        assertEquals(1, JSON.readTree(answer.body()).get("moved").asInt());
        await().atMost(Duration.ofSeconds(20)).until(() -> ATTEMPTS.get() == 2 + MAX_REDELIVERIES);
        await().atMost(Duration.ofSeconds(20)).until(() -> gateway.depth(FAILING) == 0);
        assertEquals(0, gateway.depth("DLQ." + FAILING));
    }

    @Test
    void should_refuse_a_bad_queue_name_or_selector_with_400() throws Exception {
        assertEquals(400, replay("DLQ.x", "").statusCode());
        assertEquals(400, replay("a%2A", "").statusCode());
        assertEquals(400, replay("test.dlq.any", "?selector=%3D%3D%3D").statusCode());
        assertEquals(400, replay("test.dlq.any", "?limit=none").statusCode());
    }

    @Test
    void should_drop_expired_rejected_requests_but_dead_letter_other_expired_messages()
            throws Exception {
        gateway.postJson(
                "/callbacks/session", "not json".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        send("test.dlq.expiring", "{}", Map.of("archiveId", "late"), 300);
        Thread.sleep(600);

        List<ReceivedMessage> rejected = gateway.drain("opentok.rejected");
        List<ReceivedMessage> expiring = gateway.drain("test.dlq.expiring");

        assertTrue(rejected.isEmpty() && expiring.isEmpty(), "expired messages are not delivered");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> gateway.depth("DLQ.test.dlq.expiring") == 1);
        assertEquals(0, gateway.depth("DLQ.opentok.rejected"));
    }

    private static HttpResponse<String> replay(String queue, String query) throws Exception {
        HttpRequest request =
                HttpRequest.newBuilder(
                                URI.create(
                                        gateway.baseUrl()
                                                + "/admin/dlq/"
                                                + queue
                                                + "/replay"
                                                + query))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build();
        return gateway.send(request);
    }

    private static void send(String queue, String body, Map<String, String> headers)
            throws Exception {
        send(queue, body, headers, 0);
    }

    private static void send(String queue, String body, Map<String, String> headers, long ttlMs)
            throws Exception {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(gateway.brokerUrl());
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue(queue));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            BytesMessage message = session.createBytesMessage();
            message.writeBytes(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            for (Map.Entry<String, String> header : headers.entrySet()) {
                message.setStringProperty(header.getKey(), header.getValue());
            }
            producer.send(message, DeliveryMode.PERSISTENT, 4, ttlMs);
        }
    }
}
