package org.opentokgateway;

import io.vertx.core.VertxOptions;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.support.service.ServiceSupport;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;
import org.opentokgateway.admin.QueueReport;
import org.opentokgateway.broker.BrokerSettings;
import org.opentokgateway.broker.EmbeddedBroker;
import org.opentokgateway.intake.AccessLogProcessor;
import org.opentokgateway.intake.CallbackClassifier;
import org.opentokgateway.intake.CaptureRequestProcessor;
import org.opentokgateway.intake.ClassifyCallbackProcessor;
import org.opentokgateway.intake.GatewayAnswers;
import org.opentokgateway.intake.HttpErrorAnswers;
import org.opentokgateway.intake.RejectedRequestProcessor;
import org.opentokgateway.store.CallbackStore;
import org.opentokgateway.store.StoreSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the gateway into the Camel context: the broker (embedded unless {@code gateway.broker.url}
 * names one), the pooled JMS connection factory behind the {@code jms} component, and the
 * processors the routes refer to by bean id.
 */
public class GatewayConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        GatewayProperties props = new GatewayProperties(context);

        EmbeddedBroker embedded = null;
        String brokerUrl = props.get("gateway.broker.url");
        if (brokerUrl.isBlank()) {
            embedded =
                    new EmbeddedBroker(
                            new BrokerSettings(
                                    props.get("gateway.broker.embedded.name"),
                                    props.get("gateway.broker.embedded.connector"),
                                    props.get("gateway.broker.embedded.data-dir"),
                                    props.getLong("gateway.broker.embedded.store-limit-mb"),
                                    props.getLong("gateway.broker.embedded.temp-limit-mb"),
                                    props.get("gateway.queue.rejected")));
            context.addService(embedded, true, true);
            brokerUrl = embedded.inVmUrl();
        } else {
            brokerUrl =
                    withFailoverTimeout(brokerUrl, props.getLong("gateway.broker.send-timeout-ms"));
            LOG.info("Using the external broker at {}", redactUserInfo(brokerUrl));
        }

        // Each request runs on a Vert.x worker thread while it waits for the broker: the pool
        // bounds how many callbacks can be in flight, and so how many share one disk sync.
        VertxOptions vertx =
                new VertxOptions().setWorkerPoolSize(props.getInt("gateway.http.worker-threads"));
        context.getRegistry().bind("vertxOptions", vertx);

        ActiveMQConnectionFactory brokerFactory = brokerFactory(props, brokerUrl);
        JmsPoolConnectionFactory pool = pooledFactory(props, brokerFactory);
        context.addService(new PoolService(pool), true, true);

        CallbackStore store =
                new CallbackStore(
                        groupCommitFactory(brokerFactory),
                        new StoreSettings(
                                props.getInt("gateway.store.committers"),
                                props.getInt("gateway.store.max-group"),
                                props.getInt("gateway.store.max-waiting"),
                                props.getLong("gateway.broker.send-timeout-ms")));
        context.addService(store, true, true);
        context.getRegistry().bind("callbackStore", store);

        JmsComponent jms = new JmsComponent();
        jms.setConnectionFactory(pool);
        jms.setDeliveryPersistent(true);
        context.addComponent("jms", jms);

        CallbackClassifier classifier = new CallbackClassifier();
        context.getRegistry().bind("callbackClassifier", classifier);
        context.getRegistry().bind("captureRequest", new CaptureRequestProcessor());
        context.getRegistry()
                .bind("classifyCallback", new ClassifyCallbackProcessor(context, classifier));
        context.getRegistry().bind("prepareRejectedRecord", new RejectedRequestProcessor());
        context.getRegistry().bind("writeAnswer", new GatewayAnswers());
        context.getRegistry().bind("accessLog", new AccessLogProcessor());
        context.getRegistry().bind("queueReport", new QueueReport(context, embedded, pool));
        if (embedded != null) {
            context.getRegistry().bind("embeddedBroker", embedded);
        }

        HttpErrorAnswers errorAnswers =
                new HttpErrorAnswers(
                        context,
                        props.getInt("camel.server.port"),
                        props.getLong("gateway.http.max-body-bytes"));
        context.addStartupListener(errorAnswers);
    }

    private static ActiveMQConnectionFactory brokerFactory(GatewayProperties props, String url) {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url);
        String user = props.get("gateway.broker.user");
        if (!user.isBlank()) {
            factory.setUserName(user);
            factory.setPassword(props.get("gateway.broker.password"));
        }
        // Every send waits for the broker's receipt, also inside a transaction, so that a send
        // the broker refuses fails at once instead of being missed by the commit; bounded, so a
        // dead broker gives 503.
        factory.setAlwaysSyncSend(true);
        factory.setUseAsyncSend(false);
        factory.setSendTimeout(props.getInt("gateway.broker.send-timeout-ms"));
        factory.setConnectResponseTimeout(props.getInt("gateway.broker.send-timeout-ms"));
        factory.setCopyMessageOnSend(false);
        factory.setWatchTopicAdvisories(false);
        return factory;
    }

    /**
     * The store's factory: inside its transactions the sends do not wait for a receipt each (a send
     * that waits is also synced to disk on its own by KahaDB); the commit waits, with one disk sync
     * for the group, and the broker fails the commit when any send of the group failed (its
     * default, rollbackOnlyOnAsyncException), so a group is stored whole or not at all. A send
     * time-out would make every send wait, so the store bounds the wait itself.
     */
    private static ActiveMQConnectionFactory groupCommitFactory(ActiveMQConnectionFactory factory) {
        ActiveMQConnectionFactory groups = factory.copy();
        groups.setAlwaysSyncSend(false);
        groups.setSendTimeout(0);
        return groups;
    }

    private static JmsPoolConnectionFactory pooledFactory(
            GatewayProperties props, ActiveMQConnectionFactory factory) {
        JmsPoolConnectionFactory pool = new JmsPoolConnectionFactory();
        pool.setConnectionFactory(factory);
        pool.setMaxConnections(props.getInt("gateway.broker.pool.max-connections"));
        pool.setMaxSessionsPerConnection(
                props.getInt("gateway.broker.pool.max-sessions-per-connection"));
        pool.setBlockIfSessionPoolIsFullTimeout(props.getLong("gateway.broker.send-timeout-ms"));
        return pool;
    }

    /**
     * A failover URL without a timeout blocks a send until the broker comes back; the gateway must
     * answer 503 instead, so the send time-out is added when the URL sets none.
     */
    static String withFailoverTimeout(String url, long timeoutMs) {
        if (!url.startsWith("failover:") || url.contains("timeout=")) {
            return url;
        }
        int close = url.lastIndexOf(')');
        String rest = close >= 0 ? url.substring(close + 1) : "";
        String separator = rest.contains("?") ? "&" : "?";
        return url + separator + "timeout=" + timeoutMs;
    }

    /** The URL without user:password@ parts, for the log. */
    static String redactUserInfo(String url) {
        return url.replaceAll("//[^/@()]*@", "//***@");
    }

    /** Closes the pooled connections when Camel stops, before the embedded broker stops. */
    private static final class PoolService extends ServiceSupport {
        private final JmsPoolConnectionFactory pool;

        PoolService(JmsPoolConnectionFactory pool) {
            this.pool = pool;
        }

        @Override
        protected void doStop() {
            pool.stop();
        }
    }
}
