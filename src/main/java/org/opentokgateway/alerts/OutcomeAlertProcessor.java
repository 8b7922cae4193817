package org.opentokgateway.alerts;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.opentokgateway.intake.CallbackHeaders;
import org.opentokgateway.intake.GatewayAnswers;
import org.opentokgateway.intake.RejectedRequestProcessor;

/**
 * A tiny step at the end of the intake's failure paths: counts callbacks answered 503 and requests
 * refused (400, 401, 403, 413) over sliding windows, in memory (the broker may be down), and raises
 * {@code callback-errors} or {@code rejected-burst} alerts past a threshold. Routes: {@code
 * callback-intake} (its error handlers) and {@code oversize-request-record}.
 */
public class OutcomeAlertProcessor implements Processor {

    private final AlertOutbox outbox;
    private final SlidingWindowCounter errors;
    private final int errorThreshold;
    private final SlidingWindowCounter refusals;
    private final int refusalThreshold;
    private final Clock clock;

    public OutcomeAlertProcessor(
            AlertOutbox outbox,
            SlidingWindowCounter errors,
            int errorThreshold,
            SlidingWindowCounter refusals,
            int refusalThreshold,
            Clock clock) {
        this.outbox = outbox;
        this.errors = errors;
        this.errorThreshold = Math.max(1, errorThreshold);
        this.refusals = refusals;
        this.refusalThreshold = Math.max(1, refusalThreshold);
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) {
        String outcome =
                exchange.getProperty(
                        CallbackHeaders.OUTCOME, GatewayAnswers.STORE_FAILED, String.class);
        int status = GatewayAnswers.statusOf(outcome);
        if (status == 503) {
            callbackFailed(exchange);
        } else if (status == 400 || status == 401 || status == 403 || status == 413) {
            refused(exchange, status);
        }
    }

    private void callbackFailed(Exchange exchange) {
        Instant now = clock.instant();
        int inWindow = errors.record(now);
        if (inWindow < errorThreshold) {
            return;
        }

        String window = AlertMailComposer.human(errors.window());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("failuresInWindow", inWindow);
        details.put("window", window);
        details.put("threshold", errorThreshold);
        details.put("lastPath", path(exchange));
        details.put("lastError", errorText(exchange));
        details.put(
                "platformLimit",
                "more than 50 failed deliveries within 30 minutes disable session monitoring on the"
                        + " older callback service, until the callback URL is saved again in the"
                        + " account page");
        String subject =
                inWindow
                        + " callbacks answered 503 in the last "
                        + window
                        + " (the gateway could not store them)";
        OpsAlert alert = OpsAlert.of(AlertKinds.CALLBACK_ERRORS, OpsAlert.ERROR, subject, details);
        raise(alert, inWindow == errorThreshold, inWindow, errors, now);
    }

    private void refused(Exchange exchange, int status) {
        Instant now = clock.instant();
        int inWindow = refusals.record(now);
        if (inWindow < refusalThreshold) {
            return;
        }

        String window = AlertMailComposer.human(refusals.window());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("refusalsInWindow", inWindow);
        details.put("window", window);
        details.put("threshold", refusalThreshold);
        details.put("lastStatus", status);
        details.put(
                "lastReason",
                exchange.getProperty(RejectedRequestProcessor.REASON, "-", String.class));
        details.put("lastPath", path(exchange));
        Object remote = exchange.getProperty(CallbackHeaders.REMOTE_ADDRESS_PROPERTY);
        details.put("lastRemoteAddress", remote == null ? "-" : String.valueOf(remote));
        String subject =
                inWindow + " requests refused in the last " + window + " (last: " + status + ")";
        OpsAlert alert = OpsAlert.of(AlertKinds.REJECTED_BURST, OpsAlert.WARNING, subject, details);
        raise(alert, inWindow == refusalThreshold, inWindow, refusals, now);
    }

    /**
     * The alert that crosses the threshold stands for all the failures that led to it and stays an
     * alert of its own, so that it is mailed at once; each later failure is one more occurrence,
     * folded with the others while they wait for the queue.
     */
    private void raise(
            OpsAlert alert,
            boolean crossing,
            int inWindow,
            SlidingWindowCounter counter,
            Instant now) {
        if (crossing) {
            outbox.raise(alert.seen(counter.oldest(now), now, inWindow), false);
        } else {
            outbox.raise(alert.seen(now, now, 1), true);
        }
    }

    private static String path(Exchange exchange) {
        String path = exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class);
        if (path == null) {
            path = exchange.getMessage().getHeader(CallbackHeaders.PATH, String.class);
        }
        return path == null ? "-" : path;
    }

    /** The cause in one line, without user:password parts of a broker URL. */
    private static String errorText(Exchange exchange) {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (error == null) {
            return "-";
        }
        while (error.getCause() != null && error.getCause() != error) {
            error = error.getCause();
        }
        String text = error.getClass().getSimpleName() + ": " + error.getMessage();
        text = text.replaceAll("//[^/@()\\s]*@", "//***@").replaceAll("[\\r\\n]+", " ");
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
