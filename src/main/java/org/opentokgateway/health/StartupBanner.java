package org.opentokgateway.health;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs one short block at INFO once the gateway has started: where it listens, the callback URLs to
 * enter on the platform's account page, the broker, the management address, and whether signatures
 * and mail are on.
 */
public class StartupBanner implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger("opentok.gateway");

    private final Settings settings;
    private final AtomicBoolean shown = new AtomicBoolean();

    public StartupBanner(Settings settings) {
        this.settings = settings;
    }

    /** What the banner shows, read from the properties when the context is configured. */
    public record Settings(
            String httpHost,
            int httpPort,
            String publicUrl,
            String brokerUrl,
            String embeddedDataDir,
            String embeddedConnector,
            boolean managementEnabled,
            String managementHost,
            int managementPort,
            String signatureMode,
            String smtpHost) {}

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // Logged once the context has fully started, see onCamelContextFullyStarted.
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        if (shown.compareAndSet(false, true)) {
            LOG.info("{}", String.join(System.lineSeparator(), lines()));
        }
    }

    /** The banner, one entry a line. */
    public List<String> lines() {
        String base = baseUrl();
        List<String> lines = new ArrayList<>();
        lines.add("OpenTok Callback Gateway is running");
        lines.add("  HTTP server    http://" + settings.httpHost() + ":" + settings.httpPort());
        lines.add("  Callback URLs  " + base + "/callbacks/session  (session monitoring)");
        lines.add("                 " + base + "/callbacks/archive  (archive status)");
        lines.add("                 any " + base + "/callbacks/{name} is accepted too");
        lines.add("  Broker         " + brokerLine());
        lines.add("  Management     " + managementLine());
        lines.add("  Signatures     " + orOff(settings.signatureMode()));
        lines.add(
                "  Mail           "
                        + (blank(settings.smtpHost())
                                ? "off"
                                : "on, through " + settings.smtpHost()));
        return lines;
    }

    private String baseUrl() {
        if (!blank(settings.publicUrl())) {
            String url = settings.publicUrl().trim();
            return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        }
        String host = settings.httpHost();
        if (host == null || host.isBlank() || "0.0.0.0".equals(host) || "::".equals(host)) {
            // Bound to every interface: the platform needs the name it reaches this machine by.
            host = "<this-host>";
        }
        return "http://" + host + ":" + settings.httpPort();
    }

    private String brokerLine() {
        if (blank(settings.brokerUrl())) {
            return "embedded, data in "
                    + settings.embeddedDataDir()
                    + ", OpenWire on "
                    + settings.embeddedConnector();
        }
        return "external, " + Redaction.redact(settings.brokerUrl());
    }

    private String managementLine() {
        if (!settings.managementEnabled()) {
            return "off";
        }
        return "http://"
                + settings.managementHost()
                + ":"
                + settings.managementPort()
                + "  (/observe/health, /observe/health/ready, /observe/metrics)";
    }

    private static String orOff(String value) {
        return blank(value) ? "off" : value;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
