package org.opentokgateway.admin;

import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;

import org.apache.camel.CamelContext;
import org.opentokgateway.broker.EmbeddedBroker;

/**
 * Lists every queue of the gateway with the number of messages waiting and the headers of the
 * newest ones, so a user can see what landed where without writing code. Route: {@code
 * queue-report} ({@code GET /admin/queues}).
 */
public class QueueReport {

    /** The properties that name the gateway's queues, in the order the report lists them. */
    public static final List<String> QUEUE_PROPERTIES =
            List.of(
                    "gateway.queue.session-events",
                    "gateway.queue.connection-events",
                    "gateway.queue.stream-events",
                    "gateway.queue.archive-events",
                    "gateway.queue.sip-events",
                    "gateway.queue.broadcast-events",
                    "gateway.queue.render-events",
                    "gateway.queue.unknown-events",
                    "gateway.queue.rejected");

    /** ActiveMQ lets a browser see at most this many messages of a queue at once. */
    private static final int BROWSE_LIMIT = 400;

    private final CamelContext context;
    private final EmbeddedBroker embedded;
    private final ConnectionFactory connectionFactory;

    public QueueReport(CamelContext context, EmbeddedBroker embedded, ConnectionFactory factory) {
        this.context = context;
        this.embedded = embedded;
        this.connectionFactory = factory;
    }

    /** One entry a queue: name, depth and the headers of the newest message browsed. */
    public Map<String, Object> report() throws JMSException {
        List<Map<String, Object>> queues = new ArrayList<>();
        try (Connection connection = connectionFactory.createConnection()) {
            connection.start();
            try (Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
                for (String property : QUEUE_PROPERTIES) {
                    String name = context.resolvePropertyPlaceholders("{{" + property + "}}");
                    queues.add(describe(session, name));
                }
            }
        }

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("broker", embedded != null ? "embedded" : "external");
        report.put("queues", queues);
        return report;
    }

    private Map<String, Object> describe(Session session, String name) throws JMSException {
        Queue queue = session.createQueue(name);
        int browsed = 0;
        Message newest = null;
        try (QueueBrowser browser = session.createBrowser(queue)) {
            Enumeration<?> messages = browser.getEnumeration();
            while (messages.hasMoreElements()) {
                newest = (Message) messages.nextElement();
                browsed++;
            }
        }

        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("queue", name);
        long depth = embedded != null ? embedded.queueDepth(name) : -1;
        if (depth >= 0) {
            entry.put("depth", depth);
        } else if (browsed < BROWSE_LIMIT) {
            entry.put("depth", browsed);
        } else {
            entry.put("depthAtLeast", browsed);
        }
        if (newest != null) {
            entry.put("lastBrowsedHeaders", headersOf(newest));
        }
        return entry;
    }

    private static Map<String, Object> headersOf(Message message) throws JMSException {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("JMSMessageID", message.getJMSMessageID());
        headers.put("JMSTimestamp", message.getJMSTimestamp());
        Enumeration<?> names = message.getPropertyNames();
        while (names.hasMoreElements()) {
            String name = (String) names.nextElement();
            headers.put(name, message.getObjectProperty(name));
        }
        return headers;
    }
}
