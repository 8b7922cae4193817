package org.opentokgateway.health;

import java.io.File;
import java.util.List;
import java.util.concurrent.ExecutorService;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;
import org.opentokgateway.GatewayProperties;
import org.opentokgateway.admin.QueueReport;
import org.opentokgateway.broker.EmbeddedBroker;
import org.opentokgateway.intake.AccessLogProcessor;
import org.opentokgateway.security.VerifySignatureProcessor;

/**
 * Wires health and metrics: the Prometheus registry that Camel's {@code /observe/metrics} serves,
 * the {@code gatewayMetrics} and {@code storeMonitor} beans, the readiness checks (broker, HTTP
 * server, stores) and the start-up banner. Runs after {@code GatewayConfiguration}.
 */
public class HealthConfiguration implements CamelConfiguration {

    /** The registry name under which Camel's Micrometer support looks for its registry. */
    static final String METER_REGISTRY = "metricsRegistry";

    @Override
    public void configure(CamelContext context) throws Exception {
        GatewayProperties props = new GatewayProperties(context);
        PrometheusMeterRegistry registry = meterRegistry(context);

        GatewayMetrics metrics = new GatewayMetrics(registry);
        context.getRegistry().bind("gatewayMetrics", metrics);
        StoreMonitor storeMonitor =
                new StoreMonitor(
                        registry,
                        props.getInt("gateway.health.store-failures"),
                        props.getLong("gateway.health.store-failure-window-ms"),
                        System::currentTimeMillis);
        context.getRegistry().bind("storeMonitor", storeMonitor);

        VerifySignatureProcessor signatures =
                context.getRegistry()
                        .lookupByNameAndType("verifySignature", VerifySignatureProcessor.class);
        if (signatures != null) {
            FunctionCounter.builder(
                            "gateway.signature.failures",
                            signatures,
                            VerifySignatureProcessor::failures)
                    .description("Callbacks whose signature check failed, in warn and enforce mode")
                    .register(registry);
        }

        AccessLogProcessor accessLog =
                context.getRegistry().lookupByNameAndType("accessLog", AccessLogProcessor.class);
        if (accessLog != null) {
            accessLog.setOutcomeListener(metrics::callbackAnswered);
        }
        EmbeddedBroker embedded =
                context.getRegistry().lookupByNameAndType("embeddedBroker", EmbeddedBroker.class);
        if (embedded != null) {
            List<String> queues = QueueReport.QUEUE_PROPERTIES.stream().map(props::get).toList();
            metrics.watchQueues(embedded, queues);
        }

        ExecutorService brokerProbes =
                context.getExecutorServiceManager()
                        .newSingleThreadExecutor(this, "gateway-broker-health");
        register(
                context,
                new BrokerHealthCheck(
                        embedded,
                        healthCheckFactory(context, props),
                        props.getLong("gateway.health.broker-timeout-ms"),
                        props.getLong("gateway.health.broker-cache-ms"),
                        brokerProbes));
        register(
                context,
                new HttpServerHealthCheck(
                        props.get("camel.server.host"),
                        props.getInt("camel.server.port"),
                        props.getInt("gateway.health.broker-timeout-ms")));
        register(context, new StoreHealthCheck(storeMonitor));

        context.addStartupListener(new StartupBanner(bannerSettings(context, props)));
    }

    /** Camel's Micrometer support uses a registry bound under this name, or binds its own. */
    private static PrometheusMeterRegistry meterRegistry(CamelContext context) {
        PrometheusMeterRegistry registry =
                context.getRegistry()
                        .lookupByNameAndType(METER_REGISTRY, PrometheusMeterRegistry.class);
        if (registry == null) {
            registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            context.getRegistry().bind(METER_REGISTRY, registry);
        }
        return registry;
    }

    private static void register(CamelContext context, HealthCheck check) {
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        if (health == null) {
            throw new IllegalStateException("Camel health checks are off (camel.health.enabled)");
        }
        health.register(check);
    }

    /**
     * A copy of the broker factory behind the {@code jms} component (same URL and credentials), so
     * the check never takes a connection that callbacks need.
     */
    private static ActiveMQConnectionFactory healthCheckFactory(
            CamelContext context, GatewayProperties props) {
        JmsComponent jms = context.getComponent("jms", JmsComponent.class);
        Object factory = jms.getConfiguration().getConnectionFactory();
        if (factory instanceof JmsPoolConnectionFactory pool) {
            factory = pool.getConnectionFactory();
        }
        if (!(factory instanceof ActiveMQConnectionFactory activeMq)) {
            throw new IllegalStateException("The jms component has no ActiveMQ connection factory");
        }
        ActiveMQConnectionFactory copy = activeMq.copy();
        copy.setConnectResponseTimeout(props.getInt("gateway.health.broker-timeout-ms"));
        return copy;
    }

    private static StartupBanner.Settings bannerSettings(
            CamelContext context, GatewayProperties props) {
        return new StartupBanner.Settings(
                props.get("camel.server.host"),
                props.getInt("camel.server.port"),
                optional(context, "gateway.http.public-url", ""),
                props.get("gateway.broker.url"),
                new File(props.get("gateway.broker.embedded.data-dir")).getAbsolutePath(),
                props.get("gateway.broker.embedded.connector"),
                Boolean.parseBoolean(optional(context, "camel.management.enabled", "false")),
                optional(context, "camel.management.host", "0.0.0.0"),
                Integer.parseInt(optional(context, "camel.management.port", "8080")),
                signatureModes(context),
                optional(context, "gateway.mail.smtp.host", ""));
    }

    /** The default signature mode, with the per-path and per-family modes when there are. */
    private static String signatureModes(CamelContext context) {
        String mode = optional(context, "gateway.signature.mode", "off");
        String scoped = optional(context, "gateway.signature.path-modes", "");
        return scoped.isBlank() ? mode : mode + " (" + scoped + ")";
    }

    /** A key that another feature defines; its default when that feature is not there. */
    private static String optional(CamelContext context, String key, String fallback) {
        return context.getPropertiesComponent()
                .resolveProperty(key)
                .map(String::trim)
                .orElse(fallback);
    }
}
