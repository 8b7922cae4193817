package org.opentokgateway.startup;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import io.vertx.core.net.impl.TCPServerBase;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.opentokgateway.GatewayProperties;

/**
 * Refuses to start, with one line naming the address or folder and its property, when the callback
 * port is taken or a data folder cannot be written; without these checks the gateway would run on
 * without an HTTP listener, or wait forever for its broker.
 */
public class StartupChecks implements CamelConfiguration {

    static final String PROBE_FILE = ".gateway-write-probe";

    @Override
    public void configure(CamelContext context) throws Exception {
        GatewayProperties props = new GatewayProperties(context);

        if (Boolean.parseBoolean(props.get("camel.server.enabled"))) {
            String host = props.get("camel.server.host");
            int port = props.getInt("camel.server.port");
            checkPortFree(host, port);
            context.addStartupListener((started, alreadyStarted) -> checkListening(started, port));
            context.getManagementStrategy()
                    .addEventNotifier(
                            new CallbackAvailabilityGuard(
                                    context,
                                    port,
                                    props.getInt("gateway.http.idle-timeout-seconds")));
        }
        if (props.get("gateway.broker.url").isBlank()) {
            checkWritableFolder(
                    props.get("gateway.broker.embedded.data-dir"),
                    "gateway.broker.embedded.data-dir");
        }
        if (props.get("gateway.dedup.jdbc-url").isBlank()) {
            checkWritableFolder(props.get("gateway.dedup.data-dir"), "gateway.dedup.data-dir");
        }
        checkWritableFolder(props.get("gateway.archive.data-dir"), "gateway.archive.data-dir");
    }

    /** Binds the address for a moment; port 0 (any free port) is never taken. */
    static void checkPortFree(String host, int port) {
        if (port == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new StartupCheckException(
                    "Cannot listen for callbacks on "
                            + host
                            + ":"
                            + port
                            + " ("
                            + e.getMessage()
                            + "): another program uses the port; stop it or set"
                            + " camel.server.port (and camel.server.host)");
        }
    }

    /**
     * The HTTP server only logs a failed bind and starts anyway: a server that is not listening
     * once Camel has started fails the start. Vert.x's public server interface has no such query
     * (its port reads as configured even after a failed bind), so the check asks the server's
     * implementation class, and is skipped when that class changes.
     */
    static void checkListening(CamelContext context, int port) {
        VertxPlatformHttpRouter router =
                VertxPlatformHttpRouter.lookup(
                        context, VertxPlatformHttpRouter.getRouterNameFromPort(port));
        if (router == null || router.getServer() == null) {
            return;
        }
        if (router.getServer().getServer() instanceof TCPServerBase server
                && !server.isListening()) {
            throw new StartupCheckException(
                    "The HTTP server is not listening on port "
                            + port
                            + ": another program took the port; stop it or set camel.server.port");
        }
    }

    /** Creates the folder when missing, then writes and deletes a probe file in it. */
    static void checkWritableFolder(String folder, String property) {
        Path dir = new File(folder).getAbsoluteFile().toPath();
        try {
            Files.createDirectories(dir);
            Path probe = dir.resolve(PROBE_FILE);
            Files.write(probe, new byte[] {1});
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new StartupCheckException(
                    "The data folder "
                            + dir
                            + " cannot be used ("
                            + describe(e)
                            + "); fix its permissions or set "
                            + property);
        }
    }

    private static String describe(Exception e) {
        String type = e.getClass().getSimpleName();
        return e.getMessage() == null ? type : type + ": " + e.getMessage();
    }
}
