package org.opentokgateway.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.opentokgateway.support.RunningGateway;

/** The browse tool explains an unreachable broker in one line instead of a stack trace. */
class QueueBrowserToolTest {

    @Test
    void should_print_one_line_and_exit_1_when_the_broker_is_unreachable() throws Exception {
        String url = "tcp://127.0.0.1:" + RunningGateway.freePort();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;

        int exitCode;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            exitCode = QueueBrowserTool.run(new String[] {"browse", "opentok.rejected", url});
        } finally {
            System.setErr(original);
        }

        String printed = captured.toString(StandardCharsets.UTF_8).strip();
        assertEquals(1, exitCode);
        assertTrue(printed.startsWith("browse: cannot read opentok.rejected at " + url), printed);
        assertFalse(printed.contains("\n"), printed);
    }
}
