package org.opentokgateway.intake;

import java.util.function.Consumer;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.opentokgateway.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the one access-log line per callback, at INFO on the logger {@code
 * opentok.gateway.access}: event, session, queue, outcome, status and milliseconds. Never the body;
 * control characters of the event and session are escaped. Operators keep or silence this logger on
 * its own. Route: {@code callback-intake}.
 */
public class AccessLogProcessor implements Processor {

    /** The logger name, so that operators can keep or silence access logging on its own. */
    public static final String LOGGER_NAME = "opentok.gateway.access";

    private static final Logger ACCESS = LoggerFactory.getLogger(LOGGER_NAME);

    private volatile Consumer<Exchange> outcomeListener = exchange -> {};

    /** Also tells the listener (the metrics) of each answered callback, logged or not. */
    public void setOutcomeListener(Consumer<Exchange> listener) {
        this.outcomeListener = listener;
    }

    @Override
    public void process(Exchange exchange) {
        outcomeListener.accept(exchange);
        if (!ACCESS.isInfoEnabled()) {
            return;
        }

        String outcome =
                exchange.getProperty(
                        CallbackHeaders.OUTCOME, GatewayAnswers.STORE_FAILED, String.class);
        String queue = exchange.getProperty(CallbackHeaders.TARGET_QUEUE, String.class);
        long millis = exchange.getClock().elapsed();
        String event =
                LogText.escape(exchange.getProperty(CallbackHeaders.EVENT_LABEL, String.class));
        String session =
                LogText.escape(exchange.getProperty(CallbackHeaders.SESSION_LABEL, String.class));

        ACCESS.info(
                "event={} session={} queue={} outcome={} status={} ms={}",
                orDash(event),
                orDash(session),
                orDash(queue),
                outcome,
                GatewayAnswers.statusOf(outcome),
                millis);
    }

    private static String orDash(String value) {
        return value == null || value.isEmpty() ? "-" : value;
    }
}
