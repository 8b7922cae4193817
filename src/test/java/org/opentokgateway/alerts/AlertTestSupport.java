package org.opentokgateway.alerts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.opentokgateway.support.RunningGateway;

/** Helpers for the ops-alert tests: a GreenMail SMTP server on 127.0.0.1, alert publishing. */
final class AlertTestSupport {

    static final String ALERT_QUEUE = "opentok.ops.alerts";
    static final String OPS_MAILBOX = "ops@example.test";

    private AlertTestSupport() {}

    static GreenMail smtpServer(int port) {
        return new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    }

    /** Gateway settings that turn mail on towards a local SMTP port, with short waits. */
    static Map<String, String> mailOn(int smtpPort) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("gateway.mail.smtp.host", "127.0.0.1");
        props.put("gateway.mail.smtp.port", String.valueOf(smtpPort));
        props.put("gateway.mail.smtp.connect-timeout-ms", "2000");
        props.put("gateway.mail.smtp.read-timeout-ms", "5000");
        props.put("gateway.mail.from", "gateway@example.test");
        props.put("gateway.mail.to", OPS_MAILBOX);
        props.put("gateway.mail.retry.initial-delay-ms", "200");
        props.put("gateway.mail.retry.max-delay-ms", "2000");
        props.put("gateway.alerts.flush-interval-ms", "200");
        props.put("gateway.alerts.direct-mail-after", "1s");
        return props;
    }

    /** Publishes an alert onto the alert queue as another feature would, over TCP. */
    static void publish(RunningGateway gateway, OpsAlert alert) throws Exception {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(gateway.brokerUrl());
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue(ALERT_QUEUE));
            TextMessage message = session.createTextMessage(alert.toJson());
            message.setStringProperty(AlertKinds.KIND_HEADER, alert.kind());
            producer.send(message);
        }
    }

    /** The mails received so far whose subject names the kind. */
    static List<MimeMessage> mailsOfKind(GreenMail smtp, String kind) throws MessagingException {
        List<MimeMessage> found = new ArrayList<>();
        for (MimeMessage mail : smtp.getReceivedMessages()) {
            String subject = mail.getSubject();
            if (subject.contains(" " + kind + ":") || subject.contains(" " + kind + " digest:")) {
                found.add(mail);
            }
        }
        return found;
    }

    /** The number in the first group of the pattern's first match, or -1. */
    static long number(String text, String pattern) {
        Matcher matcher = Pattern.compile(pattern).matcher(text);
        return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
    }

    /** The decoded text of a plain-text mail. */
    static String body(MimeMessage mail) throws Exception {
        return String.valueOf(mail.getContent()).replace("\r\n", "\n");
    }
}
