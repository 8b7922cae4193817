package org.opentokgateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sign tool explains ordinary mistakes in one line instead of a stack trace. */
class SignToolTest {

    @TempDir Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void should_print_one_line_and_exit_1_when_the_secret_is_too_short() throws Exception {
        Path body = Files.writeString(tmp.resolve("callback.json"), "{\"event\":\"x\"}");

        int exitCode = run(body.toString(), "short");

        assertEquals(1, exitCode);
        assertEquals(
                "sign: the secret in GATEWAY_SIGNATURE_SECRET is too short: at least 32 bytes"
                        + " are needed",
                printedError());
    }

    @Test
    void should_print_one_line_and_exit_1_when_the_file_is_missing() {
        Path missing = tmp.resolve("missing.json");

        int exitCode = run(missing.toString(), "a-secret-of-at-least-thirty-two-bytes!!");

        assertEquals(1, exitCode);
        assertEquals("sign: no such file: " + missing, printedError());
    }

    @Test
    void should_print_a_token_with_a_long_enough_secret() throws Exception {
        Path body = Files.writeString(tmp.resolve("callback.json"), "{\"event\":\"x\"}");

        int exitCode = run(body.toString(), "a-secret-of-at-least-thirty-two-bytes!!");

        assertEquals(0, exitCode);
        assertEquals(3, out.toString(StandardCharsets.UTF_8).strip().split("\\.").length);
    }

    private int run(String file, String secret) {
        return SignTool.run(
                new String[] {"sign", file},
                secret,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String printedError() {
        String printed = err.toString(StandardCharsets.UTF_8).strip();
        assertTrue(!printed.contains("\n"), printed);
        return printed;
    }
}
