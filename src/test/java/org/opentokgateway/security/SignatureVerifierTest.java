package org.opentokgateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import com.nimbusds.jose.JWSAlgorithm;

import org.junit.jupiter.api.Test;

/** Signature verification: what passes and what fails, in pairs. */
class SignatureVerifierTest {

    private static final byte[] BODY =
            "{\"event\":\"archive\", \"id\":\"a\"}".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

    private final SignatureVerifier verifier =
            new SignatureVerifier(
                    new SignatureSecrets(Tokens.SECRET, "", ""), Duration.ofMinutes(5));

    @Test
    void should_accept_a_token_signed_with_the_secret_over_the_exact_bytes() throws Exception {
        SignatureVerifier.Result result =
                verifier.verify(
                        Tokens.bearer(BODY, Tokens.SECRET, NOW, "j1"), BODY, "archive", NOW);

        assertTrue(result.ok(), result.reason());
        assertEquals("123456", result.apiKey());
        assertEquals("j1", result.tokenId());
    }

    @Test
    void should_refuse_a_token_signed_with_another_secret() throws Exception {
        SignatureVerifier.Result result =
                verifier.verify(
                        Tokens.bearer(BODY, Tokens.OTHER_SECRET, NOW, null), BODY, "archive", NOW);

        assertFalse(result.ok());
        assertTrue(result.reason().contains("signature"));
    }

    @Test
    void should_refuse_a_body_that_differs_from_payload_hash_even_by_whitespace() throws Exception {
        String token = Tokens.bearer(BODY, Tokens.SECRET, NOW, null);
        byte[] reserialised =
                "{\"event\":\"archive\",\"id\":\"a\"}".getBytes(StandardCharsets.UTF_8);

        SignatureVerifier.Result result = verifier.verify(token, reserialised, "archive", NOW);

        assertFalse(result.ok());
        assertTrue(result.reason().contains("payload_hash"));
    }

    @Test
    void should_refuse_an_iat_outside_the_tolerance_either_way() throws Exception {
        String old = Tokens.bearer(BODY, Tokens.SECRET, NOW.minus(Duration.ofMinutes(6)), null);
        String future = Tokens.bearer(BODY, Tokens.SECRET, NOW.plus(Duration.ofMinutes(6)), null);
        String recent = Tokens.bearer(BODY, Tokens.SECRET, NOW.minus(Duration.ofMinutes(4)), null);

        assertFalse(verifier.verify(old, BODY, "archive", NOW).ok());
        assertFalse(verifier.verify(future, BODY, "archive", NOW).ok());
        assertTrue(verifier.verify(recent, BODY, "archive", NOW).ok());
    }

    @Test
    void should_refuse_any_algorithm_but_hs256_and_unsigned_tokens() throws Exception {
        String hs512 =
                "Bearer "
                        + Tokens.token(
                                JWSAlgorithm.HS512,
                                BODY,
                                Tokens.SECRET + Tokens.SECRET,
                                NOW,
                                null,
                                "123456");
        String payload =
                Tokens.token(JWSAlgorithm.HS256, BODY, Tokens.SECRET, NOW, null, "123456")
                        .split("\\.")[1];
        String none =
                "Bearer "
                        + Base64.getUrlEncoder()
                                .withoutPadding()
                                .encodeToString(
                                        "{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8))
                        + "."
                        + payload
                        + ".";

        assertFalse(verifier.verify(hs512, BODY, "archive", NOW).ok());
        assertFalse(verifier.verify(none, BODY, "archive", NOW).ok());
        assertFalse(verifier.verify(null, BODY, "archive", NOW).ok());
        assertFalse(verifier.verify("Basic abc", BODY, "archive", NOW).ok());
    }

    @Test
    void should_hash_the_bytes_received_whatever_their_text_and_key_order() throws Exception {
        byte[] unicode =
                "{\"id\":\"a\",\"event\":\"archive\",\"name\":\"Zoë — 主持人 🎙️\"}"
                        .getBytes(StandardCharsets.UTF_8);
        byte[] reordered =
                "{\"event\":\"archive\",\"name\":\"Zoë — 主持人 🎙️\",\"id\":\"a\"}"
                        .getBytes(StandardCharsets.UTF_8);
        String token = Tokens.bearer(unicode, Tokens.SECRET, NOW, null);

        assertTrue(verifier.verify(token, unicode, "archive", NOW).ok());
        assertFalse(verifier.verify(token, reordered, "archive", NOW).ok());
    }

    @Test
    void should_refuse_a_bearer_header_holding_garbage() {
        assertFalse(verifier.verify("Bearer not.a.jwt", BODY, "archive", NOW).ok());
        assertFalse(verifier.verify("Bearer ", BODY, "archive", NOW).ok());
        assertFalse(verifier.verify("Bearer %%%%", BODY, "archive", NOW).ok());
    }

    @Test
    void should_accept_either_secret_while_one_is_rotated() throws Exception {
        SignatureVerifier rotating =
                new SignatureVerifier(
                        new SignatureSecrets(Tokens.SECRET + "," + Tokens.OTHER_SECRET, "", ""),
                        Duration.ofMinutes(5));

        assertTrue(
                rotating.verify(Tokens.bearer(BODY, Tokens.SECRET, NOW, null), BODY, "s", NOW)
                        .ok());
        assertTrue(
                rotating.verify(Tokens.bearer(BODY, Tokens.OTHER_SECRET, NOW, null), BODY, "s", NOW)
                        .ok());
    }

    @Test
    void should_use_the_secret_of_the_project_named_by_api_key() throws Exception {
        SignatureVerifier scoped =
                new SignatureVerifier(
                        new SignatureSecrets("", "", "777=" + Tokens.OTHER_SECRET),
                        Duration.ofMinutes(5));
        String forProject =
                "Bearer "
                        + Tokens.token(
                                JWSAlgorithm.HS256, BODY, Tokens.OTHER_SECRET, NOW, null, "777");
        String otherProject =
                "Bearer "
                        + Tokens.token(
                                JWSAlgorithm.HS256, BODY, Tokens.OTHER_SECRET, NOW, null, "1");

        assertTrue(scoped.verify(forProject, BODY, "archive", NOW).ok());
        assertFalse(scoped.verify(otherProject, BODY, "archive", NOW).ok());
    }

    @Test
    void should_refuse_at_start_a_secret_too_short_for_hs256_without_showing_it() {
        IllegalArgumentException refused =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new SignatureSecrets("short-secret", "", ""));

        assertFalse(refused.getMessage().contains("short-secret"));
    }
}
