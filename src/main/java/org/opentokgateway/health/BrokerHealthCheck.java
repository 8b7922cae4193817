package org.opentokgateway.health;

import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.jms.Connection;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.broker.BrokerService;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.opentokgateway.broker.EmbeddedBroker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Readiness: DOWN while the broker cannot be reached. The embedded broker must be started and take
 * an in-memory connection; an external broker must accept a connection within the time limit. The
 * answer is kept for a short while, so frequent probes do not hammer the broker.
 */
public class BrokerHealthCheck extends AbstractHealthCheck {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerHealthCheck.class);

    private final EmbeddedBroker embedded;
    private final ActiveMQConnectionFactory factory;
    private final String shownUrl;
    private final long timeoutMillis;
    private final long cacheMillis;
    private final ExecutorService executor;

    private String lastProblem;
    private long lastCheckedAt;
    private boolean checked;
    private boolean warned;
    private Future<String> attempt;

    /**
     * @param embedded the embedded broker, or null for an external one
     * @param factory a factory for the broker's URL and credentials, used only by this check
     * @param executor runs the connection attempts, so a probe waits at most the time limit
     */
    public BrokerHealthCheck(
            EmbeddedBroker embedded,
            ActiveMQConnectionFactory factory,
            long timeoutMillis,
            long cacheMillis,
            ExecutorService executor) {
        super("gateway", "broker");
        this.embedded = embedded;
        this.factory = factory;
        this.shownUrl = Redaction.redact(factory.getBrokerURL());
        this.timeoutMillis = timeoutMillis;
        this.cacheMillis = cacheMillis;
        this.executor = executor;
    }

    @Override
    public boolean isLiveness() {
        // A broker outage is not cured by restarting the gateway: readiness only.
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        String problem = problem();
        builder.detail("broker", embedded != null ? "embedded" : shownUrl);
        if (problem == null) {
            builder.up();
        } else {
            builder.message(problem);
            builder.down();
        }
    }

    /** Null when the broker answers; otherwise what is wrong. */
    synchronized String problem() {
        long now = System.currentTimeMillis();
        if (checked && now - lastCheckedAt < cacheMillis) {
            return lastProblem;
        }
        // One attempt at a time: a probe that comes while one is still running waits for it.
        if (attempt == null || attempt.isDone()) {
            attempt = executor.submit(this::attemptConnection);
        }
        String problem;
        try {
            problem = attempt.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            problem = "the broker did not answer within " + timeoutMillis + " ms";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem = "the broker check was interrupted";
        } catch (Exception e) {
            problem = "the broker check failed: " + Redaction.describe(e);
        }
        // The very first check may come before the embedded broker has started: that is no
        // news. From the second check on, an unreachable broker is warned about once per outage.
        if (problem != null && !checked) {
            LOG.debug("Readiness: the broker cannot be reached yet ({})", problem);
        } else if (problem != null && !warned) {
            LOG.warn("Readiness: the broker cannot be reached ({})", problem);
            warned = true;
        } else if (problem == null && warned) {
            LOG.info("Readiness: the broker can be reached again");
            warned = false;
        }
        lastProblem = problem;
        lastCheckedAt = System.currentTimeMillis();
        checked = true;
        return problem;
    }

    private String attemptConnection() {
        if (embedded != null) {
            BrokerService broker = embedded.brokerService();
            if (broker == null || !broker.isStarted() || broker.isStopping()) {
                return "the embedded broker is not running";
            }
        }
        try (Connection connection = factory.createConnection()) {
            connection.start();
            return null;
        } catch (Exception e) {
            return "cannot connect to the broker: " + Redaction.describe(e);
        }
    }
}
