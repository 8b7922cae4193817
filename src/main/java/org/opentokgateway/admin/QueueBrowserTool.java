package org.opentokgateway.admin;

import java.nio.charset.StandardCharsets;
import java.util.Enumeration;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.opentokgateway.LogText;

/**
 * A plain JMS client that prints the messages waiting on a queue, headers and body, without taking
 * them off the queue; control characters in headers and body are printed escaped. Usage: {@code
 * java -jar opentok-callback-gateway.jar browse QUEUE [BROKER_URL]}; the broker defaults to {@code
 * tcp://127.0.0.1:61616}.
 */
public final class QueueBrowserTool {

    private QueueBrowserTool() {}

    /** Runs the tool; an ordinary failure (broker unreachable) is one line on stderr, exit 1. */
    public static int run(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: browse QUEUE [BROKER_URL]");
            return 2;
        }
        String queue = args[1];
        String url = args.length > 2 ? args[2] : "tcp://127.0.0.1:61616";
        try {
            return browse(queue, url);
        } catch (JMSException | RuntimeException e) {
            System.err.println("browse: cannot read " + queue + " at " + url + ": " + reason(e));
            return 1;
        }
    }

    /** The innermost message of a failure, which names the actual cause (e.g. refused). */
    static String reason(Throwable failure) {
        String reason = failure.getClass().getSimpleName();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
                reason = cause.getMessage();
            }
        }
        return reason.replaceAll("\\s+", " ").trim();
    }

    private static int browse(String queue, String url) throws JMSException {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url);
        int count = 0;
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            try (QueueBrowser browser = session.createBrowser(session.createQueue(queue))) {
                Enumeration<?> messages = browser.getEnumeration();
                while (messages.hasMoreElements()) {
                    print((Message) messages.nextElement());
                    count++;
                }
            }
        }
        System.out.println(count + " message(s) on " + queue);
        return 0;
    }

    private static void print(Message message) throws JMSException {
        System.out.println("--- " + message.getJMSMessageID());
        Enumeration<?> names = message.getPropertyNames();
        while (names.hasMoreElements()) {
            String name = (String) names.nextElement();
            // Header values come from requests: escaped, so none can forge a line.
            Object value = message.getObjectProperty(name);
            System.out.println(LogText.escape(name) + ": " + LogText.escape(value));
        }
        System.out.println();
        System.out.println(printable(bodyOf(message)));
    }

    /** The body with line breaks and tabs kept, every other control character escaped. */
    static String printable(String body) {
        StringBuilder text = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            boolean crlf = c == '\r' && i + 1 < body.length() && body.charAt(i + 1) == '\n';
            boolean kept = c == '\n' || c == '\t' || crlf;
            text.append(kept ? String.valueOf(c) : LogText.escape(String.valueOf(c)));
        }
        return text.toString();
    }

    private static String bodyOf(Message message) throws JMSException {
        if (message instanceof TextMessage text) {
            return text.getText();
        }
        if (message instanceof BytesMessage bytes) {
            byte[] body = new byte[(int) bytes.getBodyLength()];
            bytes.readBytes(body);
            return new String(body, StandardCharsets.UTF_8);
        }
        return String.valueOf(message);
    }
}
