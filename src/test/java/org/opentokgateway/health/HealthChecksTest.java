package org.opentokgateway.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;

import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.opentokgateway.support.RunningGateway;

/** The HTTP-server readiness check and the start-up banner, on their own. */
class HealthChecksTest {

    @Test
    void should_report_the_http_server_down_while_nothing_listens_on_its_port() throws Exception {
        int unusedPort = RunningGateway.freePort();
        HttpServerHealthCheck check = new HttpServerHealthCheck("0.0.0.0", unusedPort, 500);
        check.setCamelContext(new DefaultCamelContext());

        HealthCheck.Result result = check.call();

        assertEquals(HealthCheck.State.DOWN, result.getState());
        assertFalse(check.isLiveness());
    }

    @Test
    void should_report_the_http_server_up_once_its_port_accepts_connections() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            HttpServerHealthCheck check =
                    new HttpServerHealthCheck("127.0.0.1", server.getLocalPort(), 500);
            check.setCamelContext(new DefaultCamelContext());

            HealthCheck.Result result = check.call();

            assertEquals(HealthCheck.State.UP, result.getState());
        }
    }

    @Test
    void should_show_callback_urls_and_hide_broker_credentials_in_the_banner() {
        StartupBanner banner =
                new StartupBanner(
                        new StartupBanner.Settings(
                                "0.0.0.0",
                                8080,
                                "https://hooks.example.org/",
                                "failover:(tcp://gw:s3cret@10.0.0.5:61616)?jms.password=s3cret",
                                "data/broker",
                                "tcp://127.0.0.1:61616",
                                true,
                                "127.0.0.1",
                                9876,
                                "off",
                                "smtp.example.org"));

        String text = String.join("\n", banner.lines());

        assertTrue(text.contains("https://hooks.example.org/callbacks/session"), text);
        assertTrue(text.contains("https://hooks.example.org/callbacks/archive"), text);
        assertTrue(text.contains("http://127.0.0.1:9876"), text);
        assertTrue(text.contains("on, through smtp.example.org"), text);
        assertFalse(text.contains("s3cret"), text);
    }

    @Test
    void should_name_the_embedded_broker_and_its_folder_when_no_url_is_set() {
        StartupBanner banner =
                new StartupBanner(
                        new StartupBanner.Settings(
                                "127.0.0.1",
                                8080,
                                "",
                                "",
                                "/srv/gateway/data/broker",
                                "tcp://127.0.0.1:61616",
                                false,
                                "127.0.0.1",
                                9876,
                                "off",
                                ""));

        List<String> lines = banner.lines();

        assertTrue(
                lines.stream()
                        .anyMatch(
                                l ->
                                        l.contains("embedded, data in /srv/gateway/data")
                                                && l.contains("tcp://127.0.0.1:61616")),
                lines.toString());
        String urls = String.join("\n", lines);
        assertTrue(urls.contains("http://127.0.0.1:8080/callbacks/session"), urls);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("  Mail") && l.endsWith("off")));
    }
}
