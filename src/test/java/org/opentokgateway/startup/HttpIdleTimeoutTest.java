package org.opentokgateway.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.opentokgateway.support.RunningGateway;

/** The server closes connections that stay idle, also in the middle of a request body. */
class HttpIdleTimeoutTest {

    @Test
    void should_close_a_connection_that_sends_nothing() throws Exception {
        try (RunningGateway gateway =
                        RunningGateway.start(Map.of("gateway.http.idle-timeout-seconds", "1"));
                Socket idle = new Socket("127.0.0.1", gateway.httpPort())) {
            idle.setSoTimeout(15_000);

            int read = readOrTimeOut(idle.getInputStream());

            assertEquals(-1, read, "the server should have closed the idle connection");
        }
    }

    @Test
    void should_close_a_connection_whose_body_stops_half_way() throws Exception {
        try (RunningGateway gateway =
                        RunningGateway.start(Map.of("gateway.http.idle-timeout-seconds", "1"));
                Socket slow = new Socket("127.0.0.1", gateway.httpPort())) {
            slow.setSoTimeout(15_000);
            OutputStream out = slow.getOutputStream();
            out.write(
                    ("POST /callbacks/session HTTP/1.1\r\n"
                                    + "Host: 127.0.0.1\r\n"
                                    + "Content-Type: application/json\r\n"
                                    + "Content-Length: 100\r\n\r\n"
                                    + "{\"event\":")
                            .getBytes(StandardCharsets.US_ASCII));
            out.flush();

            InputStream in = slow.getInputStream();
            int read = readOrTimeOut(in);
            while (read != -1 && read != -2) {
                read = readOrTimeOut(in);
            }

            assertEquals(-1, read, "the server should have closed the stalled connection");
        }
    }

    /** The next byte, -1 at the end of the stream, -2 when nothing came within the time-out. */
    private static int readOrTimeOut(InputStream in) throws Exception {
        try {
            return in.read();
        } catch (SocketTimeoutException e) {
            return -2;
        }
    }
}
