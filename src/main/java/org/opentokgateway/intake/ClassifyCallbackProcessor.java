package org.opentokgateway.intake;

import java.util.EnumMap;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Classifies the captured request body and turns the exchange into the message to store: the
 * callback's bytes unchanged as body, and only the gateway's own headers (no HTTP header travels to
 * the queue). Route: {@code callback-intake}.
 */
public class ClassifyCallbackProcessor implements Processor {

    private final CallbackClassifier classifier;
    private final Map<CallbackFamily, String> queues = new EnumMap<>(CallbackFamily.class);

    public ClassifyCallbackProcessor(CamelContext context, CallbackClassifier classifier) {
        this.classifier = classifier;
        for (CallbackFamily family : CallbackFamily.values()) {
            queues.put(
                    family,
                    context.resolvePropertyPlaceholders("{{" + family.queueProperty() + "}}"));
        }
    }

    @Override
    public void process(Exchange exchange) throws InvalidCallbackException {
        byte[] body = exchange.getProperty(CallbackHeaders.RAW_BODY, byte[].class);
        String path = exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class);
        // Taken from the request path by the capture step, never from a request header.
        String pathName = exchange.getProperty(CallbackHeaders.PATH_NAME, String.class);

        Classification result = classifier.classify(pathName, body);

        String queue = queues.get(result.family());
        exchange.setProperty(CallbackHeaders.TARGET_QUEUE, queue);
        exchange.setProperty(CallbackHeaders.FAMILY_LABEL, result.family().label());
        exchange.setProperty(CallbackHeaders.EVENT_LABEL, result.event());
        exchange.setProperty(CallbackHeaders.SESSION_LABEL, result.sessionId());

        Message message = exchange.getMessage();
        message.getHeaders().clear();
        message.getHeaders().putAll(result.headers());
        message.setHeader(CallbackHeaders.PATH, path);
        message.setHeader(
                CallbackHeaders.RECEIVED_AT, exchange.getProperty(CallbackHeaders.RECEIVED_AT));
        message.setBody(body);
    }
}
