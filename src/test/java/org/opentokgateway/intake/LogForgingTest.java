package org.opentokgateway.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentokgateway.LogText;
import org.opentokgateway.admin.QueueBrowserTool;
import org.opentokgateway.support.RunningGateway;

/**
 * Values taken from a request never forge a line: control characters in the event or session id
 * reach the access log and the browse tool escaped.
 */
class LogForgingTest {

    private static final String FORGED_BODY =
            "{\"event\":\"connectionCreated\\n"
                    + "INFO opentok.gateway.access - event=forged\",\"sessionId\":\"s-1\\r"
                    + "\\n"
                    + "forged-line\\u0007\",\"connection\":{\"id\":\"c-forged\"}}";

    private RunningGateway gateway;

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.closeAndDelete();
        }
    }

    @Test
    void should_escape_control_characters_of_the_event_and_session_in_the_access_log()
            throws Exception {
        gateway = RunningGateway.start(Map.of());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream original = System.err;

        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            assertEquals(
                    200, gateway.postJson("/callbacks/session", bytes(FORGED_BODY)).statusCode());
        } finally {
            System.setErr(original);
        }

        String written = log.toString(StandardCharsets.UTF_8);
        assertTrue(
                written.contains(
                        "event=connectionCreated\\nINFO opentok.gateway.access - event=forged"),
                written);
        assertTrue(written.contains("session=s-1\\r\\nforged-line\\u0007"), written);
        assertFalse(
                written.lines()
                        .anyMatch(
                                line ->
                                        line.startsWith(
                                                "INFO opentok.gateway.access - event=forged")));
        assertFalse(written.lines().anyMatch(line -> line.startsWith("forged-line")));
    }

    @Test
    void should_print_header_values_escaped_in_the_browse_tool() throws Exception {
        gateway = RunningGateway.start(Map.of());
        gateway.postJson("/callbacks/session", bytes(FORGED_BODY));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;

        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            QueueBrowserTool.run(
                    new String[] {"browse", "opentok.unknown.events", gateway.brokerUrl()});
        } finally {
            System.setOut(original);
        }

        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("sessionId: s-1\\r\\nforged-line\\u0007"), printed);
        assertFalse(printed.lines().anyMatch(line -> line.startsWith("forged-line")), printed);
    }

    @Test
    void should_escape_every_control_character_and_keep_other_text() {
        String controls = "a\nb\rc\td\u0000e\u001bf\u007f";

        assertEquals("a\\nb\\rc\\td\\u0000e\\u001bf\\u007f", LogText.escape(controls));
        assertEquals("caf\u00e9 \u4e2d", LogText.escape("caf\u00e9 \u4e2d"));
        assertEquals(null, LogText.escape(null));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
