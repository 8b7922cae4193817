package org.opentokgateway.alerts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.opentokgateway.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alerts raised inside the gateway wait here, in memory, until the alert queue takes them: the
 * broker may be the very thing that is down. Alerts of a coalescing kind fold into one pending
 * alert. When mail is on and the queue stays unreachable for {@code directMailAfter}, pending
 * alerts are mailed without the broker, and later published marked as mailed. Route {@code
 * ops-alert-flush} calls {@link #flush()}.
 */
public class AlertOutbox {

    private static final Logger LOG = LoggerFactory.getLogger(AlertOutbox.class);

    private final CamelContext context;
    private final String alertQueueUri;
    private final int capacity;
    private final Duration directMailAfter;
    private final AlertMailer mailer;
    private final Clock clock;
    private final Map<Long, Entry> entries = new LinkedHashMap<>();
    private long nextId;
    private boolean queueDown;
    private ProducerTemplate producer;
    private java.util.function.Consumer<String> onRaised = kind -> {};

    /** {@code mailer} is null when mail is off: alerts then only wait for the queue. */
    public AlertOutbox(
            CamelContext context,
            String alertQueue,
            int capacity,
            Duration directMailAfter,
            AlertMailer mailer,
            Clock clock) {
        this.context = context;
        this.alertQueueUri = "jms:queue:" + alertQueue;
        this.capacity = Math.max(1, capacity);
        this.directMailAfter = directMailAfter;
        this.mailer = mailer;
        this.clock = clock;
    }

    /** Told the kind of every alert raised, e.g. to count it in the metrics. */
    public void setOnRaised(java.util.function.Consumer<String> onRaised) {
        this.onRaised = onRaised;
    }

    /**
     * Keeps an alert for publishing. With {@code coalesce}, it folds into a pending coalescing
     * alert of the same kind that is neither being published nor mailed yet, and later ones may
     * fold into it; without, it stays an alert of its own. Never blocks on I/O.
     */
    public void raise(OpsAlert alert, boolean coalesce) {
        onRaised.accept(alert.kind());
        synchronized (entries) {
            if (coalesce) {
                for (Entry entry : entries.values()) {
                    if (entry.coalesce
                            && entry.alert.kind().equals(alert.kind())
                            && !entry.inFlight
                            && !entry.mailed) {
                        entry.alert = entry.alert.merge(alert);
                        LOG.debug(
                                "Folded a {} alert into the pending one ({} times)",
                                alert.kind(),
                                entry.alert.count());
                        return;
                    }
                }
            }
            if (entries.size() >= capacity) {
                Long oldest = entries.keySet().iterator().next();
                Entry dropped = entries.remove(oldest);
                LOG.error(
                        "The ops-alert outbox is full ({} alerts): dropped the {} alert '{}'",
                        capacity,
                        dropped.alert.kind(),
                        LogText.escape(dropped.alert.subject()));
            }
            entries.put(nextId++, new Entry(alert, clock.instant(), coalesce));
        }
        LOG.warn(
                "Ops alert {} ({}): {}",
                alert.kind(),
                alert.severity(),
                LogText.escape(alert.subject()));
    }

    /** Publishes the pending alerts in order; stops at the first failure (the queue is down). */
    public void flush() {
        List<Map.Entry<Long, Entry>> batch;
        synchronized (entries) {
            batch = new ArrayList<>(entries.entrySet());
            batch.forEach(e -> e.getValue().inFlight = true);
        }

        boolean failed = false;
        for (Map.Entry<Long, Entry> item : batch) {
            Entry entry = item.getValue();
            if (!failed && publish(entry)) {
                synchronized (entries) {
                    entries.remove(item.getKey());
                }
                continue;
            }
            failed = true;
            synchronized (entries) {
                entry.inFlight = false;
            }
        }
        if (failed && mailer != null) {
            mailWithoutBroker(batch);
        }
    }

    /** Alerts waiting for the queue. */
    public int pending() {
        synchronized (entries) {
            return entries.size();
        }
    }

    private boolean publish(Entry entry) {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put(AlertKinds.KIND_HEADER, entry.alert.kind());
        headers.put(AlertKinds.LOGGED_HEADER, true);
        if (entry.mailed) {
            headers.put(AlertKinds.MAILED_HEADER, true);
        }
        try {
            producer()
                    .sendBodyAndHeaders(
                            alertQueueUri, ExchangePattern.InOnly, entry.alert.toJson(), headers);
        } catch (RuntimeException e) {
            if (!queueDown) {
                Throwable cause = e;
                while (cause.getCause() != null && cause.getCause() != cause) {
                    cause = cause.getCause();
                }
                LOG.warn(
                        "The ops-alert queue is unreachable; alerts wait in memory: {}",
                        cause.getMessage());
                queueDown = true;
            }
            LOG.debug("Publishing an ops alert failed", e);
            return false;
        }
        if (queueDown) {
            LOG.info("The ops-alert queue is reachable again; waiting alerts are published");
            queueDown = false;
        }
        return true;
    }

    /** Alerts that waited long enough are mailed now; they stay here to be published later. */
    private void mailWithoutBroker(List<Map.Entry<Long, Entry>> batch) {
        Instant now = clock.instant();
        for (Map.Entry<Long, Entry> item : batch) {
            Entry entry = item.getValue();
            OpsAlert alert;
            synchronized (entries) {
                if (entry.mailed
                        || !entries.containsKey(item.getKey())
                        || now.isBefore(entry.raisedAt.plus(directMailAfter))) {
                    continue;
                }
                entry.mailed = true;
                alert = entry.alert;
                foldIntoMailed(item.getKey(), entry);
            }
            mailer.onUnqueuedAlert(alert);
        }
    }

    /** A long outage must not pile up mailed alerts: one per kind waits for the queue. */
    private void foldIntoMailed(Long id, Entry mailed) {
        for (Map.Entry<Long, Entry> other : entries.entrySet()) {
            Entry candidate = other.getValue();
            if (!other.getKey().equals(id)
                    && candidate.mailed
                    && !candidate.inFlight
                    && candidate.alert.kind().equals(mailed.alert.kind())) {
                candidate.alert = candidate.alert.merge(mailed.alert);
                entries.remove(id);
                return;
            }
        }
    }

    private synchronized ProducerTemplate producer() {
        if (producer == null) {
            producer = context.createProducerTemplate();
        }
        return producer;
    }

    /** One pending alert. Fields change only under the lock on {@code entries}. */
    private static final class Entry {
        private OpsAlert alert;
        private final Instant raisedAt;
        private final boolean coalesce;
        private boolean inFlight;
        private boolean mailed;

        Entry(OpsAlert alert, Instant raisedAt, boolean coalesce) {
            this.alert = alert;
            this.raisedAt = raisedAt;
            this.coalesce = coalesce;
        }
    }
}
