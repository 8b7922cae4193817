package org.opentokgateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentokgateway.support.RunningGateway;
import org.opentokgateway.support.RunningGateway.ReceivedMessage;
import org.opentokgateway.support.Samples;

/**
 * Which signature mode a request gets, end to end: the path name comes from the request path alone,
 * and a mode set for a family holds on every path.
 */
class SignatureScopeRouteTest {

    private static final List<String> QUEUES =
            List.of(
                    "opentok.archive.events",
                    "opentok.connection.events",
                    "opentok.broadcast.events",
                    "opentok.session.events",
                    "opentok.unknown.events",
                    "opentok.rejected");

    private static RunningGateway gateway;

    @BeforeAll
    static void startGateway() throws Exception {
        gateway =
                RunningGateway.start(
                        Map.of(
                                "gateway.signature.mode", "off",
                                "gateway.signature.path-modes", "archive=enforce",
                                "gateway.signature.secrets", Tokens.SECRET,
                                "gateway.signature.replay-guard", "true"));
    }

    @AfterAll
    static void stopGateway() throws Exception {
        gateway.closeAndDelete();
    }

    @BeforeEach
    void emptyQueues() throws Exception {
        gateway.forgetSeenCallbacks();
        for (String queue : QUEUES) {
            gateway.drain(queue);
        }
    }

    @Test
    void should_enforce_the_path_mode_whatever_name_header_or_query_parameter_the_client_sends()
            throws Exception {
        byte[] connection = sample("connection/connection-created-doc.json");

        HttpResponse<String> viaHeader =
                send("/callbacks/archive", connection, null, "name", "session");
        HttpResponse<String> viaQuery = send("/callbacks/archive?name=session", connection, null);
        HttpResponse<String> viaCamelHeader =
                send("/callbacks/archive", connection, null, "CamelHttpPath", "/callbacks/session");

        assertEquals(401, viaHeader.statusCode(), viaHeader.body());
        assertEquals(401, viaQuery.statusCode(), viaQuery.body());
        assertEquals(401, viaCamelHeader.statusCode(), viaCamelHeader.body());
        assertTrue(gateway.drain("opentok.connection.events").isEmpty());
    }

    @Test
    void should_take_the_path_family_from_the_path_not_from_a_name_header() throws Exception {
        byte[] noEvent = bytes("{\"id\":\"b-1\",\"status\":\"started\"}");

        HttpResponse<String> answer =
                send("/callbacks/broadcast", noEvent, null, "name", "archive");

        assertEquals(200, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains("\"broadcast\""), answer.body());
        List<ReceivedMessage> stored = gateway.drain("opentok.broadcast.events");
        assertEquals(1, stored.size());
        assertEquals("/callbacks/broadcast", stored.get(0).header("callbackPath"));
    }

    @Test
    void should_refuse_an_unsigned_archive_event_on_any_path_when_the_archive_family_is_enforced()
            throws Exception {
        byte[] forged = sample("archive/archive-available-doc.json");
        List<String> paths =
                List.of(
                        "/callbacks/ARCHIVE",
                        "/callbacks/archive;x=1",
                        "/callbacks/session",
                        "/callbacks/anything",
                        "/callbacks/%61rchive");

        for (String path : paths) {
            HttpResponse<String> answer = send(path, forged, null);

            assertEquals(401, answer.statusCode(), path + ": " + answer.body());
        }
        assertTrue(gateway.drain("opentok.archive.events").isEmpty());
        assertEquals(paths.size(), gateway.drain("opentok.rejected").size());
    }

    @Test
    void should_store_a_signed_archive_event_on_any_path_and_leave_other_families_unchecked()
            throws Exception {
        byte[] archive = sample("archive/archive-available-doc.json");
        byte[] connection = sample("connection/connection-created-doc.json");

        HttpResponse<String> signed =
                send(
                        "/callbacks/session",
                        archive,
                        Tokens.bearer(archive, Tokens.SECRET, Instant.now(), null));
        HttpResponse<String> unsigned = send("/callbacks/session", connection, null);

        assertEquals(200, signed.statusCode(), signed.body());
        assertEquals(200, unsigned.statusCode(), unsigned.body());
        assertEquals(1, gateway.drain("opentok.archive.events").size());
        assertEquals(1, gateway.drain("opentok.connection.events").size());
    }

    @Test
    void should_match_a_path_mode_whatever_the_case_of_the_path() throws Exception {
        byte[] connection = sample("connection/connection-created-doc.json");

        HttpResponse<String> answer = send("/callbacks/ARCHIVE", connection, null);

        assertEquals(401, answer.statusCode(), answer.body());
        List<ReceivedMessage> kept = gateway.drain("opentok.rejected");
        assertEquals(1, kept.size());
        assertFalse(kept.get(0).header("requestHeaders").contains("Bearer"));
    }

    @Test
    void should_store_a_correctly_signed_other_body_that_reuses_a_token_id() throws Exception {
        byte[] first = sample("archive/archive-paused.json");
        byte[] second = sample("archive/archive-failed.json");
        String firstToken = Tokens.bearer(first, Tokens.SECRET, Instant.now(), "jti-shared");
        String secondToken = Tokens.bearer(second, Tokens.SECRET, Instant.now(), "jti-shared");

        HttpResponse<String> stored = send("/callbacks/archive", first, firstToken);
        HttpResponse<String> other = send("/callbacks/archive", second, secondToken);
        HttpResponse<String> replay = send("/callbacks/archive", first, firstToken);

        assertEquals(200, stored.statusCode(), stored.body());
        assertTrue(other.body().contains("\"stored\""), other.body());
        assertTrue(replay.body().contains("\"duplicate\""), replay.body());
        assertEquals(2, gateway.drain("opentok.archive.events").size());
    }

    private static HttpResponse<String> send(
            String path, byte[] body, String authorization, String... header) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        for (int i = 0; i + 1 < header.length; i += 2) {
            request.header(header[i], header[i + 1]);
        }
        return gateway.send(request.build());
    }

    private static byte[] sample(String file) throws Exception {
        return Files.readAllBytes(Samples.DIR.resolve(file));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
