package org.opentokgateway.health;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.region.Destination;
import org.apache.activemq.command.ActiveMQDestination;
import org.apache.camel.Exchange;
import org.opentokgateway.broker.EmbeddedBroker;
import org.opentokgateway.intake.CallbackFamily;
import org.opentokgateway.intake.CallbackHeaders;
import org.opentokgateway.intake.GatewayAnswers;

/**
 * The gateway's own Prometheus metrics ({@code gateway_*}): callbacks by family, event and outcome,
 * transcoding jobs, alerts, queue depths and dead letters. Other features call {@link
 * #jobEmitted()} and {@link #alertRaised(String)}; the access log calls {@link
 * #callbackAnswered(Exchange)} once per callback.
 */
public class GatewayMetrics {

    /** Callbacks answered, tagged family, event and outcome. */
    public static final String CALLBACKS = "gateway.callbacks";

    /** Transcoding jobs started for uploaded archives. */
    public static final String TRANSCODING_JOBS = "gateway.transcoding.jobs";

    /** Alerts sent to operators, tagged kind. */
    public static final String ALERTS = "gateway.alerts";

    /** Messages waiting on each gateway queue (embedded broker only), tagged queue. */
    public static final String QUEUE_DEPTH = "gateway.queue.depth";

    /** Messages waiting on every dead-letter queue together (embedded broker only). */
    public static final String DEAD_LETTERS = "gateway.dead.letters";

    /** Tag value for a callback whose family or event is not known (a refused body). */
    static final String NONE = "none";

    /** Tag value for an event name the gateway does not know; keeps the label set bounded. */
    static final String OTHER = "other";

    private final MeterRegistry registry;
    private final Counter transcodingJobs;
    private final Map<String, Counter> callbackCounters = new ConcurrentHashMap<>();

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.transcodingJobs =
                Counter.builder(TRANSCODING_JOBS)
                        .description("Transcoding jobs started for uploaded archives")
                        .register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Counts one answered callback with the outcome the intake route decided. */
    public void callbackAnswered(Exchange exchange) {
        String outcome =
                exchange.getProperty(
                        CallbackHeaders.OUTCOME, GatewayAnswers.STORE_FAILED, String.class);
        String family = exchange.getProperty(CallbackHeaders.FAMILY_LABEL, String.class);
        String event = exchange.getProperty(CallbackHeaders.EVENT_LABEL, String.class);

        callbacks(orNone(family), eventTag(event), outcome).increment();
    }

    /** Counts one transcoding job handed to the post-processing queue. */
    public void jobEmitted() {
        transcodingJobs.increment();
    }

    /** Counts one alert sent to operators; {@code kind} is a short fixed word, not free text. */
    public void alertRaised(String kind) {
        Counter.builder(ALERTS)
                .description("Alerts sent to operators")
                .tag("kind", orNone(kind))
                .register(registry)
                .increment();
    }

    /** Publishes the depth of each queue and of the dead-letter queues of the embedded broker. */
    public void watchQueues(EmbeddedBroker broker, List<String> queues) {
        for (String queue : queues) {
            gauge(
                    QUEUE_DEPTH,
                    "Messages waiting on a gateway queue",
                    broker,
                    b -> Math.max(0, b.queueDepth(queue)),
                    queue);
        }
        gauge(
                DEAD_LETTERS,
                "Messages waiting on the dead-letter queues",
                broker,
                GatewayMetrics::deadLetters,
                null);
    }

    private void gauge(
            String name,
            String description,
            EmbeddedBroker broker,
            ToDoubleFunction<EmbeddedBroker> value,
            String queue) {
        Gauge.Builder<EmbeddedBroker> gauge =
                Gauge.builder(name, broker, value).description(description).strongReference(true);
        if (queue != null) {
            gauge.tag("queue", queue);
        }
        gauge.register(registry);
    }

    /** Sum of the messages on {@code DLQ.*} queues and on ActiveMQ's shared dead-letter queue. */
    static double deadLetters(EmbeddedBroker embedded) {
        BrokerService broker = embedded.brokerService();
        if (broker == null || !broker.isStarted()) {
            return 0;
        }
        long total = 0;
        try {
            for (Map.Entry<ActiveMQDestination, Destination> entry :
                    broker.getRegionBroker().getDestinationMap().entrySet()) {
                ActiveMQDestination destination = entry.getKey();
                if (destination.isQueue() && isDeadLetterQueue(destination.getPhysicalName())) {
                    total += entry.getValue().getDestinationStatistics().getMessages().getCount();
                }
            }
        } catch (Exception e) {
            // The broker is stopping: report nothing rather than fail the scrape.
            return 0;
        }
        return total;
    }

    static boolean isDeadLetterQueue(String name) {
        return name.startsWith("DLQ.") || "ActiveMQ.DLQ".equals(name);
    }

    private Counter callbacks(String family, String event, String outcome) {
        String key = family + '|' + event + '|' + outcome;
        return callbackCounters.computeIfAbsent(
                key,
                k ->
                        Counter.builder(CALLBACKS)
                                .description("Callbacks answered, by family, event and outcome")
                                .tag("family", family)
                                .tag("event", event)
                                .tag("outcome", outcome)
                                .register(registry));
    }

    /** Known event names as they are; anything else as "other", so a sender cannot add labels. */
    static String eventTag(String event) {
        if (event == null || event.isEmpty()) {
            return NONE;
        }
        return CallbackFamily.ofEvent(event) == CallbackFamily.UNKNOWN ? OTHER : event;
    }

    private static String orNone(String value) {
        return value == null || value.isEmpty() ? NONE : value;
    }
}
