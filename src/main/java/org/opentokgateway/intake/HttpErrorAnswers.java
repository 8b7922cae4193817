package org.opentokgateway.intake;

import java.lang.reflect.Field;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.support.DefaultExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the requests that the HTTP server refuses before any route sees them, in the same short
 * JSON form as the routes: 413 for a body over the limit (decided from Content-Length when present,
 * without reading the rest) and 404 for a path that is not a callback URL. Oversized requests are
 * recorded, without their body, on the rejected queue.
 */
public class HttpErrorAnswers implements StartupListener {

    /** The route that records an oversized request and writes its access-log line. */
    public static final String OVERSIZE_ENDPOINT = "direct:oversize-request";

    /** Request header that keeps a form content type the guard replaced. */
    public static final String ORIGINAL_CONTENT_TYPE = "X-Original-Content-Type";

    private static final String CALLBACK_PATHS = "/callbacks/*";

    private static final Logger LOG = LoggerFactory.getLogger(HttpErrorAnswers.class);

    private final CamelContext context;
    private final int port;
    private final long maxBodyBytes;
    private final GatewayAnswers answers = new GatewayAnswers();
    private ProducerTemplate producer;

    public HttpErrorAnswers(CamelContext context, int port, long maxBodyBytes) {
        this.context = context;
        this.port = port;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
        VertxPlatformHttpRouter router =
                VertxPlatformHttpRouter.lookup(
                        context, VertxPlatformHttpRouter.getRouterNameFromPort(port));
        if (router == null) {
            LOG.warn(
                    "No HTTP router on port {}: 413 and 404 answers keep the server's defaults",
                    port);
            return;
        }

        producer = context.createProducerTemplate();
        // Runs before the body is read: makes form content types reach the route as raw bytes
        // (the platform sends JSON, but curl -d sends a form type).
        router.route(CALLBACK_PATHS).order(-1).handler(this::keepFormBodiesRaw);

        Router top = topRouter(router);
        top.errorHandler(413, this::tooLarge);
        top.errorHandler(404, ctx -> answer(ctx, GatewayAnswers.NOT_FOUND, "no callback URL here"));
    }

    /**
     * The server's own router, where a refusal by the body handler ends up: the router that Camel
     * publishes is a sub-router whose error handlers such failures never reach.
     */
    private static Router topRouter(VertxPlatformHttpRouter published) {
        try {
            Field field = VertxPlatformHttpServer.class.getDeclaredField("router");
            field.setAccessible(true);
            Object router = field.get(published.getServer());
            if (router instanceof Router found) {
                return found;
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("The HTTP server's router is not reachable", e);
        }
        LOG.warn("413 and 404 answers keep the HTTP server's plain-text defaults");
        return published;
    }

    private void keepFormBodiesRaw(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String type = request.getHeader("Content-Type");
        if (type != null && isFormType(type)) {
            request.headers().set(ORIGINAL_CONTENT_TYPE, type);
            request.headers().set("Content-Type", "application/octet-stream");
        }
        ctx.next();
    }

    private static boolean isFormType(String contentType) {
        String lower = contentType.toLowerCase(Locale.ROOT).trim();
        return lower.startsWith("application/x-www-form-urlencoded")
                || lower.startsWith("multipart/");
    }

    private void tooLarge(RoutingContext ctx) {
        String reason = "body exceeds " + maxBodyBytes + " bytes";
        answer(ctx, GatewayAnswers.TOO_LARGE, reason);
        record(ctx.request(), reason);
    }

    private void answer(RoutingContext ctx, String outcome, String reason) {
        if (ctx.response().ended()) {
            return;
        }
        try {
            ctx.response()
                    .setStatusCode(GatewayAnswers.statusOf(outcome))
                    .putHeader("Content-Type", "application/json")
                    .end(answers.body(outcome, null, reason));
        } catch (Exception e) {
            ctx.response().setStatusCode(GatewayAnswers.statusOf(outcome)).end();
        }
    }

    /** Hands the refused request to a route; the event loop never waits for the broker. */
    private void record(HttpServerRequest request, String reason) {
        Map<String, String> headers = new LinkedHashMap<>();
        request.headers()
                .forEach(
                        entry -> {
                            String lower = entry.getKey().toLowerCase(Locale.ROOT);
                            if (!lower.equals("authorization")
                                    && !lower.equals("cookie")
                                    && !lower.equals("proxy-authorization")) {
                                headers.put(entry.getKey(), entry.getValue());
                            }
                        });

        Exchange exchange = new DefaultExchange(context);
        exchange.setProperty(CallbackHeaders.RAW_BODY, new byte[0]);
        exchange.setProperty(CallbackHeaders.REQUEST_HEADER_MAP, headers);
        exchange.setProperty(CallbackHeaders.RECEIVED_AT, System.currentTimeMillis());
        exchange.setProperty(CallbackHeaders.OUTCOME, GatewayAnswers.TOO_LARGE);
        exchange.setProperty(RejectedRequestProcessor.REASON, reason);
        exchange.getMessage().setHeader(Exchange.HTTP_PATH, request.path());
        if (request.remoteAddress() != null) {
            exchange.setProperty(
                    CallbackHeaders.REMOTE_ADDRESS_PROPERTY, request.remoteAddress().toString());
        }
        producer.asyncSend(OVERSIZE_ENDPOINT, exchange);
    }
}
