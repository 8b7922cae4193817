package org.opentokgateway.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentokgateway.broker.EmbeddedBroker;
import org.opentokgateway.support.RunningGateway;
import org.opentokgateway.support.RunningGateway.ReceivedMessage;
import org.opentokgateway.support.Samples;

/** Repeats of a callback are answered 200 each time and stored once, across restarts too. */
class DeduplicationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONNECTIONS = "opentok.connection.events";
    private static final String ARCHIVES = "opentok.archive.events";

    private RunningGateway gateway;

    @BeforeEach
    void start() throws Exception {
        gateway = RunningGateway.start(Map.of("gateway.broker.send-timeout-ms", "1500"));
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.closeAndDelete();
        }
    }

    @Test
    void should_store_a_repeated_callback_once_and_answer_200_each_time() throws Exception {
        byte[] body = sample("connection/connection-created-doc.json");

        HttpResponse<String> first = gateway.postJson("/callbacks/session", body);
        HttpResponse<String> second = gateway.postJson("/callbacks/session", body);

        assertEquals(200, first.statusCode());
        assertEquals("stored", outcomeOf(first));
        assertEquals(200, second.statusCode());
        assertEquals("duplicate", outcomeOf(second));
        List<ReceivedMessage> stored = gateway.drain(CONNECTIONS);
        assertEquals(1, stored.size());
        assertEquals(
                "connectionCreated|c053fcc8-c681-41d5-8ec2-7a9e1434a21e",
                stored.get(0).header("dedupKey"));
    }

    @Test
    void should_take_other_whitespace_and_key_order_for_the_same_callback() throws Exception {
        byte[] body = sample("unknown/future-event-type.json");
        Map<?, ?> parsed = JSON.readValue(body, Map.class);
        String reordered =
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(reverse(parsed));

        HttpResponse<String> first = gateway.postJson("/callbacks/session", body);
        HttpResponse<String> second =
                gateway.postJson("/callbacks/session", reordered.getBytes(StandardCharsets.UTF_8));

        assertEquals("stored", outcomeOf(first));
        assertEquals(200, second.statusCode());
        assertEquals("duplicate", outcomeOf(second));
        assertEquals(1, gateway.drain("opentok.unknown.events").size());
    }

    @Test
    void should_store_a_paused_started_cycle_as_separate_callbacks() throws Exception {
        byte[] started = sample("archive/archive-started-streams.json");
        byte[] paused = sample("archive/archive-paused.json");
        byte[] startedAgain =
                new String(started, StandardCharsets.UTF_8)
                        .replace("1470257689000", "1470257760000")
                        .getBytes(StandardCharsets.UTF_8);

        List<String> outcomes =
                List.of(
                        outcomeOf(gateway.postJson("/callbacks/archive", started)),
                        outcomeOf(gateway.postJson("/callbacks/archive", paused)),
                        outcomeOf(gateway.postJson("/callbacks/archive", startedAgain)),
                        outcomeOf(gateway.postJson("/callbacks/archive", startedAgain)));

        assertEquals(List.of("stored", "stored", "stored", "duplicate"), outcomes);
        assertEquals(3, gateway.drain(ARCHIVES).size());
    }

    @Test
    void should_store_a_retry_after_a_failed_store_and_not_call_it_a_duplicate() throws Exception {
        byte[] body = sample("stream/stream-created-doc.json");
        EmbeddedBroker broker =
                gateway.context()
                        .getRegistry()
                        .lookupByNameAndType("embeddedBroker", EmbeddedBroker.class);
        broker.stop();

        HttpResponse<String> whileDown = gateway.postJson("/callbacks/session", body);
        broker.start();
        HttpResponse<String> retry = postUntilAnswered("/callbacks/session", body);

        assertEquals(503, whileDown.statusCode(), whileDown.body());
        assertEquals(200, retry.statusCode(), retry.body());
        assertEquals("stored", outcomeOf(retry));
        assertEquals(1, gateway.drain("opentok.stream.events").size());
    }

    @Test
    void should_remember_a_stored_callback_after_a_restart_on_the_same_data_folder()
            throws Exception {
        byte[] body = sample("session/session-created.json");
        assertEquals("stored", outcomeOf(gateway.postJson("/callbacks/session", body)));
        int httpPort = gateway.httpPort();
        int brokerPort = gateway.brokerPort();
        gateway.close();

        RunningGateway restarted =
                RunningGateway.start(Map.of(), gateway.dataDir(), httpPort, brokerPort);
        gateway = restarted;
        HttpResponse<String> repeat = restarted.postJson("/callbacks/session", body);

        assertEquals(200, repeat.statusCode());
        assertEquals("duplicate", outcomeOf(repeat));
        assertEquals(1, restarted.drain("opentok.session.events").size());
    }

    @Test
    void should_forget_keys_older_than_the_expiry_when_purged() throws Exception {
        byte[] body = sample("session/session-created.json");
        gateway.postJson("/callbacks/session", body);
        CallbackKeyRepository keys = gateway.keyRepository();

        int keptByRecentPurge = keys.purgeOlderThan(System.currentTimeMillis() - 60_000);
        int purged = keys.purgeOlderThan(System.currentTimeMillis() + 1000);

        assertEquals(0, keptByRecentPurge);
        assertEquals(1, purged);
        assertEquals("stored", outcomeOf(gateway.postJson("/callbacks/session", body)));
    }

    /**
     * Without the repeat guard, simultaneous repeats all passed the "seen before?" check before any
     * of them was recorded, and several were stored; the right answer is one message.
     */
    @Test
    void should_store_simultaneous_repeats_once() throws Exception {
        int senders = 16;
        List<byte[]> bodies = new java.util.ArrayList<>();
        for (int round = 0; round < 5; round++) {
            bodies.add(
                    ("{\"event\":\"connectionCreated\",\"connection\":{\"id\":\"race-"
                                    + round
                                    + "\"}}")
                            .getBytes(StandardCharsets.UTF_8));
        }
        java.util.concurrent.ExecutorService pool =
                java.util.concurrent.Executors.newFixedThreadPool(senders);

        List<Integer> statuses = new java.util.concurrent.CopyOnWriteArrayList<>();
        try {
            for (byte[] body : bodies) {
                java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                List<java.util.concurrent.Future<?>> posts = new java.util.ArrayList<>();
                for (int i = 0; i < senders; i++) {
                    posts.add(
                            pool.submit(
                                    () -> {
                                        go.await();
                                        statuses.add(
                                                gateway.postJson("/callbacks/session", body)
                                                        .statusCode());
                                        return null;
                                    }));
                }
                go.countDown();
                for (java.util.concurrent.Future<?> post : posts) {
                    post.get(30, java.util.concurrent.TimeUnit.SECONDS);
                }
            }
        } finally {
            pool.shutdownNow();
        }

        assertEquals(senders * bodies.size(), statuses.size());
        assertEquals(List.of(200), statuses.stream().distinct().toList());
        assertEquals(bodies.size(), gateway.drain(CONNECTIONS).size());
    }

    /** Retries like the platform: a 503 while the broker reconnects is not the last word. */
    private HttpResponse<String> postUntilAnswered(String path, byte[] body) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        HttpResponse<String> answer = gateway.postJson(path, body);
        while (answer.statusCode() != 200 && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            answer = gateway.postJson(path, body);
        }
        return answer;
    }

    private static Map<Object, Object> reverse(Map<?, ?> map) {
        Map<Object, Object> reversed = new java.util.LinkedHashMap<>();
        List<Map.Entry<?, ?>> entries = new java.util.ArrayList<>(map.entrySet());
        java.util.Collections.reverse(entries);
        entries.forEach(e -> reversed.put(e.getKey(), e.getValue()));
        return reversed;
    }

    private static String outcomeOf(HttpResponse<String> answer) throws Exception {
        return JSON.readTree(answer.body()).get("outcome").asText();
    }

    private static byte[] sample(String file) throws Exception {
        return Files.readAllBytes(Samples.DIR.resolve(file));
    }
}
