package org.opentokgateway.delivery;

import java.io.File;

import javax.sql.DataSource;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.RedeliveryPolicy;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.support.service.ServiceSupport;
import org.h2.jdbcx.JdbcConnectionPool;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;
import org.opentokgateway.GatewayProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Wires "never lose, never double": the persistent de-duplication repository, the client redelivery
 * policy of every queue consumer, and the dead-letter replay behind {@code POST
 * /admin/dlq/{queue}/replay}. Runs after {@code GatewayConfiguration}.
 */
public class DeliveryConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        GatewayProperties props = new GatewayProperties(context);

        JmsPoolConnectionFactory pool =
                (JmsPoolConnectionFactory)
                        context.getComponent("jms", JmsComponent.class)
                                .getConfiguration()
                                .getConnectionFactory();
        ActiveMQConnectionFactory factory = (ActiveMQConnectionFactory) pool.getConnectionFactory();
        factory.setRedeliveryPolicy(redeliveryPolicy(props));

        KeyDatabase database = keyDatabase(props);
        context.addService(database, true, true);
        CallbackKeyRepository keys =
                new CallbackKeyRepository(
                        database.dataSource(),
                        props.get("gateway.dedup.repository-name"),
                        props.getLong("gateway.dedup.expiry-ms"));
        context.getRegistry().bind("callbackKeyRepository", keys);
        context.getRegistry()
                .bind(
                        "repeatGuardProcessor",
                        new RepeatGuardProcessor(
                                2 * props.getLong("gateway.broker.send-timeout-ms")));

        context.getRegistry()
                .bind(
                        "deadLetterReplay",
                        new DeadLetterReplay(pool, props.getInt("gateway.dlq.replay-limit")));
    }

    /**
     * How a consumer retries a message whose transaction rolled back; after the last try the broker
     * moves it to {@code DLQ.<queue>} with the failure cause.
     */
    static RedeliveryPolicy redeliveryPolicy(GatewayProperties props) {
        RedeliveryPolicy policy = new RedeliveryPolicy();
        policy.setMaximumRedeliveries(props.getInt("gateway.redelivery.max-redeliveries"));
        policy.setInitialRedeliveryDelay(props.getLong("gateway.redelivery.initial-delay-ms"));
        policy.setRedeliveryDelay(props.getLong("gateway.redelivery.initial-delay-ms"));
        policy.setUseExponentialBackOff(true);
        policy.setBackOffMultiplier(
                Double.parseDouble(props.get("gateway.redelivery.backoff-multiplier")));
        policy.setMaximumRedeliveryDelay(props.getLong("gateway.redelivery.max-delay-ms"));
        return policy;
    }

    private static KeyDatabase keyDatabase(GatewayProperties props) {
        String url = props.get("gateway.dedup.jdbc-url");
        String user = props.get("gateway.dedup.jdbc-user");
        String password = props.get("gateway.dedup.jdbc-password");
        if (url.isBlank()) {
            File folder = new File(props.get("gateway.dedup.data-dir")).getAbsoluteFile();
            // H2 writes commits to the file within gateway.dedup.write-delay-ms: writing each one
            // at once (0) made the key record the slowest step of every callback. A process
            // killed in that window forgets the last keys, so a retry of those callbacks is
            // stored again, a duplicate like any other of the at-least-once promise. H2 must not
            // close the database from its own JVM shutdown hook: on SIGTERM, requests still in
            // flight need it until Camel has finished them.
            url =
                    "jdbc:h2:file:"
                            + new File(folder, "callback-keys").getPath()
                            + ";WRITE_DELAY="
                            + props.getLong("gateway.dedup.write-delay-ms")
                            + ";DB_CLOSE_ON_EXIT=FALSE";
            LOG.info("De-duplication keys in the embedded database under {}", folder);
        } else {
            LOG.info(
                    "De-duplication keys in the database at {}",
                    url.replaceAll("//[^/@]*@", "//***@"));
        }
        // Every request in flight may look up and record its key at once: one connection each.
        return new KeyDatabase(url, user, password, props.getInt("gateway.http.worker-threads"));
    }

    /**
     * The data source of the key repository: a small pool of open connections for H2 (so the file
     * stays open between requests), a plain driver data source for any other database. Closed when
     * Camel stops, after the routes.
     */
    static final class KeyDatabase extends ServiceSupport {
        private final DataSource dataSource;

        KeyDatabase(String url, String user, String password, int connections) {
            if (url.startsWith("jdbc:h2:")) {
                JdbcConnectionPool pool = JdbcConnectionPool.create(url, user, password);
                pool.setMaxConnections(connections);
                dataSource = pool;
            } else {
                dataSource = new DriverManagerDataSource(url, user, password);
            }
        }

        DataSource dataSource() {
            return dataSource;
        }

        @Override
        protected void doStop() {
            if (dataSource instanceof JdbcConnectionPool h2) {
                h2.dispose();
            }
        }
    }
}
