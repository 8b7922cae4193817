package org.opentokgateway.alerts;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.apache.activemq.advisory.AdvisorySupport;
import org.apache.activemq.command.ActiveMQDestination;
import org.apache.activemq.command.ActiveMQMessage;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.jms.JmsMessage;
import org.opentokgateway.intake.CallbackHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one broker advisory "message moved to a dead-letter queue" and raises a {@code dead-letter}
 * alert naming the queue, the message and its callback headers. The dead letter itself is not
 * touched: it stays on its DLQ for replay. Route: {@code dead-letter-watch}.
 */
public class DeadLetterAlertProcessor implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterAlertProcessor.class);

    /** Callback headers worth showing in the mail; never the body. */
    private static final String[] SHOWN = {
        CallbackHeaders.FAMILY, CallbackHeaders.EVENT, CallbackHeaders.SESSION_ID,
        CallbackHeaders.ARCHIVE_ID, CallbackHeaders.ARCHIVE_STATUS, CallbackHeaders.PATH,
        CallbackHeaders.RECEIVED_AT, AlertKinds.KIND_HEADER, "dlqDeliveryFailureCause"
    };

    private final AlertOutbox outbox;
    private final Set<String> ownQueues;

    /** {@code ownQueues}: the alert and mail queues, whose dead letters must not raise alerts. */
    public DeadLetterAlertProcessor(AlertOutbox outbox, Set<String> ownQueues) {
        this.outbox = outbox;
        this.ownQueues = ownQueues;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        JmsMessage in = exchange.getIn(JmsMessage.class);
        if (in == null || !(in.getJmsMessage() instanceof ActiveMQMessage advisory)) {
            return;
        }
        String queue = originalQueue(advisory);
        ActiveMQMessage dead = advisory.getDataStructure() instanceof ActiveMQMessage m ? m : null;
        String messageId = dead == null ? "-" : String.valueOf(dead.getJMSMessageID());
        if (ownQueues.contains(queue)) {
            // An alert about the alert queue would travel the same broken path: log it instead.
            LOG.error(
                    "Message {} of the ops queue {} was moved to its dead-letter queue",
                    messageId,
                    queue);
            return;
        }

        Map<String, Object> details = new LinkedHashMap<>();
        details.put("queue", queue);
        details.put("deadLetterQueue", "DLQ." + queue + " (or the broker's shared ActiveMQ.DLQ)");
        details.put("messageId", messageId);
        if (dead != null) {
            if (dead.getTimestamp() > 0) {
                details.put("sentAt", Instant.ofEpochMilli(dead.getTimestamp()).toString());
            }
            details.put("deliveries", dead.getRedeliveryCounter() + 1);
            for (String name : SHOWN) {
                Object value = dead.getProperty(name);
                if (value != null) {
                    details.put(name, value);
                }
            }
        }
        String subject =
                "A message on "
                        + queue
                        + " gave up after its retries and is on its "
                        + "dead-letter queue";
        outbox.raise(OpsAlert.of(AlertKinds.DEAD_LETTER, OpsAlert.ERROR, subject, details), false);
    }

    /**
     * The queue the message was on, from the advisory topic ActiveMQ.Advisory.MessageDLQd.Queue.x.
     */
    private static String originalQueue(ActiveMQMessage advisory) {
        ActiveMQDestination topic = advisory.getDestination();
        String name = topic == null ? "" : topic.getPhysicalName();
        String rest =
                name.startsWith(AdvisorySupport.MESSAGE_DLQ_TOPIC_PREFIX)
                        ? name.substring(AdvisorySupport.MESSAGE_DLQ_TOPIC_PREFIX.length())
                        : name;
        if (rest.startsWith("Queue.")) {
            return rest.substring("Queue.".length());
        }
        return rest.startsWith("Topic.") ? "topic " + rest.substring("Topic.".length()) : rest;
    }
}
