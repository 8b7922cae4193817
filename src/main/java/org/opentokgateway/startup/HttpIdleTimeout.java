package org.opentokgateway.startup;

import java.lang.reflect.Field;

import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes HTTP connections on which nothing was read or written for a while (an idle client, a body
 * that stopped half-way), so that idle connections cannot use up file descriptors. Camel's
 * platform-http server builds its Vert.x options itself and exposes no idle timeout: the value is
 * set on the options object the running server reads for each new connection.
 */
final class HttpIdleTimeout {

    private static final Logger LOG = LoggerFactory.getLogger(HttpIdleTimeout.class);

    private HttpIdleTimeout() {}

    /** Applies the timeout to connections accepted from now on; false when it could not. */
    static boolean apply(HttpServer server, int seconds) {
        if (seconds <= 0 || server == null) {
            return false;
        }
        try {
            Field field = server.getClass().getDeclaredField("options");
            field.setAccessible(true);
            if (field.get(server) instanceof HttpServerOptions options) {
                options.setIdleTimeout(seconds);
                LOG.debug("HTTP connections idle for {} s are closed", seconds);
                return true;
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("The HTTP server's options are not reachable", e);
        }
        LOG.warn(
                "gateway.http.idle-timeout-seconds is not applied: this Vert.x version keeps its"
                        + " server options elsewhere; idle HTTP connections stay open");
        return false;
    }
}
