package org.opentokgateway.alerts;

import java.time.Clock;
import java.time.Instant;

import org.apache.camel.Body;
import org.apache.camel.Header;
import org.opentokgateway.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns alerts into mails through the per-kind debounce of {@link AlertDigester}. Alerts read from
 * the alert queue (route {@code ops-alert-mail}) become queued mails; alerts that could not reach
 * the queue come straight from {@link AlertOutbox}.
 */
public class AlertMailer {

    private static final Logger LOG = LoggerFactory.getLogger(AlertMailer.class);

    private final AlertDigester digester;
    private final MailDispatcher dispatcher;
    private final Clock clock;

    public AlertMailer(AlertDigester digester, MailDispatcher dispatcher, Clock clock) {
        this.digester = digester;
        this.dispatcher = dispatcher;
        this.clock = clock;
    }

    /**
     * One alert from the alert queue. A mail due now goes to the mail queue in the same step; if
     * that fails the exception rolls the alert back onto its queue.
     */
    public void onQueuedAlert(@Body String json, @Header(AlertKinds.MAILED_HEADER) Boolean mailed) {
        OpsAlert alert = OpsAlert.fromJson(json);
        if (Boolean.TRUE.equals(mailed)) {
            LOG.debug("The {} alert was mailed while the broker was away", alert.kind());
            return;
        }
        LOG.debug("Ops alert {}: {}", alert.kind(), LogText.escape(alert.subject()));
        digester.accept(alert, clock.instant()).ifPresent(dispatcher::toQueue);
    }

    /** One alert that could not reach the alert queue: mailed without the broker if need be. */
    public void onUnqueuedAlert(OpsAlert alert) {
        Instant now = clock.instant();
        digester.accept(alert, now).ifPresent(mail -> dispatcher.dispatch(mail, now));
    }

    /** Sends the digests whose window ended and retries mails held in memory. */
    public void flush() {
        Instant now = clock.instant();
        for (OpsMail digest : digester.dueDigests(now)) {
            dispatcher.dispatch(digest, now);
        }
        dispatcher.retryHeld(now);
    }
}
