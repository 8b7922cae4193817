package org.opentokgateway.intake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentokgateway.support.RunningGateway;
import org.opentokgateway.support.RunningGateway.ReceivedMessage;
import org.opentokgateway.support.Samples;
import org.opentokgateway.support.Samples.Sample;

/** The intake route end to end: real HTTP on a free port, the real embedded broker, no mocks. */
class CallbackIntakeRouteTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FAMILIES =
            List.of(
                    "session",
                    "connection",
                    "stream",
                    "archive",
                    "sip",
                    "broadcast",
                    "render",
                    "unknown");

    private static RunningGateway gateway;

    @BeforeAll
    static void startGateway() throws Exception {
        gateway = RunningGateway.start(Map.of());
    }

    @AfterAll
    static void stopGateway() throws Exception {
        gateway.closeAndDelete();
    }

    /** Each test starts with empty queues and no remembered callbacks: tests share samples. */
    @BeforeEach
    void emptyQueues() throws Exception {
        gateway.forgetSeenCallbacks();
        for (String family : FAMILIES) {
            gateway.drain(queueOf(family));
        }
        gateway.drain("opentok.rejected");
    }

    @Test
    void should_store_every_sample_once_on_its_family_queue_byte_for_byte() throws Exception {
        List<Sample> samples = Samples.all();

        for (Sample sample : samples) {
            HttpResponse<String> answer = gateway.postJson(sample.path(), sample.bytes());
            assertEquals(
                    sample.status(), answer.statusCode(), sample.file() + ": " + answer.body());
        }

        Map<String, List<ReceivedMessage>> byFamily = new HashMap<>();
        for (String family : FAMILIES) {
            byFamily.put(family, new ArrayList<>(gateway.drain(queueOf(family))));
        }
        for (Sample sample : samples) {
            if (!sample.stored()) {
                continue;
            }
            List<ReceivedMessage> queue = byFamily.get(sample.family());
            ReceivedMessage match = takeMatching(queue, sample.bytes());
            assertNotNull(match, sample.file() + " is not on " + queueOf(sample.family()));
            assertEquals(sample.family(), match.header("callbackFamily"), sample.file());
            assertEquals(sample.path(), match.header("callbackPath"), sample.file());
            assertNotNull(match.header("receivedAt"), sample.file());
        }
        byFamily.forEach(
                (family, left) ->
                        assertTrue(
                                left.isEmpty(),
                                left.size() + " unexpected message(s) left on " + queueOf(family)));

        long rejectedSamples = samples.stream().filter(s -> !s.stored()).count();
        assertEquals(rejectedSamples, gateway.drain("opentok.rejected").size());
    }

    @Test
    void should_put_the_headers_consumers_filter_on() throws Exception {
        gateway.postJson("/callbacks/session", sample("stream/stream-created-doc.json"));
        gateway.postJson(
                "/callbacks/archive",
                sample("archive/archive-uploaded-storycorps-2020-composed.json"));
        gateway.postJson("/callbacks/archive", sample("archive/archive-available-doc.json"));

        ReceivedMessage stream = gateway.drain("opentok.stream.events").get(0);
        assertEquals("streamCreated", stream.header("callbackEvent"));
        assertEquals("2_MX4xMzExMjU3MX5-MTQ3MDI1NzY3OTkxOH45QXRr", stream.header("sessionId"));
        assertEquals("2_MX4xMzExMjU3MX5-MTQ3MDI1NzY3OTkxOH45QXRr", stream.header("JMSXGroupID"));
        assertEquals("123456", stream.header("projectId"));
        assertEquals("63245362-e00e-4834-8371-9397deb3e452", stream.header("streamId"));
        assertEquals("c053fcc8-c681-41d5-8ec2-7a9e1434a21e", stream.header("connectionId"));
        assertEquals(1470258860571L, stream.properties().get("eventTime"));

        List<ReceivedMessage> archives = gateway.drain("opentok.archive.events");
        ReceivedMessage uploaded = archives.get(0);
        assertEquals(
                "46565552", uploaded.header("projectId"), "a numeric projectId travels as text");
        assertEquals("36d533db-ece7-45ae-b605-724bb3502da5", uploaded.header("archiveId"));
        assertEquals("uploaded", uploaded.header("archiveStatus"));
        assertEquals(
                1587075280000L,
                uploaded.properties().get("eventTime"),
                "updatedAt without timestamp");
        ReceivedMessage available = archives.get(1);
        assertEquals("123456", available.header("projectId"), "partnerId stands in for projectId");
        assertEquals(
                1384221380000L,
                available.properties().get("eventTime"),
                "createdAt as the last resort");
    }

    @Test
    void should_never_copy_request_headers_to_the_queue_or_the_answer() throws Exception {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/callbacks/session"))
                        .header("Authorization", "Bearer secret-token")
                        .header("X-Custom", "kept-out")
                        .POST(
                                HttpRequest.BodyPublishers.ofByteArray(
                                        sample("connection/connection-created-doc.json")))
                        .build();

        HttpResponse<String> answer = gateway.send(request);

        assertEquals(200, answer.statusCode());
        assertTrue(answer.headers().firstValue("X-Custom").isEmpty());
        assertTrue(answer.headers().firstValue("sessionId").isEmpty());
        ReceivedMessage stored = gateway.drain("opentok.connection.events").get(0);
        assertTrue(
                stored.properties().keySet().stream()
                        .noneMatch(k -> k.equalsIgnoreCase("authorization")));
        assertTrue(stored.properties().keySet().stream().noneMatch(k -> k.contains("Custom")));
    }

    @Test
    void should_reject_bad_bodies_with_400_and_keep_them_on_the_rejected_queue() throws Exception {
        byte[] notJson = "event=connectionCreated".getBytes(StandardCharsets.UTF_8);
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/callbacks/session"))
                        .header("Authorization", "Bearer must-not-be-kept")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(notJson))
                        .build();

        HttpResponse<String> answer = gateway.send(request);

        assertEquals(400, answer.statusCode());
        JsonNode reason = JSON.readTree(answer.body());
        assertEquals("rejected", reason.get("outcome").asText());
        assertTrue(
                reason.get("reason").asText().startsWith("body is not valid JSON"), answer.body());
        assertTrue(!answer.body().contains("Exception"), "no stack trace in an answer");
        ReceivedMessage kept = gateway.drain("opentok.rejected").get(0);
        assertArrayEquals(notJson, kept.body());
        assertEquals("400", kept.header("rejectStatus"));
        assertTrue(kept.header("rejectReason").startsWith("body is not valid JSON"));
        assertEquals("/callbacks/session", kept.header("callbackPath"));
        assertTrue(
                kept.header("remoteAddress").contains("127.0.0.1"), kept.header("remoteAddress"));
        assertTrue(kept.header("requestHeaders").contains("application/json"));
        assertTrue(
                !kept.header("requestHeaders").contains("must-not-be-kept"),
                "credentials are never kept");
    }

    @Test
    void should_reject_json_that_is_not_one_object() throws Exception {
        assertEquals(
                400,
                gateway.postJson("/callbacks/session", bytes("[{\"event\":\"archive\"}]"))
                        .statusCode());
        assertEquals(400, gateway.postJson("/callbacks/session", bytes("\"text\"")).statusCode());
        assertEquals(
                400,
                gateway.postJson("/callbacks/session", bytes("{\"a\":1} {\"b\":2}")).statusCode());
        assertEquals(400, gateway.postJson("/callbacks/session", bytes("{\"a\":1}]")).statusCode());

        long refusedWith400 =
                gateway.drain("opentok.rejected").stream()
                        .filter(m -> "400".equals(m.header("rejectStatus")))
                        .count();
        assertEquals(4, refusedWith400);
        assertTrue(gateway.drain("opentok.unknown.events").isEmpty());
    }

    @Test
    void should_answer_an_empty_body_200_without_storing_it() throws Exception {
        HttpResponse<String> empty = gateway.post("/callbacks/session", new byte[0], null);
        HttpResponse<String> blank = gateway.postJson("/callbacks/archive", bytes(" \r\n"));

        assertEquals(200, empty.statusCode());
        assertEquals("probe", JSON.readTree(empty.body()).get("outcome").asText());
        assertEquals(200, blank.statusCode());
        for (String family : FAMILIES) {
            assertTrue(gateway.drain(queueOf(family)).isEmpty(), family);
        }
        assertTrue(gateway.drain("opentok.rejected").isEmpty());
    }

    @Test
    void should_answer_a_body_of_only_a_byte_order_mark_200_as_a_probe() throws Exception {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] bomAndSpace = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, ' ', '\r', '\n'};

        HttpResponse<String> onlyBom = gateway.postJson("/callbacks/session", bom);
        HttpResponse<String> withSpace = gateway.postJson("/callbacks/archive", bomAndSpace);

        assertEquals(200, onlyBom.statusCode(), onlyBom.body());
        assertEquals("probe", JSON.readTree(onlyBom.body()).get("outcome").asText());
        assertEquals(200, withSpace.statusCode(), withSpace.body());
        assertEquals("probe", JSON.readTree(withSpace.body()).get("outcome").asText());
        for (String family : FAMILIES) {
            assertTrue(gateway.drain(queueOf(family)).isEmpty(), family);
        }
        assertTrue(gateway.drain("opentok.rejected").isEmpty());
    }

    @Test
    void should_accept_any_content_type_and_keep_the_bytes_unchanged() throws Exception {
        byte[] body = sample("connection/connection-created-json-data-unicode.json");
        List<String> types =
                java.util.Arrays.asList(
                        "text/plain",
                        null,
                        "application/json; charset=ISO-8859-1",
                        "application/x-www-form-urlencoded");

        for (String type : types) {
            gateway.forgetSeenCallbacks();
            HttpResponse<String> answer = gateway.post("/callbacks/session", body, type);

            assertEquals(200, answer.statusCode(), type);
            assertEquals("stored", JSON.readTree(answer.body()).get("outcome").asText(), type);
            List<ReceivedMessage> stored = gateway.drain("opentok.connection.events");
            assertEquals(1, stored.size(), type);
            assertArrayEquals(body, stored.get(0).body(), type);
        }
    }

    @Test
    void should_refuse_a_body_over_the_limit_with_413_from_content_length() throws Exception {
        byte[] big = new byte[300 * 1024];
        java.util.Arrays.fill(big, (byte) 'x');

        HttpResponse<String> answer = gateway.postJson("/callbacks/session", big);

        assertEquals(413, answer.statusCode());
        assertEquals("too-large", JSON.readTree(answer.body()).get("outcome").asText());
        List<ReceivedMessage> kept = drainEventually("opentok.rejected");
        assertEquals(1, kept.size());
        assertEquals("413", kept.get(0).header("rejectStatus"));
        assertEquals(0, kept.get(0).body().length, "the oversized body is not read, so not kept");
    }

    @Test
    void should_refuse_a_chunked_body_over_the_limit_with_413() throws Exception {
        byte[] big = new byte[300 * 1024];
        java.util.Arrays.fill(big, (byte) 'x');
        // A publisher of unknown length makes the client send chunked, without Content-Length.
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/callbacks/session"))
                        .timeout(Duration.ofSeconds(20))
                        .POST(
                                HttpRequest.BodyPublishers.ofInputStream(
                                        () -> new java.io.ByteArrayInputStream(big)))
                        .build();

        HttpResponse<String> answer = gateway.send(request);

        assertEquals(413, answer.statusCode());
        assertEquals("too-large", JSON.readTree(answer.body()).get("outcome").asText());
    }

    @Test
    void should_answer_405_to_other_methods_and_404_elsewhere() throws Exception {
        HttpRequest get =
                HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/callbacks/session"))
                        .GET()
                        .build();
        HttpRequest elsewhere =
                HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/nothing/here"))
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build();

        HttpResponse<String> notAllowed = gateway.send(get);
        HttpResponse<String> notFound = gateway.send(elsewhere);

        assertEquals(405, notAllowed.statusCode());
        assertEquals("POST", notAllowed.headers().firstValue("Allow").orElse(null));
        assertEquals(
                "method-not-allowed", JSON.readTree(notAllowed.body()).get("outcome").asText());
        assertEquals(404, notFound.statusCode());
        assertEquals("not-found", JSON.readTree(notFound.body()).get("outcome").asText());
    }

    @Test
    void should_list_queues_with_depth_on_the_admin_endpoint() throws Exception {
        gateway.postJson("/callbacks/sip", sample("sip/sip-call-created-doc.json"));
        HttpRequest report =
                HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/admin/queues"))
                        .GET()
                        .build();

        HttpResponse<String> answer = gateway.send(report);

        assertEquals(200, answer.statusCode());
        JsonNode sip = null;
        for (JsonNode queue : JSON.readTree(answer.body()).get("queues")) {
            if (queue.get("queue").asText().equals("opentok.sip.events")) {
                sip = queue;
            }
        }
        assertNotNull(sip, answer.body());
        assertEquals(1, sip.get("depth").asInt());
        assertEquals("callCreated", sip.get("lastBrowsedHeaders").get("callbackEvent").asText());
    }

    private List<ReceivedMessage> drainEventually(String queue) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        List<ReceivedMessage> messages = gateway.drain(queue);
        while (messages.isEmpty() && System.currentTimeMillis() < deadline) {
            messages = gateway.drain(queue);
        }
        return messages;
    }

    private static ReceivedMessage takeMatching(List<ReceivedMessage> queue, byte[] body) {
        for (int i = 0; i < queue.size(); i++) {
            if (java.util.Arrays.equals(queue.get(i).body(), body)) {
                return queue.remove(i);
            }
        }
        return null;
    }

    private static String queueOf(String family) {
        return "opentok." + family + ".events";
    }

    private static byte[] sample(String file) throws Exception {
        return java.nio.file.Files.readAllBytes(Samples.DIR.resolve(file));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
