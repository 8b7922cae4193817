package org.opentokgateway.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.opentokgateway.support.Samples;
import org.opentokgateway.support.Samples.Sample;

/** The de-duplication key the classifier puts on every callback, from the body's meaning. */
class DedupKeyTest {

    private final CallbackClassifier classifier = new CallbackClassifier();

    @Test
    void should_build_the_documented_key_of_each_family() throws Exception {
        assertEquals(
                "connectionCreated|c053fcc8-c681-41d5-8ec2-7a9e1434a21e",
                keyOf("session", sample("connection/connection-created-doc.json")));
        assertEquals(
                "streamCreated|63245362-e00e-4834-8371-9397deb3e452",
                keyOf("session", sample("stream/stream-created-doc.json")));
        assertEquals(
                "sessionNotification|2_MX4xMzExMjU3MX5-MTQ3MDI1NzY3OTkxOH45QXRr|1470258890000",
                keyOf("session", sample("session/session-notification-server-rotation.json")));
        assertEquals(
                "c1f0a2b3-4d5e-4f60-8a7b-9c0d1e2f3a4b|paused|1470257750000",
                keyOf("archive", sample("archive/archive-paused.json")));
        assertEquals(
                "callUpdated|<conference-id>|HANGUP||1470257688309",
                keyOf("sip", sample("sip/sip-call-updated-doc.json")));
        assertEquals(
                "callDestroyed|<conference-id>||400|1470257688309",
                keyOf("sip", sample("sip/sip-call-destroyed-doc.json")));
    }

    @Test
    void should_give_the_same_key_to_other_whitespace_key_order_and_escapes() throws Exception {
        String compact = "{\"event\":\"future\",\"a\":1,\"b\":{\"x\":\"\u00e9\",\"y\":[1,2]}}";
        String other =
                "{ \"b\" : { \"y\" : [ 1, 2 ], \"x\" : \"\\u00e9\" },\n"
                        + " \"a\" : 1, \"event\" : \"future\" }";

        String first = keyOf("session", bytes(compact));
        String second = keyOf("session", bytes(other));

        assertEquals(first, second);
        assertTrue(first.startsWith("sha256:"), first);
        assertNotEquals(first, keyOf("session", bytes(compact.replace("[1,2]", "[2,1]"))));
    }

    @Test
    void should_not_take_a_paused_started_cycle_for_a_repeat() throws Exception {
        String started = keyOf("archive", sample("archive/archive-started-streams.json"));
        String startedAgain =
                keyOf(
                        "archive",
                        bytes(
                                new String(
                                                sample("archive/archive-started-streams.json"),
                                                StandardCharsets.UTF_8)
                                        .replace("1470257689000", "1470257760000")));

        assertNotEquals(started, startedAgain);
        assertNotEquals(started, keyOf("archive", sample("archive/archive-paused.json")));
    }

    @Test
    void should_hash_the_whole_callback_when_a_key_field_is_missing() throws Exception {
        String render = keyOf("status", sample("render/render-failed-no-streamid.json"));
        String connection =
                keyOf("session", bytes("{\"event\":\"connectionCreated\",\"sessionId\":\"s\"}"));

        assertTrue(render.startsWith("sha256:"), render);
        assertTrue(connection.startsWith("sha256:"), connection);
    }

    @Test
    void should_keep_keys_short_enough_for_the_repository() throws Exception {
        String longId = "x".repeat(500);

        String key =
                keyOf(
                        "session",
                        bytes(
                                "{\"event\":\"connectionCreated\",\"connection\":{\"id\":\""
                                        + longId
                                        + "\"}}"));

        assertTrue(key.length() <= DedupKeys.MAX_KEY_CHARS, key);
    }

    @Test
    void should_give_every_stored_sample_a_key_of_its_own() throws Exception {
        Map<String, String> seen = new HashMap<>();

        for (Sample sample : Samples.all()) {
            if (!sample.stored()) {
                continue;
            }
            String name = sample.path().substring(sample.path().lastIndexOf('/') + 1);
            String key = keyOf(name, sample.bytes());
            String earlier = seen.put(key, sample.file());

            assertEquals(null, earlier, sample.file() + " has the key of " + earlier + ": " + key);
        }
    }

    private String keyOf(String pathName, byte[] body) throws InvalidCallbackException {
        return classifier.classify(pathName, body).dedupKey();
    }

    private static byte[] sample(String file) throws Exception {
        return java.nio.file.Files.readAllBytes(Samples.DIR.resolve(file));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
