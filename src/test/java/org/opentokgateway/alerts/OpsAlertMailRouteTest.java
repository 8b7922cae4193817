package org.opentokgateway.alerts;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.mail.internet.MimeMessage;

import com.icegreen.greenmail.util.GreenMail;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.RedeliveryPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opentokgateway.support.RunningGateway;

/** Ops alerts end to end: alert queue or intake failures in, plain-text mails out (GreenMail). */
class OpsAlertMailRouteTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static GreenMail smtp;
    private static RunningGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        int smtpPort = RunningGateway.freePort();
        smtp = AlertTestSupport.smtpServer(smtpPort);
        smtp.start();
        Map<String, String> props = AlertTestSupport.mailOn(smtpPort);
        props.put("gateway.alerts.window", "15s");
        props.put("gateway.alerts.rejected-burst.threshold", "3");
        props.put("gateway.mail.subject-prefix", "[test-gw]");
        gateway = RunningGateway.start(props);
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.closeAndDelete();
        smtp.stop();
    }

    @Test
    void should_mail_an_archive_failed_alert_with_the_archive_facts() throws Exception {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("archiveId", "c1f0a2b3-4d5e-4f60-8a7b-9c0d1e2f3a4b");
        details.put("sessionId", "2_MX4xMzExMjU3MX5-MTQ3MDI1NzY3OTkxOH45QXRr");
        details.put("status", "failed");
        details.put("reason", "archiver process terminated unexpectedly");
        OpsAlert alert =
                OpsAlert.of(
                        AlertKinds.ARCHIVE_FAILED,
                        OpsAlert.ERROR,
                        "Archive c1f0a2b3-4d5e-4f60-8a7b-9c0d1e2f3a4b failed",
                        details);

        AlertTestSupport.publish(gateway, alert);

        MimeMessage mail = awaitOneMail(AlertKinds.ARCHIVE_FAILED);
        assertEquals(
                "[test-gw] ERROR archive-failed: Archive "
                        + "c1f0a2b3-4d5e-4f60-8a7b-9c0d1e2f3a4b failed",
                mail.getSubject());
        assertEquals(AlertTestSupport.OPS_MAILBOX, mail.getAllRecipients()[0].toString());
        String body = AlertTestSupport.body(mail);
        assertTrue(body.contains("archiver process terminated unexpectedly"), body);
        assertTrue(body.contains("2_MX4xMzExMjU3MX5-MTQ3MDI1NzY3OTkxOH45QXRr"), body);
        assertTrue(body.contains("How often:  1 time"), body);
        assertTrue(body.contains("What to check"), body);
        assertTrue(mail.getContentType().startsWith("text/plain"), mail.getContentType());
    }

    @Test
    void should_mail_an_archive_expired_alert_as_a_warning() throws Exception {
        OpsAlert alert =
                OpsAlert.of(
                        AlertKinds.ARCHIVE_EXPIRED,
                        OpsAlert.WARNING,
                        "Archive 5b1d7e2c expired before it was processed",
                        Map.of("archiveId", "5b1d7e2c", "status", "expired"));

        AlertTestSupport.publish(gateway, alert);

        MimeMessage mail = awaitOneMail(AlertKinds.ARCHIVE_EXPIRED);
        assertEquals(
                "[test-gw] WARNING archive-expired: "
                        + "Archive 5b1d7e2c expired before it was processed",
                mail.getSubject());
        String body = AlertTestSupport.body(mail);
        assertTrue(body.contains("archiveId: 5b1d7e2c"), body);
        assertTrue(body.contains("post-processing"), body);
    }

    @Test
    void should_mail_a_dead_letter_alert_and_leave_the_dead_letter_on_its_queue() throws Exception {
        String queue = "test.alerts.poison";

        moveOneMessageToDeadLetters(queue);

        MimeMessage mail = awaitOneMail(AlertKinds.DEAD_LETTER);
        assertTrue(
                mail.getSubject().contains("A message on " + queue + " gave up"),
                mail.getSubject());
        String body = AlertTestSupport.body(mail);
        assertTrue(body.contains("queue: " + queue), body);
        assertTrue(body.contains("sessionId: 2_MX4poison"), body);
        assertTrue(body.contains("dead-letter queue"), body);
        long deadLetters = gateway.depth("ActiveMQ.DLQ") + gateway.depth("DLQ." + queue);
        assertEquals(1, deadLetters, "the dead letter must stay for replay");
    }

    @Test
    void should_fold_200_refusals_into_one_immediate_mail_and_one_digest() throws Exception {
        byte[] invalid = "{\"event\":".getBytes(StandardCharsets.UTF_8);

        for (int i = 0; i < 200; i++) {
            HttpResponse<String> answer = gateway.postJson("/callbacks/session", invalid);
            assertEquals(400, answer.statusCode(), answer.body());
        }

        await("an immediate mail and a digest")
                .atMost(WAIT)
                .until(
                        () ->
                                AlertTestSupport.mailsOfKind(smtp, AlertKinds.REJECTED_BURST).size()
                                        >= 2);
        List<MimeMessage> mails = AlertTestSupport.mailsOfKind(smtp, AlertKinds.REJECTED_BURST);
        assertEquals(2, mails.size());
        assertTrue(
                mails.get(0).getSubject().contains("3 requests refused in the last 5 minutes"),
                mails.get(0).getSubject());
        long first =
                AlertTestSupport.number(
                        AlertTestSupport.body(mails.get(0)), "How often:\\s+(\\d+) time");
        long folded =
                AlertTestSupport.number(
                        mails.get(1).getSubject(), "rejected-burst digest: (\\d+) time");
        assertEquals(3, first, "the first mail is sent when the threshold is crossed");
        assertEquals(200, first + folded, "every refusal is counted once, in one of the two mails");
        String body = AlertTestSupport.body(mails.get(1));
        // How many alerts the refusals were folded into depends on when the outbox flushed.
        assertTrue(body.contains("Examples (the first "), body);
        assertTrue(body.contains("lastStatus: 400"), body);
        // No third mail: the window after the digest saw no new refusal.
        Thread.sleep(2_000);
        assertEquals(2, AlertTestSupport.mailsOfKind(smtp, AlertKinds.REJECTED_BURST).size());
    }

    private static MimeMessage awaitOneMail(String kind) throws Exception {
        await(kind + " mail")
                .atMost(WAIT)
                .until(() -> !AlertTestSupport.mailsOfKind(smtp, kind).isEmpty());
        List<MimeMessage> mails = AlertTestSupport.mailsOfKind(smtp, kind);
        assertEquals(1, mails.size(), kind + " mails");
        return mails.get(0);
    }

    /** A consumer that rolls back until the broker gives up on the message. */
    private static void moveOneMessageToDeadLetters(String queue) throws Exception {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(gateway.brokerUrl());
        RedeliveryPolicy policy = new RedeliveryPolicy();
        policy.setMaximumRedeliveries(0);
        factory.setRedeliveryPolicy(policy);
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer producer = session.createProducer(session.createQueue(queue));
            Message message = session.createTextMessage("{\"event\":\"connectionCreated\"}");
            message.setStringProperty("sessionId", "2_MX4poison");
            message.setStringProperty("callbackEvent", "connectionCreated");
            producer.send(message);
            session.commit();

            MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
            for (int i = 0; i < 3; i++) {
                if (consumer.receive(2000) == null) {
                    break;
                }
                session.rollback();
            }
        }
    }
}
