package org.opentokgateway.alerts;

import java.util.Enumeration;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.apache.camel.CamelContext;
import org.apache.camel.component.jms.JmsComponent;
import org.opentokgateway.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * While mail is off, writes each alert that other features put on the alert queue to the log at
 * WARN, once, by browsing the queue: nothing is taken off it. Alerts raised inside the gateway were
 * logged when raised and are skipped. Route: {@code ops-alert-log}.
 */
public class AlertQueueLog {

    private static final Logger LOG = LoggerFactory.getLogger(AlertQueueLog.class);
    private static final int REMEMBERED = 10_000;
    private static final int MAX_PER_RUN = 200;

    private final CamelContext context;
    private final String queue;
    private final Set<String> seen = new LinkedHashSet<>();

    public AlertQueueLog(CamelContext context, String queue) {
        this.context = context;
        this.queue = queue;
    }

    /** Logs the alerts on the queue not logged before; a broker that is down is skipped quietly. */
    public void logNewAlerts() {
        ConnectionFactory factory =
                context.getComponent("jms", JmsComponent.class).getConnectionFactory();
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            QueueBrowser browser = session.createBrowser(session.createQueue(queue));
            Enumeration<?> messages = browser.getEnumeration();
            int logged = 0;
            while (messages.hasMoreElements() && logged < MAX_PER_RUN) {
                Message message = (Message) messages.nextElement();
                boolean loggedWhenRaised = message.propertyExists(AlertKinds.LOGGED_HEADER);
                if (remember(message.getJMSMessageID()) && !loggedWhenRaised) {
                    log(message);
                    logged++;
                }
            }
            browser.close();
        } catch (Exception e) {
            LOG.debug("Could not browse the ops-alert queue {}", queue, e);
        }
    }

    private boolean remember(String id) {
        if (!seen.add(id)) {
            return false;
        }
        if (seen.size() > REMEMBERED) {
            Iterator<String> oldest = seen.iterator();
            oldest.next();
            oldest.remove();
        }
        return true;
    }

    private static void log(Message message) throws Exception {
        if (!(message instanceof TextMessage text)) {
            LOG.warn("Ops alert on the queue that is not text: {}", message.getJMSMessageID());
            return;
        }
        try {
            OpsAlert alert = OpsAlert.fromJson(text.getText());
            LOG.warn(
                    "Ops alert {} ({}, seen {}x since {}): {}",
                    alert.kind(),
                    alert.severity(),
                    alert.count(),
                    alert.firstSeen(),
                    LogText.escape(alert.subject()));
        } catch (RuntimeException e) {
            LOG.warn("Ops alert on the queue that is not an alert: {}", message.getJMSMessageID());
        }
    }
}
