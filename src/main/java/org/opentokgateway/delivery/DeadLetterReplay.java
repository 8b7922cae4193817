package org.opentokgateway.delivery;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import org.apache.camel.Header;
import org.opentokgateway.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves dead letters back to the queue they came from, all of them or those a JMS selector picks,
 * one transaction per message so none is lost or doubled by a failure half-way. Route: {@code
 * dlq-replay} ({@code POST /admin/dlq/{queue}/replay}).
 */
public class DeadLetterReplay {

    /** Queue names the endpoint accepts: what ActiveMQ names allow, without wildcards. */
    private static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

    /** How long to wait for the first dead letter, and for each next one, in ms. */
    private static final long FIRST_WAIT_MS = 1000;

    private static final long NEXT_WAIT_MS = 200;

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterReplay.class);

    private final ConnectionFactory connectionFactory;
    private final int defaultLimit;

    public DeadLetterReplay(ConnectionFactory connectionFactory, int defaultLimit) {
        this.connectionFactory = connectionFactory;
        this.defaultLimit = defaultLimit;
    }

    /** The replay as the admin endpoint asks for it: path and query parameters as headers. */
    public Map<String, Object> replayRequest(
            @Header("queue") String queue,
            @Header("selector") String selector,
            @Header("limit") String limit)
            throws JMSException {
        int most = defaultLimit;
        if (limit != null && !limit.isBlank()) {
            try {
                most = Integer.parseInt(limit.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("limit is not a whole number", e);
            }
        }
        if (most < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        return replay(queue, selector, most);
    }

    /**
     * Moves at most {@code limit} messages from {@code DLQ.<queue>} to {@code queue}.
     *
     * @param selector a JMS selector on the dead letters' headers; null or blank: all
     * @return the queue, the dead-letter queue, the selector and how many moved
     */
    public Map<String, Object> replay(String queue, String selector, int limit)
            throws JMSException {
        if (queue == null
                || !QUEUE_NAME.matcher(queue).matches()
                || queue.startsWith(DeadLetters.PREFIX)) {
            throw new IllegalArgumentException("not a queue name the replay accepts");
        }
        String filter = selector == null || selector.isBlank() ? null : selector;
        String deadLetters = DeadLetters.of(queue);

        int moved = 0;
        try (Connection connection = connectionFactory.createConnection()) {
            connection.start();
            try (Session session = connection.createSession(true, Session.SESSION_TRANSACTED)) {
                MessageConsumer consumer =
                        session.createConsumer(session.createQueue(deadLetters), filter);
                MessageProducer producer = session.createProducer(session.createQueue(queue));
                producer.setDeliveryMode(DeliveryMode.PERSISTENT);
                Message message = consumer.receive(FIRST_WAIT_MS);
                while (message != null && moved < limit) {
                    producer.send(message);
                    session.commit();
                    moved++;
                    message = moved < limit ? consumer.receive(NEXT_WAIT_MS) : null;
                }
                // A message received but not moved goes back to the dead-letter queue.
                session.rollback();
                consumer.close();
                producer.close();
            }
        }
        LOG.info(
                "Replayed {} message(s) from {} to {}{}",
                moved,
                deadLetters,
                queue,
                filter == null ? "" : " (selector " + LogText.escape(filter) + ")");

        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("queue", queue);
        answer.put("from", deadLetters);
        if (filter != null) {
            answer.put("selector", filter);
        }
        answer.put("moved", moved);
        return answer;
    }
}
