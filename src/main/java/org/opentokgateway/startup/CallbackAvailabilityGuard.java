package org.opentokgateway.startup;

import io.vertx.ext.web.RoutingContext;

import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.CamelContextRoutesStartingEvent;
import org.apache.camel.spi.CamelEvent.CamelContextStoppingEvent;
import org.apache.camel.spi.CamelEvent.RouteStartedEvent;
import org.apache.camel.spi.CamelEvent.RouteStoppingEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers callback URLs with 503 JSON while the intake route is not running: the HTTP server
 * listens before the routes start and after they stop, when it would otherwise answer 404. Also
 * sets the HTTP idle timeout, once the server exists and before any route starts.
 */
public class CallbackAvailabilityGuard extends EventNotifierSupport {

    /** The outcome of a callback refused while the gateway starts or stops. */
    public static final String UNAVAILABLE = "unavailable";

    static final String INTAKE_ROUTE = "callback-intake";

    private static final String CALLBACK_PATHS = "/callbacks/*";
    private static final String BODY =
            "{\"outcome\":\""
                    + UNAVAILABLE
                    + "\","
                    + "\"reason\":\"the gateway is starting or stopping\"}";

    private static final Logger LOG = LoggerFactory.getLogger(CallbackAvailabilityGuard.class);

    private final CamelContext context;
    private final int port;
    private final int idleTimeoutSeconds;
    private volatile boolean open;

    /**
     * @param idleTimeoutSeconds idle HTTP connections are closed after this long; 0: never
     */
    public CallbackAvailabilityGuard(CamelContext context, int port, int idleTimeoutSeconds) {
        this.context = context;
        this.port = port;
        this.idleTimeoutSeconds = idleTimeoutSeconds;
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelContextRoutesStartingEvent
                || event instanceof CamelContextStoppingEvent
                || event instanceof RouteStartedEvent
                || event instanceof RouteStoppingEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof CamelContextRoutesStartingEvent) {
            install();
        } else if (event instanceof CamelContextStoppingEvent) {
            open = false;
        } else if (event instanceof RouteStartedEvent started && isIntake(started)) {
            open = true;
        } else if (event instanceof RouteStoppingEvent stopping && isIntake(stopping)) {
            open = false;
        }
    }

    private static boolean isIntake(CamelEvent.RouteEvent event) {
        return INTAKE_ROUTE.equals(event.getRoute().getRouteId());
    }

    /** Runs once the HTTP server exists and before any route starts. */
    private void install() {
        VertxPlatformHttpRouter router =
                VertxPlatformHttpRouter.lookup(
                        context, VertxPlatformHttpRouter.getRouterNameFromPort(port));
        if (router == null) {
            LOG.warn("No HTTP router on port {}: callbacks get 404 while the gateway starts", port);
            return;
        }
        router.route(CALLBACK_PATHS).order(-2).handler(this::guard);
        if (router.getServer() != null) {
            HttpIdleTimeout.apply(router.getServer().getServer(), idleTimeoutSeconds);
        }
    }

    private void guard(RoutingContext ctx) {
        if (open) {
            ctx.next();
            return;
        }
        ctx.response()
                .setStatusCode(503)
                .putHeader("Content-Type", "application/json")
                .putHeader("Retry-After", "5")
                .end(BODY);
    }
}
