package org.opentokgateway.intake;

import java.util.Map;

/**
 * What the gateway learned from one callback body: its family, its event (may be empty), and the
 * headers that consumers filter and order on.
 */
public record Classification(CallbackFamily family, String event, Map<String, Object> headers) {

    /** The session id, or null when the body has none. */
    public String sessionId() {
        Object value = headers.get(CallbackHeaders.SESSION_ID);
        return value == null ? null : value.toString();
    }

    /** The de-duplication key: equal for repeats of the same callback. */
    public String dedupKey() {
        return (String) headers.get(CallbackHeaders.DEDUP_KEY);
    }
}
