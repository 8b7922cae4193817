package org.opentokgateway.intake;

import java.util.Collection;
import java.util.Iterator;
import java.util.StringJoiner;

import org.apache.camel.Message;

/**
 * Reads HTTP request headers the way proxies mean them: a header sent on several lines (Camel gives
 * a list) is one comma-separated value, as RFC 9110 joins them. Used by the intake and admin
 * routes.
 */
public final class RequestHeaders {

    private RequestHeaders() {}

    /** The header's values joined with ", ", or null when the request has no such header. */
    public static String joined(Message message, String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        return joined(message.getHeader(name.trim()));
    }

    /** A header value as text: a list or array of values becomes one comma-separated value. */
    public static String joined(Object value) {
        if (value == null) {
            return null;
        }
        Iterator<?> values;
        if (value instanceof Collection<?> collection) {
            values = collection.iterator();
        } else if (value instanceof Object[] array) {
            values = java.util.Arrays.asList(array).iterator();
        } else {
            return value.toString();
        }
        StringJoiner text = new StringJoiner(", ");
        while (values.hasNext()) {
            Object next = values.next();
            if (next != null) {
                text.add(next.toString());
            }
        }
        return text.toString();
    }
}
