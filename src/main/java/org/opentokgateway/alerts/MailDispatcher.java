package org.opentokgateway.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.opentokgateway.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a composed mail on so that it is not lost: first to the persistent mail queue (route {@code
 * ops-mail-send} sends it, retrying until the SMTP server takes it); when the broker is
 * unreachable, straight to SMTP; when that fails too, it is held in memory and retried with
 * back-off on every flush.
 */
public class MailDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(MailDispatcher.class);

    private final CamelContext context;
    private final String mailQueueUri;
    private final SmtpMailSender smtp;
    private final Duration initialDelay;
    private final Duration maxDelay;
    private final List<Held> held = new ArrayList<>();
    private ProducerTemplate producer;

    public MailDispatcher(
            CamelContext context,
            String mailQueue,
            SmtpMailSender smtp,
            Duration initialDelay,
            Duration maxDelay) {
        this.context = context;
        this.mailQueueUri = "jms:queue:" + mailQueue;
        this.smtp = smtp;
        this.initialDelay = initialDelay;
        this.maxDelay = maxDelay;
    }

    /** Puts the mail on the mail queue; throws when the broker does not take it. */
    public void toQueue(OpsMail mail) {
        producer()
                .sendBodyAndHeader(
                        mailQueueUri,
                        ExchangePattern.InOnly,
                        mail.body(),
                        AlertKinds.MAIL_SUBJECT_HEADER,
                        mail.subject());
        LOG.debug("Queued the ops mail '{}'", LogText.escape(mail.subject()));
    }

    /** Queue, else SMTP, else memory: never throws. */
    public void dispatch(OpsMail mail, Instant now) {
        if (!tryDeliver(mail)) {
            synchronized (held) {
                held.add(new Held(mail, now.plus(initialDelay), initialDelay));
            }
            LOG.warn(
                    "Neither the broker nor the SMTP server took the ops mail '{}': kept in memory,"
                            + " retried in {}",
                    LogText.escape(mail.subject()),
                    AlertMailComposer.human(initialDelay));
        }
    }

    /** Retries the mails held in memory whose time has come. */
    public void retryHeld(Instant now) {
        List<Held> due = new ArrayList<>();
        synchronized (held) {
            Iterator<Held> it = held.iterator();
            while (it.hasNext()) {
                Held next = it.next();
                if (!now.isBefore(next.nextAttempt)) {
                    due.add(next);
                    it.remove();
                }
            }
        }
        for (Held mail : due) {
            if (tryDeliver(mail.mail)) {
                LOG.info(
                        "The ops mail '{}' held in memory is delivered",
                        LogText.escape(mail.mail.subject()));
                continue;
            }
            Duration delay = mail.delay.multipliedBy(2);
            delay = delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
            synchronized (held) {
                held.add(new Held(mail.mail, now.plus(delay), delay));
            }
        }
    }

    /** Mails waiting in memory for the broker or the SMTP server. */
    public int heldCount() {
        synchronized (held) {
            return held.size();
        }
    }

    private boolean tryDeliver(OpsMail mail) {
        try {
            toQueue(mail);
            return true;
        } catch (RuntimeException queueDown) {
            LOG.debug("The mail queue is unreachable, mailing directly", queueDown);
        }
        try {
            smtp.send(mail);
            LOG.info(
                    "Mailed '{}' directly: the mail queue is unreachable",
                    LogText.escape(mail.subject()));
            return true;
        } catch (Exception smtpDown) {
            LOG.debug("The SMTP server did not take the mail", smtpDown);
            return false;
        }
    }

    private synchronized ProducerTemplate producer() {
        if (producer == null) {
            producer = context.createProducerTemplate();
        }
        return producer;
    }

    private record Held(OpsMail mail, Instant nextAttempt, Duration delay) {}
}
