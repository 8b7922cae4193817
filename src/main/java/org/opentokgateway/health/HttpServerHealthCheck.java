package org.opentokgateway.health;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness: DOWN until the callback HTTP server accepts connections, found by opening (and at once
 * closing) a TCP connection to it, as a load balancer would.
 */
public class HttpServerHealthCheck extends AbstractHealthCheck {

    private final String host;
    private final int port;
    private final int timeoutMillis;

    /**
     * @param host the address the server binds to; a wildcard address is probed on loopback
     */
    public HttpServerHealthCheck(String host, int port, int timeoutMillis) {
        super("gateway", "http-server");
        this.host = isWildcard(host) ? "127.0.0.1" : host;
        this.port = port;
        this.timeoutMillis = timeoutMillis;
    }

    private static boolean isWildcard(String host) {
        return host == null
                || host.isBlank()
                || "0.0.0.0".equals(host)
                || "::".equals(host)
                || "[::]".equals(host);
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("address", host + ":" + port);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            builder.up();
        } catch (IOException e) {
            builder.message("the callback server is not listening on " + host + ":" + port);
            builder.down();
        }
    }
}
