package org.opentokgateway.startup;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.opentokgateway.support.GatewayProcess;
import org.opentokgateway.support.RunningGateway;

/** The gateway refuses to start, with a message naming the cause, instead of running broken. */
class StartupChecksTest {

    private static final Duration START_LIMIT = Duration.ofSeconds(60);

    @TempDir Path tmp;

    @Test
    void should_refuse_to_start_when_the_http_port_is_taken() throws Exception {
        try (ServerSocket holder = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = holder.getLocalPort();

            Exception failure =
                    assertThrows(
                            Exception.class,
                            () ->
                                    RunningGateway.start(
                                            Map.of(), tmp, port, RunningGateway.freePort()));

            assertMentions(messages(failure), "127.0.0.1:" + port, "camel.server.port");
        }
    }

    @Test
    void should_fail_the_start_when_the_http_server_could_not_bind_after_all() throws Exception {
        int port = RunningGateway.freePort();
        PortGrabber grabber = new PortGrabber(port);

        try {
            Exception failure =
                    assertThrows(
                            Exception.class,
                            () ->
                                    assertTimeoutPreemptively(
                                            START_LIMIT,
                                            () ->
                                                    RunningGateway.start(
                                                            Map.of(),
                                                            tmp,
                                                            port,
                                                            RunningGateway.freePort(),
                                                            grabber)));

            assertMentions(messages(failure), "not listening on port " + port, "camel.server.port");
        } finally {
            grabber.release();
        }
    }

    @Test
    void should_exit_with_an_error_code_when_the_http_port_is_taken() throws Exception {
        Path log = tmp.resolve("gateway.log");
        try (ServerSocket holder = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = holder.getLocalPort();

            int exitCode =
                    GatewayProcess.runUntilExit(tmp, port, RunningGateway.freePort(), log, 60_000);

            assertTrue(exitCode > 0, "exit code " + exitCode);
            assertMentions(
                    Files.readString(log, StandardCharsets.UTF_8),
                    "Cannot listen for callbacks on 127.0.0.1:" + port);
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "gateway.broker.embedded.data-dir",
                "gateway.dedup.data-dir",
                "gateway.archive.data-dir"
            })
    void should_refuse_to_start_when_a_file_is_in_the_way_of_a_data_folder(String property)
            throws Exception {
        Path blocker = Files.writeString(tmp.resolve("not-a-folder"), "x");

        Exception failure =
                assertThrows(
                        Exception.class,
                        () -> startWith(Map.of(property, blocker.resolve("data").toString())));

        assertMentions(messages(failure), blocker.toString(), property);
    }

    @Test
    void should_refuse_to_start_on_a_broker_folder_that_another_gateway_holds() throws Exception {
        try (RunningGateway first = RunningGateway.start(Map.of())) {
            String brokerDir = first.dataDir().resolve("broker").toString();

            Exception failure =
                    assertThrows(
                            Exception.class,
                            () -> startWith(Map.of("gateway.broker.embedded.data-dir", brokerDir)));

            assertMentions(
                    messages(failure),
                    brokerDir,
                    "another gateway",
                    "gateway.broker.embedded.data-dir");
        }
    }

    /** Starts a gateway on fresh folders with overrides; fails the test if it hangs. */
    private RunningGateway startWith(Map<String, String> overrides) {
        return assertTimeoutPreemptively(
                START_LIMIT,
                () ->
                        RunningGateway.start(
                                overrides,
                                Files.createTempDirectory(tmp, "gw-"),
                                RunningGateway.freePort(),
                                RunningGateway.freePort()));
    }

    /**
     * Takes the HTTP port once the start-up checks have passed and before the HTTP server binds it:
     * the race that the checks alone cannot rule out.
     */
    private static final class PortGrabber implements CamelConfiguration {
        private final int port;
        private volatile ServerSocket held;

        PortGrabber(int port) {
            this.port = port;
        }

        /** Runs after the gateway's own configuration classes, so after its checks. */
        @Override
        public void configure(CamelContext context) throws Exception {
            held = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"));
        }

        void release() throws Exception {
            if (held != null) {
                held.close();
            }
        }
    }

    private static void assertMentions(String text, String... parts) {
        for (String part : parts) {
            assertTrue(text.contains(part), "expected '" + part + "' in: " + text);
        }
    }

    /** The messages of a failure and its causes, one after the other. */
    private static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            all.append(cause.getMessage()).append('\n');
        }
        return all.toString();
    }
}
