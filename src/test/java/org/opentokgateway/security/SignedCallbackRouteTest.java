package org.opentokgateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentokgateway.support.RunningGateway;
import org.opentokgateway.support.RunningGateway.ReceivedMessage;
import org.opentokgateway.support.Samples;

/** Signed callbacks and source checks end to end, through real HTTP and the real broker. */
class SignedCallbackRouteTest {

    private RunningGateway gateway;

    @AfterEach
    void stop() throws Exception {
        gateway.closeAndDelete();
    }

    @Test
    void should_store_a_valid_signed_callback_and_refuse_a_bad_one_with_401() throws Exception {
        gateway = RunningGateway.start(enforcing());
        byte[] body = sample("archive/archive-uploaded-storycorps-2022.json");

        HttpResponse<String> signed =
                post(body, Tokens.bearer(body, Tokens.SECRET, Instant.now(), null));
        HttpResponse<String> forged =
                post(body, Tokens.bearer(body, Tokens.OTHER_SECRET, Instant.now(), null));

        assertEquals(200, signed.statusCode(), signed.body());
        assertEquals(401, forged.statusCode(), forged.body());
        assertTrue(forged.body().contains("signature check failed"));
        assertEquals(1, gateway.drain("opentok.archive.events").size());
        List<ReceivedMessage> kept = gateway.drain("opentok.rejected");
        assertEquals(1, kept.size());
        assertEquals("401", kept.get(0).header("rejectStatus"));
        assertTrue(kept.get(0).header("remoteAddress").contains("127.0.0.1"));
        assertFalse(
                kept.get(0).header("requestHeaders").contains("Bearer"), "the token is never kept");
    }

    @Test
    void should_never_write_the_secret_or_the_token_to_the_log() throws Exception {
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        java.io.PrintStream original = System.err;
        byte[] body = sample("archive/archive-failed.json");
        String forged = Tokens.bearer(body, Tokens.OTHER_SECRET, Instant.now(), null);

        System.setErr(new java.io.PrintStream(log, true, "UTF-8"));
        try {
            gateway =
                    RunningGateway.start(
                            Map.of(
                                    "gateway.signature.mode",
                                    "warn",
                                    "gateway.signature.secrets",
                                    Tokens.SECRET));
            post(body, forged);
        } finally {
            System.setErr(original);
        }

        String written = log.toString("UTF-8");
        assertTrue(written.contains("signature check failed"), "the failure itself is logged");
        assertFalse(written.contains(Tokens.SECRET));
        assertFalse(written.contains(forged.substring(7)));
    }

    @Test
    void should_refuse_a_project_secret_vouching_for_another_project() throws Exception {
        gateway =
                RunningGateway.start(
                        Map.of(
                                "gateway.signature.mode",
                                "enforce",
                                "gateway.signature.api-key-secrets",
                                "777=" + Tokens.OTHER_SECRET));
        byte[] ownProject = archiveOfProject(777);
        byte[] otherProject = archiveOfProject(555);

        HttpResponse<String> own =
                post(
                        ownProject,
                        "Bearer "
                                + Tokens.token(
                                        com.nimbusds.jose.JWSAlgorithm.HS256,
                                        ownProject,
                                        Tokens.OTHER_SECRET,
                                        Instant.now(),
                                        null,
                                        "777"));
        HttpResponse<String> other =
                post(
                        otherProject,
                        "Bearer "
                                + Tokens.token(
                                        com.nimbusds.jose.JWSAlgorithm.HS256,
                                        otherProject,
                                        Tokens.OTHER_SECRET,
                                        Instant.now(),
                                        null,
                                        "777"));

        assertEquals(200, own.statusCode(), own.body());
        assertEquals(401, other.statusCode(), other.body());
        assertTrue(other.body().contains("api_key does not match"), other.body());
    }

