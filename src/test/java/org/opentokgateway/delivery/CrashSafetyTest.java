package org.opentokgateway.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentokgateway.support.GatewayProcess;
import org.opentokgateway.support.RunningGateway;

/**
 * The gateway as a separate process, killed (SIGKILL) and stopped (SIGTERM) while callbacks arrive:
 * every callback answered 200 is on its queue afterwards. Prints the figures.
 */
class CrashSafetyTest {

    private static final String QUEUE = "opentok.connection.events";
    private static final int SENDERS = 4;
    private static final int CALLBACKS_PER_SENDER = 100;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Path dataDir;
    private Path log;
    private int httpPort;
    private int brokerPort;
    private GatewayProcess gateway;

    @BeforeEach
    void prepare() throws Exception {
        dataDir = Files.createTempDirectory("gateway-crash-");
        log = Path.of("target", "crash-safety-gateway.log");
        httpPort = RunningGateway.freePort();
        brokerPort = RunningGateway.freePort();
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (gateway != null) {
            gateway.kill();
        }
        try (var files = Files.walk(dataDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void should_keep_every_callback_through_two_kills_when_the_sender_retries() throws Exception {
        gateway = GatewayProcess.start(dataDir, httpPort, brokerPort, log);
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger failedTries = new AtomicInteger();
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        List<Future<?>> running = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 150_000;
        for (int s = 0; s < SENDERS; s++) {
            int sender = s;
            running.add(
                    senders.submit(
                            () -> {
                                for (int i = 0; i < CALLBACKS_PER_SENDER; i++) {
                                    postUntil200(
                                            callback("crash-" + sender + "-" + i),
                                            deadline,
                                            failedTries);
                                    answered.incrementAndGet();
                                }
                                return null;
                            }));
        }

        int total = SENDERS * CALLBACKS_PER_SENDER;
        for (int kill = 1; kill <= 2; kill++) {
            int threshold = total * kill / 3;
            while (answered.get() < threshold && System.currentTimeMillis() < deadline) {
                Thread.sleep(5);
            }
            gateway.kill();
            gateway = GatewayProcess.start(dataDir, httpPort, brokerPort, log);
        }
        for (Future<?> sender : running) {
            sender.get(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
        }
        senders.shutdownNow();

        Map<String, Integer> copies = drainConnectionIds();
        int stored = copies.values().stream().mapToInt(Integer::intValue).sum();
        int duplicates = stored - copies.size();
        System.out.printf(
                "crash-safety: %d callbacks, 2 SIGKILLs, %d failed tries retried, "
                        + "%d messages stored, %d missing, %d duplicates%n",
                total, failedTries.get(), stored, total - copies.size(), duplicates);
        assertEquals(total, answered.get());
        for (int s = 0; s < SENDERS; s++) {
            for (int i = 0; i < CALLBACKS_PER_SENDER; i++) {
                assertTrue(
                        copies.containsKey("crash-" + s + "-" + i),
                        "crash-" + s + "-" + i + " is lost");
            }
        }
    }

    @Test
    void should_finish_requests_in_flight_on_sigterm_and_lose_none_answered_200() throws Exception {
        gateway = GatewayProcess.start(dataDir, httpPort, brokerPort, log);
        Set<String> answered200 = ConcurrentHashMap.newKeySet();
        AtomicInteger answeredAfterSigterm = new AtomicInteger();
        AtomicInteger droppedInFlight = new AtomicInteger();
        Map<Integer, Integer> otherStatuses = new ConcurrentHashMap<>();
        AtomicBoolean sigtermSent = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        List<Future<?>> running = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            int sender = s;
            running.add(
                    senders.submit(
                            () -> {
                                for (int i = 0; !stop.get() && i < 100_000; i++) {
                                    String id = "term-" + sender + "-" + i;
                                    boolean afterSigterm = sigtermSent.get();
                                    try {
                                        int status = post(callback(id));
                                        if (status == 200) {
                                            answered200.add(id);
                                            if (afterSigterm || sigtermSent.get()) {
                                                answeredAfterSigterm.incrementAndGet();
                                            }
                                        } else {
                                            otherStatuses.merge(status, 1, Integer::sum);
                                        }
                                    } catch (ConnectException e) {
                                        return null;
                                    } catch (IOException e) {
                                        droppedInFlight.incrementAndGet();
                                        return null;
                                    }
                                }
                                return null;
                            }));
        }
        Thread.sleep(1500);

        sigtermSent.set(true);
        int exit = gateway.terminate(30_000);
        gateway = null;
        stop.set(true);
        for (Future<?> sender : running) {
            sender.get(30, TimeUnit.SECONDS);
        }
        senders.shutdownNow();
        gateway = GatewayProcess.start(dataDir, httpPort, brokerPort, log);
        Map<String, Integer> copies = drainConnectionIds();

        System.out.printf(
                "graceful-shutdown: exit %d, %d answered 200 (%d after SIGTERM was sent), "
                        + "%d connections dropped mid-request, other answers %s, %d stored%n",
                exit,
                answered200.size(),
                answeredAfterSigterm.get(),
                droppedInFlight.get(),
                otherStatuses,
                copies.size());
        assertNotEquals(-1, exit, "the gateway did not stop within 30 s of SIGTERM");
        assertTrue(answered200.size() > 0);
        for (String id : answered200) {
            assertTrue(copies.containsKey(id), id + " was answered 200 but is not stored");
        }
    }

    private void postUntil200(byte[] body, long deadline, AtomicInteger failedTries)
            throws Exception {
        while (System.currentTimeMillis() < deadline) {
            try {
                if (post(body) == 200) {
                    return;
                }
            } catch (IOException e) {
                // No answer: the platform would send it again, so do we.
            }
            failedTries.incrementAndGet();
            Thread.sleep(100);
        }
        throw new IllegalStateException("no 200 before the deadline");
    }

    private int post(byte[] body) throws IOException, InterruptedException {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/callbacks/session"))
                        .timeout(Duration.ofSeconds(5))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static byte[] callback(String connectionId) {
        return ("{\"sessionId\":\"crash-session\",\"projectId\":\"1\","
                        + "\"event\":\"connectionCreated\","
                        + "\"timestamp\":1470257688309,\"connection\":{\"id\":\""
                        + connectionId
                        + "\",\"createdAt\":1470257688143,\"data\":\"\"}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Every message on the connection queue, counted by connection id (from its dedupKey). */
    private Map<String, Integer> drainConnectionIds() throws Exception {
        Map<String, Integer> copies = new HashMap<>();
        ActiveMQConnectionFactory factory =
                new ActiveMQConnectionFactory("tcp://127.0.0.1:" + brokerPort);
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(QUEUE));
            Message message = consumer.receive(5000);
            while (message != null) {
                String key = message.getStringProperty("dedupKey");
                copies.merge(key.substring(key.indexOf('|') + 1), 1, Integer::sum);
                message = consumer.receive(2000);
            }
        }
        return copies;
    }
}
