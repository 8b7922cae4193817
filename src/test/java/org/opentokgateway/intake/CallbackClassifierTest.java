package org.opentokgateway.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The pure classification: family by event, path and shape; headers; what is refused. */
class CallbackClassifierTest {

    private final CallbackClassifier classifier = new CallbackClassifier();

    @Test
    void should_decide_the_family_by_event_before_path_and_shape() throws Exception {
        Classification result =
                classify(
                        "archive",
                        "{\"event\":\"connectionCreated\",\"id\":\"a\",\"status\":\"x\"}");

        assertEquals(CallbackFamily.CONNECTION, result.family());
        assertEquals("connectionCreated", result.event());
    }

    @Test
    void should_send_an_unknown_event_to_the_unknown_family_even_with_an_archive_shape()
            throws Exception {
        Classification result =
                classify(
                        "archive", "{\"event\":\"archiveV2\",\"id\":\"a\",\"status\":\"started\"}");

        assertEquals(CallbackFamily.UNKNOWN, result.family());
    }

    @Test
    void should_take_the_family_that_the_path_names_when_there_is_no_event() throws Exception {
        assertEquals(
                CallbackFamily.RENDER,
                classify("render", "{\"id\":\"r\",\"outputMode\":\"x\"}").family());
        assertEquals(CallbackFamily.ARCHIVE, classify("archive", "{\"id\":\"a\"}").family());
        assertEquals(CallbackFamily.BROADCAST, classify("broadcast", "{\"id\":\"b\"}").family());
    }

    @Test
    void should_tell_an_archive_from_a_render_status_by_shape() throws Exception {
        String archive =
                "{\"id\":\"a\",\"status\":\"stopped\",\"sessionId\":\"s\",\"partnerId\":1}";
        String render =
                "{\"id\":\"r\",\"status\":\"started\",\"sessionId\":\"s\",\"projectId\":\"1\"}";
        String neither = "{\"id\":\"x\",\"status\":\"started\"}";

        assertEquals(CallbackFamily.ARCHIVE, classify("session", archive).family());
        assertEquals(CallbackFamily.RENDER, classify("session", render).family());
        assertEquals(CallbackFamily.UNKNOWN, classify("session", neither).family());
    }

    @Test
    void should_give_projectId_as_text_whether_number_or_string() throws Exception {
        assertEquals(
                "46565552",
                classify("archive", "{\"event\":\"archive\",\"projectId\":46565552}")
                        .headers()
                        .get(CallbackHeaders.PROJECT_ID));
        assertEquals(
                "123456",
                classify("session", "{\"event\":\"sessionCreated\",\"projectId\":\"123456\"}")
                        .headers()
                        .get(CallbackHeaders.PROJECT_ID));
        assertEquals(
                "77",
                classify("archive", "{\"event\":\"archive\",\"partnerId\":77}")
                        .headers()
                        .get(CallbackHeaders.PROJECT_ID));
    }

    @Test
    void should_let_the_last_of_duplicate_keys_win() throws Exception {
        Classification result =
                classify(
                        "archive",
                        "{\"event\":\"archive\",\"id\":\"a\","
                                + "\"status\":\"started\",\"status\":\"stopped\"}");

        assertEquals("stopped", result.headers().get(CallbackHeaders.ARCHIVE_STATUS));
    }

    @Test
    void should_accept_a_byte_order_mark_and_odd_whitespace() throws Exception {
        byte[] withBom =
                ("\uFEFF \r\n\t{ \"event\" :\"sessionCreated\" }\n")
                        .getBytes(StandardCharsets.UTF_8);

        assertEquals(CallbackFamily.SESSION, classifier.classify("session", withBom).family());
    }

    @Test
    void should_cut_header_values_taken_from_the_body_to_a_bounded_length() throws Exception {
        String longId = "s".repeat(5000);

        Classification result =
                classify(
                        "session",
                        "{\"event\":\"sessionCreated\",\"sessionId\":\"" + longId + "\"}");

        assertEquals(CallbackClassifier.MAX_HEADER_CHARS, result.sessionId().length());
    }

    @Test
    void should_refuse_what_is_not_one_utf8_json_object() {
        assertRefused("[]", "array");
        assertRefused("null", "null");
        assertRefused("42", "number");
        assertRefused("{\"a\":", "not valid JSON");
        assertRefused("{} {}", "not valid JSON");
        InvalidCallbackException latin1 =
                assertThrows(
                        InvalidCallbackException.class,
                        () ->
                                classifier.classify(
                                        "session",
                                        new byte[] {'{', '"', (byte) 0xE9, '"', ':', '1', '}'}));
        assertTrue(latin1.getMessage().contains("UTF-8"));
    }

    @Test
    void should_never_quote_the_input_in_a_refusal() {
        InvalidCallbackException refused =
                assertThrows(
                        InvalidCallbackException.class,
                        () -> classify("session", "{\"secret-data\": tru}"));

        assertFalse(refused.getMessage().contains("secret-data"), refused.getMessage());
    }

    private void assertRefused(String body, String expected) {
        InvalidCallbackException refused =
                assertThrows(InvalidCallbackException.class, () -> classify("s", body));
        assertTrue(refused.getMessage().contains(expected), refused.getMessage());
    }

    private Classification classify(String path, String body) throws InvalidCallbackException {
        return classifier.classify(path, body.getBytes(StandardCharsets.UTF_8));
    }
}