    private static byte[] archiveOfProject(long project) {
        return ("{\"event\":\"archive\",\"id\":\"a-"
                        + project
                        + "\",\"status\":\"stopped\","
                        + "\"sessionId\":\"s\",\"partnerId\":"
                        + project
                        + ",\"projectId\":"
                        + project
                        + ",\"updatedAt\":1}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void should_store_the_signed_retry_of_a_callback_first_sent_unsigned() throws Exception {
        gateway = RunningGateway.start(enforcing());
        byte[] body = sample("archive/archive-failed.json");

        HttpResponse<String> unsigned = post(body, null);
        HttpResponse<String> retry =
                post(body, Tokens.bearer(body, Tokens.SECRET, Instant.now(), null));

        assertEquals(401, unsigned.statusCode());
        assertEquals(200, retry.statusCode());
        assertEquals(1, gateway.drain("opentok.archive.events").size());
    }

    @Test
    void should_accept_a_bad_signature_in_warn_mode() throws Exception {
        gateway =
                RunningGateway.start(
                        Map.of(
                                "gateway.signature.mode",
                                "warn",
                                "gateway.signature.secrets",
                                Tokens.SECRET));
        byte[] body = sample("archive/archive-failed.json");

        HttpResponse<String> answer =
                post(body, Tokens.bearer(body, Tokens.OTHER_SECRET, Instant.now(), null));

        assertEquals(200, answer.statusCode());
        assertEquals(1, gateway.drain("opentok.archive.events").size());
        String metrics = gateway.getManagement("/observe/metrics").body();
        assertTrue(
                metrics.contains("gateway_signature_failures_total 1.0"), "the failure is counted");
    }

    @Test
    void should_answer_a_replayed_token_200_without_storing_it_again() throws Exception {
        gateway =
                RunningGateway.start(
                        Map.of(
                                "gateway.signature.mode",
                                "enforce",
                                "gateway.signature.secrets",
                                Tokens.SECRET,
                                "gateway.signature.replay-guard",
                                "true"));
        byte[] body = sample("archive/archive-paused.json");
        String token = Tokens.bearer(body, Tokens.SECRET, Instant.now(), "jti-1");

        HttpResponse<String> first = post(body, token);
        HttpResponse<String> replay = post(body, token);

        assertEquals(200, first.statusCode());
        assertEquals(200, replay.statusCode());
        assertTrue(replay.body().contains("duplicate"), replay.body());
        assertEquals(1, gateway.drain("opentok.archive.events").size());
    }

    @Test
    void should_refuse_sources_outside_the_allow_list_with_403() throws Exception {
        gateway = RunningGateway.start(Map.of("gateway.http.allowed-sources", "216.147.0.0/18"));
        byte[] body = sample("archive/archive-paused.json");

        HttpResponse<String> answer = post(body, null);

        assertEquals(403, answer.statusCode());
        assertTrue(gateway.drain("opentok.archive.events").isEmpty());
        assertEquals("403", gateway.drain("opentok.rejected").get(0).header("rejectStatus"));
    }

    @Test
    void should_believe_the_forwarded_header_only_from_a_trusted_proxy() throws Exception {
        gateway =
                RunningGateway.start(
                        Map.of(
                                "gateway.http.allowed-sources",
                                "216.147.0.0/18",
                                "gateway.http.trusted-proxies",
                                "127.0.0.1/32"));
        byte[] body = sample("archive/archive-paused.json");

        HttpResponse<String> viaProxy = send(body, "X-Forwarded-For", "10.9.8.7, 216.147.1.2");
        HttpResponse<String> spoofed = send(body, "X-Forwarded-For", "216.147.1.2, 10.9.8.7");

        assertEquals(200, viaProxy.statusCode());
        assertEquals(403, spoofed.statusCode());
    }

    @Test
    void should_read_two_forwarded_header_lines_as_one_chain() throws Exception {
        gateway =
                RunningGateway.start(
                        Map.of(
                                "gateway.http.allowed-sources",
                                "216.147.0.0/18",
                                "gateway.http.trusted-proxies",
                                "127.0.0.1/32"));
        byte[] body = sample("archive/archive-paused.json");

        HttpResponse<String> spoofed =
                sendTwice(body, "X-Forwarded-For", "216.147.1.2", "10.9.8.7");
        HttpResponse<String> viaProxy =
                sendTwice(body, "X-Forwarded-For", "10.9.8.7", "216.147.1.2");

        assertEquals(403, spoofed.statusCode(), spoofed.body());
        assertEquals(200, viaProxy.statusCode(), viaProxy.body());
    }

    private HttpResponse<String> sendTwice(byte[] body, String header, String first, String second)
            throws Exception {
        URI archive = URI.create(gateway.baseUrl() + "/callbacks/archive");
        HttpRequest request =
                HttpRequest.newBuilder(archive)
                        .header("Content-Type", "application/json")
                        .header(header, first)
                        .header(header, second)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build();
        return gateway.send(request);
    }

    private static Map<String, String> enforcing() {
        return Map.of(
                "gateway.signature.mode", "enforce", "gateway.signature.secrets", Tokens.SECRET);
    }

    private HttpResponse<String> post(byte[] body, String authorization) throws Exception {
        return authorization == null
                ? send(body, null, null)
                : send(body, "Authorization", authorization);
    }

    private HttpResponse<String> send(byte[] body, String header, String value) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/callbacks/archive"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (header != null) {
            request.header(header, value);
        }
        return gateway.send(request.build());
    }

    private static byte[] sample(String file) throws Exception {
        return Files.readAllBytes(Samples.DIR.resolve(file));
    }
}
